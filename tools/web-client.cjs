// The web app's API client is generated from the API's OpenAPI document (openapi-typescript);
// `--check` fails when the committed files differ from what the API describes now, so the UI
// cannot drift from the server unnoticed (npm test runs it).
//
// Usage: node tools/web-client.cjs [--check]
const { execFileSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const target = join(root, 'apps/web/src/api');
const check = process.argv.includes('--check');

const scratch = mkdtempSync(join(tmpdir(), 'tieuchi-web-client-'));
try {
  execFileSync(process.execPath, ['-r', './tools/register.cjs', 'tools/scripts/openapi-document.ts', join(scratch, 'openapi.json')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  const documentJson = readFileSync(join(scratch, 'openapi.json'), 'utf8');
  execFileSync(process.execPath, [join(root, 'node_modules/openapi-typescript/bin/cli.js'), join(scratch, 'openapi.json'), '-o', join(scratch, 'schema.d.ts')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const generated = { 'openapi.json': documentJson, 'schema.d.ts': readFileSync(join(scratch, 'schema.d.ts'), 'utf8') };
  const stale = Object.entries(generated).filter(([name, content]) => readFileSync(join(target, name), { encoding: 'utf8', flag: 'a+' }) !== content);
  if (check) {
    if (stale.length > 0) {
      console.error(`The web app's API client is stale (${stale.map(([name]) => name).join(', ')}): run \`npm run web:client\` and commit the result.`);
      process.exit(1);
    }
    console.log('web API client matches the OpenAPI document');
  } else {
    for (const [name, content] of stale) writeFileSync(join(target, name), content);
    console.log(stale.length === 0 ? 'web API client already up to date' : `wrote ${stale.map(([name]) => name).join(', ')}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
