// @ts-check
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

// Path aliases come from tsconfig.base.json so there is one list of them.
const { compilerOptions } = JSON.parse(readFileSync(join(__dirname, 'tsconfig.base.json'), 'utf8'));
const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);

// Tests transpile with SWC (fast, honours decorator metadata); `npm run typecheck` checks types.
const swcrc = JSON.parse(readFileSync(join(__dirname, '.swcrc'), 'utf8'));
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleNameMapper,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test', '<rootDir>/tools'],
};

// 30 s per test and hook for the tiers that start apps (see the file).
const ioTierSetup = { setupFilesAfterEnv: ['<rootDir>/tools/jest/io-test-timeout.cjs'] };

/**
 * The scripts run Jest with --experimental-vm-modules: PGlite loads Node built-ins through
 * dynamic import(), which Jest's sandbox only allows with that flag.
 *
 * Three tiers, selected with --selectProjects: unit (*.unit.spec.ts, no I/O), int
 * (*.int.spec.ts, real PostgreSQL, Redis and PGlite), e2e (*.e2e.spec.ts, HTTP through an app).
 * @type {import('jest').Config}
 */
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['**/*.unit.spec.ts'] },
    { ...shared, displayName: 'int', testMatch: ['**/*.int.spec.ts'], ...ioTierSetup },
    { ...shared, displayName: 'e2e', testMatch: ['**/*.e2e.spec.ts'], ...ioTierSetup },
    // Fault tests that kill and restart whole services (npm run test:faults, the last step of npm test).
    { ...shared, displayName: 'faults', testMatch: ['**/*.fault.spec.ts'], ...ioTierSetup },
    // The web app in Debian's Chromium (npm run test:browser); not yet part of npm test.
    { ...shared, displayName: 'browser', testMatch: ['**/*.browser.spec.ts'], ...ioTierSetup },
  ],
};
