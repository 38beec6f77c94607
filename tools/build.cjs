// Compiles the services for running: apps/ and libs/ to JavaScript in dist/ (tree kept, specs
// left out) with SWC, the workspace path aliases of tsconfig.base.json rewritten to relative
// requires, and the data the code reads at run time (config/, JSON schemas) copied beside it.
// Services run from dist/ so no compiler is loaded into them: @swc-node/register brings the
// TypeScript compiler and every module's source map into the heap (67 MB live after start for
// the API, 43 MB compiled), and each garbage collection has to walk it.
//
// Usage: node tools/build.cjs [outDir]   (default dist/; node_modules resolves from the workspace)
const { transformFile } = require('@swc/core');
const { mkdir, readdir, readFile, rename, rm, writeFile } = require('node:fs/promises');
const { dirname, join, relative, resolve, sep } = require('node:path');

const workspaceRoot = resolve(__dirname, '..');
const sourceRoots = ['apps', 'libs'];
// apps/web is a browser bundle: Vite builds it (tools/build-web.cjs), not this compiler.
const browserOnly = join('apps', 'web');
const isTestOrDeclaration = (name) => /\.spec\.ts$/.test(name) || /\.d\.ts$/.test(name);

async function filesUnder(directory) {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** tsconfig.base.json is JSON with comments; the paths and the SWC options come from the files the tests use too. */
async function compilerOptions() {
  const tsconfig = (await readFile(join(workspaceRoot, 'tsconfig.base.json'), 'utf8')).replace(/^\s*\/\/.*$/gm, '');
  const swcrc = JSON.parse(await readFile(join(workspaceRoot, '.swcrc'), 'utf8'));
  const { paths } = JSON.parse(tsconfig).compilerOptions;
  return {
    ...swcrc,
    swcrc: false,
    sourceMaps: false,
    jsc: { ...swcrc.jsc, baseUrl: workspaceRoot, paths },
  };
}

/**
 * Writes a file only when its content changed, through a rename, so that an API and a worker
 * started together (each `npm start*` builds first) never read a half-written module and a
 * running process never has its files replaced by the same content.
 */
async function writeIfChanged(target, content) {
  const current = await readFile(target).catch(() => null);
  if (current !== null && current.equals(content)) return false;
  await mkdir(dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, target);
  return true;
}

async function build(outDir = join(workspaceRoot, 'dist')) {
  const started = Date.now();
  const options = await compilerOptions();
  const wanted = new Set();
  let written = 0;
  const emit = async (target, content) => {
    wanted.add(target);
    if (await writeIfChanged(target, content)) written += 1;
  };
  for (const root of sourceRoots) {
    for (const file of await filesUnder(join(workspaceRoot, root))) {
      if (!file.includes(`${sep}src${sep}`) || relative(workspaceRoot, file).startsWith(browserOnly + sep)) continue;
      const target = join(outDir, relative(workspaceRoot, file));
      if (file.endsWith('.ts') && !isTestOrDeclaration(file)) {
        const { code } = await transformFile(file, { ...options, filename: file });
        await emit(target.replace(/\.ts$/, '.js'), Buffer.from(code));
      } else if (file.endsWith('.json')) {
        await emit(target, await readFile(file));
      }
    }
  }
  for (const file of await filesUnder(join(workspaceRoot, 'config'))) {
    await emit(join(outDir, relative(workspaceRoot, file)), await readFile(file));
  }
  // Output of a source file that is gone would otherwise linger and could still be required.
  let removed = 0;
  for (const root of [...sourceRoots, 'config']) {
    for (const file of await filesUnder(join(outDir, root)).catch(() => [])) {
      if (wanted.has(file) || file.endsWith('.tmp')) continue;
      await rm(file, { force: true });
      removed += 1;
    }
  }
  return { outDir, modules: wanted.size, written, removed, ms: Date.now() - started };
}

module.exports = { build };

if (require.main === module) {
  build(process.argv[2] ? resolve(process.argv[2]) : undefined).then(
    ({ outDir, modules, written, removed, ms }) =>
      console.log(`built ${relative(process.cwd(), outDir) || '.'}: ${modules} files, ${written} written, ${removed} removed, in ${ms} ms`),
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
