// Builds the web app (apps/web, Vite) into dist/web only when its sources changed: `npm start`
// runs this before the API, and a start with unchanged sources costs one hash of the files (tens
// of milliseconds), not a bundling. The hash covers the app, the domain code it shares, the Vite
// config and the lockfile; it is kept beside the output in dist/web/.sources.
//
// Usage: node tools/build-web.cjs [--force]
const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { readdirSync, readFileSync, writeFileSync, existsSync } = require('node:fs');
const { join, relative, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const inputs = ['apps/web', 'libs/framework/domain/src', 'libs/shared/kernel/src', 'package-lock.json'];
const stampFile = join(root, 'dist/web/.sources');

function files(path) {
  const absolute = join(root, path);
  if (!existsSync(absolute)) return [];
  if (!readdirSync(join(absolute, '..')).includes(path.split('/').pop())) return [];
  try {
    return readdirSync(absolute, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && !/\.spec\.ts$/.test(entry.name))
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [absolute];
  }
}

function sourceHash() {
  const hash = createHash('sha256').update(`NODE_ENV=production\0`);
  for (const file of inputs.flatMap(files).sort()) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

const started = Date.now();
const hash = sourceHash();
const force = process.argv.includes('--force');
if (!force && existsSync(join(root, 'dist/web/index.html')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash) {
  console.log(`web app unchanged (${Date.now() - started} ms)`);
} else {
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/web/vite.config.mts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    // Always a production build: under Jest NODE_ENV is 'test', which Vite would bake into the bundle
    // (React's development build; rc-util's useId answering 'test-id', so every radio group shares one name).
    env: { ...process.env, NODE_ENV: 'production' },
  });
  writeFileSync(stampFile, hash);
  console.log(`web app built into dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
