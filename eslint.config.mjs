import nx from '@nx/eslint-plugin';

// Libraries that do I/O or belong to a framework: the pure domain must never import them.
const bannedInDomain = [
  '@nestjs/*',
  'pg',
  'pg-*',
  '@electric-sql/*',
  'bullmq',
  'ioredis',
  '@kurrent/*',
  '@eventstore/*',
  'express',
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/node_modules', '**/dist', '**/tmp', '**/coverage', '.nx', 'data', 'jest.config.js', 'tools/register.cjs'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // The cross-app acceptance suites in test/ drive the API through its e2e harness.
          allow: ['../../apps/api/src/testing/**'],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:util', 'type:testing'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:util', 'type:testing'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:util', 'type:testing'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:util'], bannedExternalImports: bannedInDomain },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:util'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:framework', onlyDependOnLibsWithTags: ['scope:shared', 'scope:framework'] },
            { sourceTag: 'scope:unit', onlyDependOnLibsWithTags: ['scope:shared', 'scope:unit'] },
            { sourceTag: 'scope:period', onlyDependOnLibsWithTags: ['scope:shared', 'scope:period', 'scope:framework', 'scope:unit'] },
            { sourceTag: 'scope:assessment', onlyDependOnLibsWithTags: ['scope:shared', 'scope:assessment', 'scope:framework', 'scope:unit', 'scope:period'] },
            { sourceTag: 'scope:ranking', onlyDependOnLibsWithTags: ['scope:shared', 'scope:ranking', 'scope:framework', 'scope:unit', 'scope:period', 'scope:assessment'] },
            { sourceTag: 'scope:recalculation', onlyDependOnLibsWithTags: ['scope:shared', 'scope:recalculation', 'scope:framework', 'scope:unit', 'scope:period', 'scope:assessment', 'scope:ranking', 'scope:demo'] },
            { sourceTag: 'scope:demo', onlyDependOnLibsWithTags: ['scope:shared', 'scope:accounts', 'scope:framework', 'scope:unit', 'scope:period', 'scope:assessment', 'scope:ranking', 'scope:demo'] },
            { sourceTag: 'scope:audit', onlyDependOnLibsWithTags: ['scope:shared', 'scope:audit', 'scope:accounts', 'scope:framework', 'scope:unit', 'scope:period', 'scope:assessment', 'scope:ranking'] },
            { sourceTag: 'scope:accounts', onlyDependOnLibsWithTags: ['scope:shared', 'scope:accounts', 'scope:unit'] },
            // Contexts meet through domain and data-access contracts: a feature library uses no other context's feature library.
            { allSourceTags: ['scope:framework', 'type:feature'], onlyDependOnLibsWithTags: ['scope:framework', 'scope:shared', 'type:data-access', 'type:domain', 'type:util', 'type:testing'] },
            { allSourceTags: ['scope:unit', 'type:feature'], onlyDependOnLibsWithTags: ['scope:unit', 'scope:shared', 'type:data-access', 'type:domain', 'type:util', 'type:testing'] },
            { allSourceTags: ['scope:period', 'type:feature'], onlyDependOnLibsWithTags: ['scope:period', 'scope:shared', 'type:data-access', 'type:domain', 'type:util', 'type:testing'] },
            { allSourceTags: ['scope:assessment', 'type:feature'], onlyDependOnLibsWithTags: ['scope:assessment', 'scope:shared', 'type:data-access', 'type:domain', 'type:util', 'type:testing'] },
            { allSourceTags: ['scope:ranking', 'type:feature'], onlyDependOnLibsWithTags: ['scope:ranking', 'scope:shared', 'type:data-access', 'type:domain', 'type:util', 'type:testing'] },
            { allSourceTags: ['scope:recalculation', 'type:feature'], onlyDependOnLibsWithTags: ['scope:recalculation', 'scope:shared', 'type:data-access', 'type:domain', 'type:util', 'type:testing'] },
            { allSourceTags: ['scope:audit', 'type:feature'], onlyDependOnLibsWithTags: ['scope:audit', 'scope:shared', 'type:data-access', 'type:domain', 'type:util', 'type:testing'] },
            { allSourceTags: ['scope:accounts', 'type:feature'], onlyDependOnLibsWithTags: ['scope:accounts', 'scope:shared', 'type:data-access', 'type:domain', 'type:util', 'type:testing'] },
            { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['*'] },
            { sourceTag: 'scope:test', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts', 'tools/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
