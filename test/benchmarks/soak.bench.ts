import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { DAKNONG_FRAMEWORK_ID } from '@tieuchi/demo/daknong';
import { loadBundledFramework } from '@tieuchi/framework/domain';
import { LocalKeySet, LocalTokenIssuer, type Principal } from '@tieuchi/shared/auth';
import { loadConfig } from '@tieuchi/shared/config';
import { sparePort, startPostgresServer } from '@tieuchi/shared/testing';
import { provisionAccount } from '../faults/fault-harness';
import {
  CommandLane,
  demoUnits,
  HttpClient,
  LoadGenerator,
  openLoop,
  percentile,
  periodId,
  rankingPath,
  type Run,
  startProcess,
  stopProcess,
  until,
} from './api.bench';
import { latenciesBetween, meanBetween, type SoakSample, slopePerMinute } from './soak-figures';

/**
 * The soak of issue 20: the production shape (an API process with RUN_WORKER=false and a worker
 * process over a PostgreSQL server of its own, the Đắk Nông demo loaded) under score-criterion
 * commands at a fixed rate and public-ranking reads at another, for minutes. Every few seconds it
 * reads each process's RSS (/proc/<pid>/status) and event-loop delay (p99 and max of the interval,
 * from their /metrics, which reset the histogram at each scrape), and reports each figure's linear
 * drift per minute beside the same processes idle in the same run (the baseline). It prints and
 * never fails on a figure.
 */
export interface SoakOptions {
  readonly minutes: number;
  readonly commandRate: number;
  readonly readRate: number;
  /** How long the processes are measured idle first (the baseline), in seconds. */
  readonly idleSeconds: number;
  readonly sampleSeconds: number;
  readonly log?: (message: string) => void;
}

interface ProcessSamples {
  readonly rssMb: SoakSample[];
  readonly loopP99Ms: SoakSample[];
  readonly loopMaxMs: SoakSample[];
}

const metricsToken = 'soak';
const assessments = 50;

export async function runSoakBenchmark(options: SoakOptions): Promise<string> {
  const log = options.log ?? (() => undefined);
  // A PostgreSQL server of its own: minutes of load neither suffer from nor weigh on the shared one's other clients.
  const postgres = await startPostgresServer();
  const database = { connectionString: postgres.url() };
  const dataDir = mkdtempSync(join(tmpdir(), 'tieuchi-bench-soak-'));
  const port = await sparePort();
  const workerMetricsPort = await sparePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EVENT_STORE: 'postgres',
    DATABASE_URL: database.connectionString,
    DATA_DIR: dataDir,
    PORT: String(port),
    RUN_WORKER: 'false',
    LOG_LEVEL: 'warn',
    REDIS_URL: '',
    METRICS_TOKEN: metricsToken,
    // The reads come from one address: the public ranking's per-address limit would refuse most of them.
    PUBLIC_RATE_LIMIT: '0',
  };
  const children: ChildProcess[] = [];
  const http = new HttpClient(port);
  const generator = new LoadGenerator(port, join(dataDir, 'generator-gc-pauses.log'));
  try {
    log('starting the API (RUN_WORKER=false) with the Đắk Nông demo, then the worker …');
    const api = startProcess('api', ['--demo'], env, log);
    children.push(api);
    await until(async () => (await http.get('/health/ready').catch(() => ({ status: 0 }))).status === 200, 180_000, 'API ready');
    const worker = startProcess('worker', [], { ...env, METRICS_PORT: String(workerMetricsPort) }, log);
    children.push(worker);
    await until(async () => (await http.get(rankingPath)).status === 200, 180_000, 'published ranking projected');

    const lanes = await commandLanes(http, dataDir, database.connectionString);
    const sampled = { api: emptySamples(), worker: emptySamples() };
    const workerMetrics = new HttpClient(workerMetricsPort);
    /** `into` null: only resets the event-loop histograms, whose figures then cover what came before the phase. */
    const sampleOnce = async (phaseStartedAt: number, into: { api: ProcessSamples; worker: ProcessSamples } | null) => {
      const minute = (performance.now() - phaseStartedAt) / 60_000;
      for (const [name, child, client] of [['api', api, http], ['worker', worker, workerMetrics]] as const) {
        const rss = rssMbOf(child.pid);
        const loop = eventLoopDelayMs((await client.get('/metrics', `Bearer ${metricsToken}`)).body);
        if (!into) continue;
        if (rss !== null) into[name].rssMb.push({ minute, value: rss });
        into[name].loopP99Ms.push({ minute, value: loop.p99 });
        into[name].loopMaxMs.push({ minute, value: loop.max });
      }
    };
    const sampleDuring = async <T>(into: { api: ProcessSamples; worker: ProcessSamples }, work: Promise<T>): Promise<T> => {
      const startedAt = performance.now();
      let done = false;
      const sampler = (async () => {
        await sampleOnce(startedAt, null);
        for (;;) {
          const wait = new Promise((resolveTimer) => setTimeout(resolveTimer, options.sampleSeconds * 1_000));
          await Promise.race([wait, work.then(() => undefined, () => undefined)]);
          if (done) return;
          await sampleOnce(startedAt, into);
        }
      })();
      try {
        return await work;
      } finally {
        done = true;
        await sampler;
      }
    };

    log('warming up (10 s of both loads, unmeasured) …');
    await Promise.all([generator.run(rankingPath, options.readRate, 10), commandsAt(lanes, options.commandRate, 10)]);
    const idle = { api: emptySamples(), worker: emptySamples() };
    log(`idle baseline: ${options.idleSeconds} s without load …`);
    await sampleDuring(idle, new Promise((resolveTimer) => setTimeout(resolveTimer, options.idleSeconds * 1_000)));
    const seconds = options.minutes * 60;
    log(`soak: ${options.commandRate} commands/s and ${options.readRate} ranking reads/s for ${options.minutes} min …`);
    const [reads, commands] = await sampleDuring(
      sampled,
      Promise.all([generator.run(rankingPath, options.readRate, seconds), commandsAt(lanes, options.commandRate, seconds)]),
    );
    workerMetrics.close();

    return report(options, { idle, sampled, reads, commands });
  } finally {
    generator.close();
    http.close();
    await Promise.all(children.map((child) => stopProcess(child)));
    await postgres.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One assessment per lane in a period of its own, each scored by its own unit's editor. */
async function commandLanes(http: HttpClient, dataDir: string, databaseUrl: string): Promise<CommandLane[]> {
  const config = loadConfig();
  const issuer = new LocalTokenIssuer(await LocalKeySet.loadOrCreate(dataDir), { issuer: config.localIssuer, audience: config.localAudience });
  const adminPrincipal: Principal = { id: 'admin@soak', roles: ['admin'], unitCode: null, provinceCode: '67', national: false };
  await provisionAccount(databaseUrl, adminPrincipal);
  const framework = loadBundledFramework(DAKNONG_FRAMEWORK_ID);
  const opened = await http.post('/periods', `Bearer ${await issuer.issue(adminPrincipal)}`, {
    periodId,
    provinceCode: '67',
    year: 2020,
    framework: { id: DAKNONG_FRAMEWORK_ID, version: framework.version },
    deadlines: { selfAssessment: '2099-11-30', review: '2099-12-20', appealWindowDays: 15 },
  });
  if (opened.status !== 201) throw new Error(`opening ${periodId}: ${opened.status} ${opened.body}`);
  return Promise.all(
    demoUnits()
      .slice(0, assessments)
      .map(async (unit) => {
        const principal: Principal = { id: `editor.${unit.code}@soak`, roles: ['unit_editor'], unitCode: unit.code, provinceCode: '67', national: false };
        await provisionAccount(databaseUrl, principal);
        const bearer = `Bearer ${await issuer.issue(principal)}`;
        const started = await http.post(`/periods/${periodId}/assessments/${unit.code}`, bearer, {});
        if (started.status !== 201) throw new Error(`starting ${unit.code}: ${started.status} ${started.body}`);
        const criteria = (framework.tiers.find((t) => t.tier === unit.tier)?.parts ?? []).flatMap((p) => p.groups.flatMap((g) => g.criteria));
        return new CommandLane(http, bearer, unit.code, criteria);
      }),
  );
}

/** Score-criterion commands at a fixed rate, round robin over the lanes (each lane's commands in turn, so none conflicts). */
function commandsAt(lanes: readonly CommandLane[], rate: number, seconds: number): Promise<Run> {
  let sent = 0;
  return openLoop(rate, seconds, () => lanes[sent++ % lanes.length]!.next());
}

function emptySamples(): ProcessSamples {
  return { rssMb: [], loopP99Ms: [], loopMaxMs: [] };
}

function rssMbOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}

/** prom-client's event-loop delay of the interval since the previous scrape (it resets the histogram when collected). */
function eventLoopDelayMs(metrics: string): { p99: number; max: number } {
  const read = (name: string) => Number(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(metrics)?.[1] ?? Number.NaN) * 1000;
  return { p99: read('nodejs_eventloop_lag_p99_seconds'), max: read('nodejs_eventloop_lag_max_seconds') };
}

function report(
  options: SoakOptions,
  run: { idle: Record<'api' | 'worker', ProcessSamples>; sampled: Record<'api' | 'worker', ProcessSamples>; reads: Run; commands: Run },
): string {
  const minutes = options.minutes;
  // The first minute is the same-run baseline of the load phase; the drift is measured after it, where the heap has settled.
  const settled = (samples: readonly SoakSample[]) => (minutes > 1 ? samples.filter((s) => s.minute >= 1) : samples);
  const f = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
  const signed = (value: number, digits = 2) => (Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(digits)}` : 'n/a');
  const rows: string[][] = [];
  for (const name of ['api', 'worker'] as const) {
    const load = run.sampled[name];
    const idle = run.idle[name];
    rows.push(
      [`${name} RSS (MB)`, f(meanBetween(load.rssMb, 0, 1)), f(meanBetween(load.rssMb, minutes - 1, Infinity)), signed(slopePerMinute(settled(load.rssMb))), f(meanBetween(idle.rssMb, 0, Infinity)), signed(slopePerMinute(idle.rssMb))],
      [`${name} event-loop delay p99 (ms)`, f(meanBetween(load.loopP99Ms, 0, 1)), f(meanBetween(load.loopP99Ms, minutes - 1, Infinity)), signed(slopePerMinute(settled(load.loopP99Ms))), f(meanBetween(idle.loopP99Ms, 0, Infinity)), signed(slopePerMinute(idle.loopP99Ms))],
      [`${name} event-loop delay max (ms)`, f(meanBetween(load.loopMaxMs, 0, 1)), f(meanBetween(load.loopMaxMs, minutes - 1, Infinity)), signed(slopePerMinute(settled(load.loopMaxMs))), f(meanBetween(idle.loopMaxMs, 0, Infinity)), signed(slopePerMinute(idle.loopMaxMs))],
    );
  }
  const lastMinuteFromMs = (minutes - 1) * 60_000;
  for (const [name, phase] of [['command', run.commands], ['ranking read', run.reads]] as const) {
    const timeline = phase.timeline ?? [];
    rows.push([
      `${name} p99 (ms)`,
      f(percentile(latenciesBetween(timeline, 0, 60_000), 0.99)),
      f(percentile(latenciesBetween(timeline, lastMinuteFromMs, Infinity), 0.99)),
      signed(slopePerMinute(p99PerHalfMinute(timeline, minutes))),
      '—',
      '—',
    ]);
  }
  const header = ['measure', 'first minute', 'last minute', 'slope /min (after minute 1)', 'idle baseline', 'idle slope /min'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  const notes = [
    `${minutes} min at ${options.commandRate} score-criterion commands/s (${run.commands.count.toLocaleString('en-US')} sent, achieved ${run.commands.achievedRate.toFixed(0)}/s) over ${assessments} assessments, and ${options.readRate} anonymous public-ranking reads/s (GET ${rankingPath}; ${run.reads.count.toLocaleString('en-US')} sent, achieved ${run.reads.achievedRate.toFixed(0)}/s) from a lean child process; open loop: latency counts from the scheduled send`,
    `errors (non-2xx or failed): commands ${run.commands.errors}, reads ${run.reads.errors}${run.commands.firstError ? `; first command failure: ${run.commands.firstError}` : ''}${run.reads.firstError ? `; first read failure: ${run.reads.firstError}` : ''}`,
    `overall p99: commands ${f(percentile(run.commands.latencies, 0.99))} ms (p50 ${f(percentile(run.commands.latencies, 0.5))}), reads ${f(percentile(run.reads.latencies, 0.99))} ms (p50 ${f(percentile(run.reads.latencies, 0.5))})`,
    `slopes: least-squares regression of the samples on time, per minute; samples every ${options.sampleSeconds} s (latency p99: one per half minute); the load phase's slope leaves out its first minute (warm-up after 10 s of unmeasured load) when the run is longer than a minute; on a 2-minute run that leaves one minute, so the slopes are rough, and the 30-minute run (--minutes 30) is the one that says whether a figure drifts`,
    `baseline: the same two processes idle for ${options.idleSeconds} s just before the load, and the load's own first minute`,
    `event-loop delay from each process's prom-client histogram (monitorEventLoopDelay, 20 ms resolution), reset at every scrape: each sample is the p99 / max of its interval`,
    `${availableParallelism()} CPUs shared by PostgreSQL, the API process, the worker process and this client (and whatever else the machine runs); PostgreSQL is a server of the benchmark's own (initdb, fsync off as in the fault tests)`,
  ];
  return [`tieuchi soak (${minutes} min)`, line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), '', ...notes.map((note) => `* ${note}`)].join('\n');
}

/** The p99 of each half minute of a run (after the first minute when there is more), as samples at the window's middle to regress on. */
function p99PerHalfMinute(timeline: readonly (readonly [number, number])[], minutes: number): SoakSample[] {
  const samples: SoakSample[] = [];
  for (let from = minutes > 1 ? 1 : 0; from < minutes; from += 0.5) {
    const latencies = latenciesBetween(timeline, from * 60_000, (from + 0.5) * 60_000);
    if (latencies.length > 0) samples.push({ minute: from + 0.25, value: percentile(latencies, 0.99) });
  }
  return samples;
}

async function main(): Promise<void> {
  const program = new Command('bench:soak')
    .description('Soaks the API and worker processes over PostgreSQL with commands and reads at fixed rates, and reports RSS and event-loop delay drift per minute.')
    .option('--minutes <n>', 'how long the load runs', (value) => Number(value), 2)
    .option('--command-rate <n>', 'score-criterion commands per second', (value) => Number(value), 100)
    .option('--read-rate <n>', 'public-ranking reads per second', (value) => Number(value), 500)
    .option('--idle-seconds <n>', 'the idle baseline before the load', (value) => Number(value), 30)
    .option('--sample-seconds <n>', 'how often RSS and event-loop delay are read', (value) => Number(value), 5)
    .showHelpAfterError();
  program.parse(process.argv);
  const opts = program.opts<{ minutes: number; commandRate: number; readRate: number; idleSeconds: number; sampleSeconds: number }>();
  for (const [name, value] of Object.entries(opts)) if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  const result = await runSoakBenchmark({ ...opts, log: (message) => process.stderr.write(`${message}\n`) });
  process.stdout.write(`${result}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
