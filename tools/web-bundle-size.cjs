// The JavaScript and CSS the public ranking page loads, gzipped, against its budget (issue 17: ≤ 200 KB),
// next to what the whole app weighs (every chunk) as the same-run baseline. Reads Vite's manifest of
// dist/web (building it first when the sources changed): the page loads the entry with its static
// imports, then the public ranking route's chunk with its own. Exits 1 above the budget.
//
// Usage: node tools/web-bundle-size.cjs [--budget-kb 200]
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { gzipSync } = require('node:zlib');

const root = resolve(__dirname, '..');
const web = join(root, 'dist/web');
const budgetArg = process.argv.indexOf('--budget-kb');
const budgetKb = budgetArg > 0 ? Number(process.argv[budgetArg + 1]) : 200;
const publicRoute = 'src/screens/public/public-rankings.tsx';

execFileSync(process.execPath, [join(root, 'tools/build-web.cjs')], { cwd: root, stdio: 'ignore' });
const manifest = JSON.parse(readFileSync(join(web, '.vite/manifest.json'), 'utf8'));
const gzipped = new Map();
const sizeOf = (file) => {
  if (!gzipped.has(file)) gzipped.set(file, gzipSync(readFileSync(join(web, file)), { level: 9 }).length);
  return gzipped.get(file);
};

/** The files a chunk loads before it runs: itself, its CSS and its static imports, transitively. */
function closure(key, into = new Set()) {
  const chunk = manifest[key];
  if (!chunk || into.has(chunk.file)) return into;
  into.add(chunk.file);
  for (const css of chunk.css ?? []) into.add(css);
  for (const imported of chunk.imports ?? []) closure(imported, into);
  return into;
}

const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
if (!entry || !manifest[publicRoute]) throw new Error(`the manifest has no entry or no ${publicRoute}: was the public route renamed?`);
const publicPage = closure(publicRoute, closure(entry));
const everything = new Set(Object.values(manifest).flatMap((chunk) => [chunk.file, ...(chunk.css ?? [])]).filter((file) => /\.(js|css)$/.test(file)));
const kb = (files) => [...files].filter((file) => /\.(js|css)$/.test(file)).reduce((sum, file) => sum + sizeOf(file), 0) / 1024;

const publicKb = kb(publicPage);
const rows = [
  ['the public ranking page (entry + its route)', publicKb, publicPage.size],
  ['the first bundle alone (entry + static imports)', kb(closure(entry)), closure(entry).size],
  ['baseline: the whole app (every chunk)', kb(everything), everything.size],
];
console.log('JavaScript and CSS, gzip -9');
for (const [label, size, files] of rows) console.log(`  ${label.padEnd(50)} ${size.toFixed(1).padStart(7)} KB  (${files} files)`);
const ok = publicKb <= budgetKb;
console.log(`${ok ? 'within' : 'OVER'} the public page's budget of ${budgetKb} KB gzip`);
if (!ok) process.exit(1);
