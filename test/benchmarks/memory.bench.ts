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
  pgliteOurs: 'bare PGlite as the API opens it',
  apiIdle: 'API idle, empty DATA_DIR',
  apiRestart: 'API idle, restarted on its DATA_DIR',
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
const METRICS_TOKEN = 'memory-bench';
// The pglite adapter's way, restated here so the baseline is PGlite itself, not our client: the
// folder initialized by a process of its own, then opened with 16 MB shared_buffers.
const pgliteScript = (ours: boolean) => `
const { PGlite } = require('@electric-sql/pglite');
${ours ? "require('node:child_process').execFileSync(process.execPath, ['-e', \"require('@electric-sql/pglite').PGlite.create(process.argv[1]).then((db) => db.close())\", process.argv[1]]);" : ''}
PGlite.create(process.argv[1], ${ours ? "{ startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'] }" : '{}'})
  .then(async (db) => {
    await db.query('select 1');
    ${ours ? "setTimeout(() => { require('node:v8').setFlagsFromString('--expose-gc'); require('node:vm').runInNewContext('gc')(); console.log('" + READY + " heap=' + process.memoryUsage().heapTotal); }, 500);" : "console.log('" + READY + "');"}
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
  let pgliteHeap = 0;
  const pgliteOurs = await withTempDir((dir) =>
    measure(['-e', pgliteScript(true), join(dir, 'pgdata')], {}, settleMs, 'stdout', async (stdout) => {
      pgliteHeap = Math.round(Number(/heap=(\d+)/.exec(stdout)?.[1] ?? Number.NaN) / 1024 / 1024);
    }),
  );
  log(`bare PGlite (ours): ${pgliteOurs} MB`);
  const entry = builtServiceEntry('api');
  const breakdown: string[] = [];
  const api = async (name: string, dir: string, args: readonly string[]) => {
    const figure = await measureApi(entry, dir, args, settleMs);
    log(`${name}: ${figure.rss} MB`);
    breakdown.push(
      `${name}: ${figure.rss} MB = bare node ${node} + PGlite ${pgliteOurs - node} (bare PGlite as the API opens it, less bare node) + the app's V8 heap beyond bare PGlite's ${figure.heapTotal - pgliteHeap} (${figure.heapUsed} MB live of ${figure.heapTotal}) + the rest ${figure.rss - pgliteOurs - (figure.heapTotal - pgliteHeap)} (native allocations, the modules' code, WASM pages the queries touched).`,
    );
    return figure.rss;
  };
  const apiIdle = await withTempDir((dir) => api(memoryMeasures.apiIdle, dir, []));
  const figures: BenchFigure[] = [
    { name: memoryMeasures.node, unit: 'MB', ours: node },
    { name: memoryMeasures.pgliteDefault, unit: 'MB', ours: pgliteDefault },
    { name: memoryMeasures.pgliteOurs, unit: 'MB', ours: pgliteOurs, baseline: pgliteDefault },
    { name: memoryMeasures.apiIdle, unit: 'MB', ours: apiIdle, baseline: pgliteDefault, targetAtMost: 300 },
  ];
  if (options.size === 'full') {
    const apiRestart = await withTempDir(async (dir) => {
      await api('(first start, not reported)', dir, []);
      breakdown.pop();
      return api(memoryMeasures.apiRestart, dir, []);
    });
    figures.push({ name: memoryMeasures.apiRestart, unit: 'MB', ours: apiRestart, baseline: pgliteDefault, targetAtMost: 300 });
    const apiDemo = await withTempDir((dir) => api(memoryMeasures.apiDemo, dir, ['--demo']));
    figures.push({ name: memoryMeasures.apiDemo, unit: 'MB', ours: apiDemo, baseline: pgliteDefault, targetAtMost: 500 });
  }
  const report = formatReport(`Memory (RSS), size ${options.size}`, figures, [
    `RSS from /proc/<pid>/status after the process is ready and ${settleMs / 1000} s idle; each process starts on an empty temp folder (the restart row: a second start on the folder of a first).`,
    'Baselines: a bare node process, and a bare PGlite with its default options (shared_buffers 128 MB, initdb in its own process); ratio = tieuchi / bare PGlite.',
    'The API initializes a new DATA_DIR in a short-lived process of its own (initdb churn would stay in its C allocator, ~150 MB), sets shared_buffers to PGLITE_SHARED_BUFFERS_MB (16), runs one full GC 3 s after listening, and loads ExcelJS, pdfmake, the AWS SDK, nodemailer, KurrentDB, BullMQ and the OpenAPI document only at first use.',
    'The API runs as `npm start` does (dist build, EVENT_STORE=pglite, worker in-process, no Redis; METRICS_TOKEN set so its heap figures can be read from /metrics); the restart and demo rows only at size full.',
    ...breakdown,
  ]);
  return { size: options.size, figures, report };
}

interface ApiMemory {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
}

async function measureApi(entry: string, dir: string, args: readonly string[], settleMs: number): Promise<ApiMemory> {
  const port = await sparePort();
  const env = { DATA_DIR: join(dir, 'data'), PORT: String(port), EVENT_STORE: 'pglite', RUN_WORKER: 'auto', LOG_LEVEL: 'warn', REDIS_URL: '', METRICS_TOKEN };
  let heap = { heapUsed: 0, heapTotal: 0 };
  const rss = await measure([entry, ...args], env, settleMs, { url: `http://127.0.0.1:${port}/health/ready` }, async () => {
    heap = await heapOf(`http://127.0.0.1:${port}/metrics`);
  });
  return { rss, ...heap };
}

/** The V8 heap as prom-client's default collectors report it, in MB. */
async function heapOf(url: string): Promise<{ heapUsed: number; heapTotal: number }> {
  const text = await (await fetch(url, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const mb = (metric: string) => Math.round(Number(new RegExp(`^${metric} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN) / 1024 / 1024);
  return { heapUsed: mb('nodejs_heap_size_used_bytes'), heapTotal: mb('nodejs_heap_size_total_bytes') };
}

async function measure(
  args: readonly string[],
  env: Record<string, string>,
  settleMs: number,
  ready: 'stdout' | { readonly url: string },
  afterRss: (stdout: string) => Promise<void> = async () => undefined,
): Promise<number> {
  const child = spawn(process.execPath, [...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  try {
    const stdout = await waitReady(child, ready, () => stderr);
    await sleep(settleMs);
    const rss = residentMb(child.pid ?? 0);
    await afterRss(stdout);
    return rss;
  } finally {
    child.kill('SIGTERM');
    await new Promise<void>((resolve) => (child.exitCode === null ? child.once('exit', () => resolve()) : resolve()));
  }
}

/** Resolves with what the process printed so far once it is ready. */
async function waitReady(child: ChildProcess, ready: 'stdout' | { readonly url: string }, stderr: () => string): Promise<string> {
  const deadline = Date.now() + 300_000;
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before ready: ${stderr()}`);
    if (Date.now() > deadline) throw new Error(`process not ready after 300 s: ${stderr()}`);
    if (ready === 'stdout' ? out.includes(READY) : await answers(ready.url)) return out;
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
