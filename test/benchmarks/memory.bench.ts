import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command, Option } from 'commander';
import { sparePort } from '@tieuchi/shared/testing';
import { type BenchFigure, formatReport } from './bench-report';
import { builtServiceEntry } from './built-services';

export type MemoryBenchmarkSize = 'smoke' | 'full';

export const memoryMeasures = {
  node: 'bare node process',
  pgliteDefault: 'bare PGlite, its default options',
  pgliteOurs: 'bare PGlite, 16 MB shared_buffers, one GC',
  apiIdle: 'API idle, empty DATA_DIR',
  apiDemo: 'API idle, Đắk Nông demo loaded',
} as const;

export interface MemoryBenchmarkOptions {
  readonly size: MemoryBenchmarkSize;
  /** How long a process sits idle after it is ready before its RSS is read. */
  readonly settleMs?: number;
  readonly log?: (message: string) => void;
}

export interface MemoryBenchmarkResult {
  readonly size: MemoryBenchmarkSize;
  readonly figures: readonly BenchFigure[];
  readonly report: string;
}

const READY = 'READY';
// The pglite adapter's options, restated here so the baseline is PGlite itself, not our client.
const pgliteScript = (ours: boolean) => `
const { PGlite } = require('@electric-sql/pglite');
PGlite.create(process.argv[1], ${ours ? "{ startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'] }" : '{}'})
  .then(async (db) => {
    await db.query('select 1');
    ${ours ? "setTimeout(() => { require('node:v8').setFlagsFromString('--expose-gc'); require('node:vm').runInNewContext('gc')(); console.log('" + READY + "'); }, 500);" : "console.log('" + READY + "');"}
    setInterval(() => undefined, 1 << 30);
  });
`;

/**
 * Resident memory of the embedded mode as `npm start` runs it (dist build, DATA_DIR in a temp
 * folder), read from /proc/<pid>/status once the process is ready and has sat idle, next to a bare
 * node process and a bare PGlite started in the same run. Targets of issue #19: ≤ 300 MB idle,
 * ≤ 500 MB with the demo loaded. Never fails on a figure.
 */
export async function runMemoryBenchmark(options: MemoryBenchmarkOptions): Promise<MemoryBenchmarkResult> {
  const log = options.log ?? (() => undefined);
  const settleMs = options.settleMs ?? (options.size === 'smoke' ? 6_000 : 10_000);
  const node = await measure(['-e', `console.log('${READY}'); setInterval(() => undefined, 1 << 30)`], {}, settleMs, 'stdout');
  log(`bare node: ${node} MB`);
  const pgliteDefault = await withTempDir((dir) => measure(['-e', pgliteScript(false), join(dir, 'pgdata')], {}, settleMs, 'stdout'));
  log(`bare PGlite (defaults): ${pgliteDefault} MB`);
  const pgliteOurs = await withTempDir((dir) => measure(['-e', pgliteScript(true), join(dir, 'pgdata')], {}, settleMs, 'stdout'));
  log(`bare PGlite (ours): ${pgliteOurs} MB`);
  const entry = builtServiceEntry('api');
  const apiIdle = await withTempDir((dir) => measureApi(entry, dir, [], settleMs));
  log(`API idle: ${apiIdle} MB`);
  const figures: BenchFigure[] = [
    { name: memoryMeasures.node, unit: 'MB', ours: node },
    { name: memoryMeasures.pgliteDefault, unit: 'MB', ours: pgliteDefault },
    { name: memoryMeasures.pgliteOurs, unit: 'MB', ours: pgliteOurs, baseline: pgliteDefault },
    { name: memoryMeasures.apiIdle, unit: 'MB', ours: apiIdle, baseline: pgliteDefault, targetAtMost: 300 },
  ];
  if (options.size === 'full') {
    const apiDemo = await withTempDir((dir) => measureApi(entry, dir, ['--demo'], settleMs));
    log(`API with demo: ${apiDemo} MB`);
    figures.push({ name: memoryMeasures.apiDemo, unit: 'MB', ours: apiDemo, baseline: pgliteDefault, targetAtMost: 500 });
  }
  const report = formatReport(`Memory (RSS), size ${options.size}`, figures, [
    `RSS from /proc/<pid>/status after the process is ready and ${settleMs / 1000} s idle; each process starts on an empty temp folder.`,
    'Baselines: a bare node process, and a bare PGlite with its default options (shared_buffers 128 MB, no collection after initdb); ratio = tieuchi / bare PGlite.',
    'The API sets shared_buffers to PGLITE_SHARED_BUFFERS_MB (16) and runs one full GC 3 s after listening (initdb\'s WebAssembly instance and start-up garbage).',
    'The API runs as `npm start` does (dist build, EVENT_STORE=pglite, worker in-process, no Redis); the demo row only at size full.',
  ]);
  return { size: options.size, figures, report };
}

function measureApi(entry: string, dir: string, args: readonly string[], settleMs: number): Promise<number> {
  return sparePort().then((port) =>
    measure([entry, ...args], { DATA_DIR: join(dir, 'data'), PORT: String(port), EVENT_STORE: 'pglite', RUN_WORKER: 'auto', LOG_LEVEL: 'warn', REDIS_URL: '' }, settleMs, {
      url: `http://127.0.0.1:${port}/health/ready`,
    }),
  );
}

async function measure(args: readonly string[], env: Record<string, string>, settleMs: number, ready: 'stdout' | { readonly url: string }): Promise<number> {
  const child = spawn(process.execPath, [...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  try {
    await waitReady(child, ready, () => stderr);
    await sleep(settleMs);
    return residentMb(child.pid ?? 0);
  } finally {
    child.kill('SIGTERM');
    await new Promise<void>((resolve) => (child.exitCode === null ? child.once('exit', () => resolve()) : resolve()));
  }
}

async function waitReady(child: ChildProcess, ready: 'stdout' | { readonly url: string }, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 300_000;
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before ready: ${stderr()}`);
    if (Date.now() > deadline) throw new Error(`process not ready after 300 s: ${stderr()}`);
    if (ready === 'stdout' ? out.includes(READY) : await answers(ready.url)) return;
    await sleep(250);
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url);
    return response.ok;
  } catch {
    return false;
  }
}

function residentMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Math.round(Number(match[1]) / 1024);
}

async function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'tieuchi-memory-bench-'));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npm run bench:memory -- [--size smoke|full]` */
export async function runMemoryBenchmarkCli(argv: readonly string[]): Promise<void> {
  const program = new Command('bench:memory')
    .description('Resident memory of the embedded mode, next to a bare node process and a bare PGlite')
    .addOption(new Option('--size <size>', 'smoke (idle API only, for CI) or full (idle and with the Đắk Nông demo)').choices(['smoke', 'full']).default('full'));
  program.parse([...argv]);
  const options = program.opts<{ size: MemoryBenchmarkSize }>();
  const result = await runMemoryBenchmark({ size: options.size, log: (message) => process.stderr.write(`[bench] ${message}\n`) });
  console.log(result.report);
}

if (require.main === module) {
  runMemoryBenchmarkCli(process.argv).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
