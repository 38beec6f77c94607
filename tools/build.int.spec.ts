import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sparePort } from '@tieuchi/shared/testing';

const workspaceRoot = resolve(__dirname, '..');

function runBuild(outDir: string): string {
  return execFileSync(process.execPath, [join(workspaceRoot, 'tools', 'build.cjs'), outDir], { cwd: workspaceRoot, encoding: 'utf8' });
}

// `npm start` runs the services from what tools/build.cjs writes: this proves that output runs.
describe('the build that npm start runs', () => {
  // Under the workspace (tmp/ is ignored), so node_modules resolves as it does for dist/.
  const outDir = join(workspaceRoot, 'tmp', `build-check-${process.pid}`);
  let dataDir: string;
  let api: ChildProcess | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tieuchi-build-check-'));
  });

  afterAll(async () => {
    if (api && api.exitCode === null) {
      const exited = new Promise((resolveExit) => api?.once('exit', resolveExit));
      api.kill('SIGTERM');
      await exited;
    }
    rmSync(outDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('compiles every service module and the data they read, rewrites nothing unchanged and drops output whose source is gone', () => {
    expect(runBuild(outDir)).toMatch(/written, 0 removed/);
    for (const file of ['apps/api/src/main.js', 'apps/worker/src/main.js', 'libs/framework/domain/src/lib/definition/framework-definition.schema.json', 'config/frameworks']) {
      expect(existsSync(join(outDir, file))).toBe(true);
    }
    expect(existsSync(join(outDir, 'libs/shared/http/src/lib/public-response-cache.unit.spec.js'))).toBe(false);

    const stray = join(outDir, 'libs', 'gone', 'src', 'index.js');
    mkdirSync(join(outDir, 'libs', 'gone', 'src'), { recursive: true });
    writeFileSync(stray, 'module.exports = {};');
    expect(runBuild(outDir)).toMatch(/, 0 written, 1 removed/);
    expect(existsSync(stray)).toBe(false);
  }, 60_000);

  it('starts the API on the embedded default and answers, with no TypeScript loader', async () => {
    const port = await sparePort();
    let output = '';
    api = spawn(process.execPath, [join(outDir, 'apps', 'api', 'src', 'main.js')], {
      cwd: workspaceRoot,
      env: { ...process.env, EVENT_STORE: 'pglite', DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', REDIS_URL: '', RUN_WORKER: 'auto' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    api.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    api.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 60_000;
    let live: Response | undefined;
    while (Date.now() < deadline && api.exitCode === null) {
      live = await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => undefined);
      if (live?.ok) break;
      await new Promise((resolveWait) => setTimeout(resolveWait, 250));
    }
    if (!live?.ok) throw new Error(`the built API did not come up:\n${output.slice(-2_000)}`);
    const problem = await fetch(`http://127.0.0.1:${port}/periods/none/rankings/commune/readiness`);
    expect(problem.status).toBe(404);
    expect(problem.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  }, 90_000);
});
