import { Command, Option } from 'commander';
import { ASSESSMENT_SUMMARY_PROJECTION_ID } from '@tieuchi/assessment/data-access';
import { assessmentSummaryRunnerOptions } from '@tieuchi/assessment/feature';
import { FrameworkVersions } from '@tieuchi/framework/data-access';
import { auditTrailProjection, auditTrailRunnerOptions } from '@tieuchi/audit/feature';
import { RANKINGS_PROJECTION_ID } from '@tieuchi/ranking/data-access';
import { rankingsRunnerOptions } from '@tieuchi/ranking/feature';
import { queuePrefix, storeIdentityOf } from '@tieuchi/recalculation/feature';
import { type AppConfig, loadConfig } from '@tieuchi/shared/config';
import { createPostgresEventStore, type EventStore, ProjectionRunner, PostgresSqlClient, RebuildableProjection } from '@tieuchi/shared/event-store';
import { createTestDatabase, type TestDatabase, testDatabaseUrl } from '@tieuchi/shared/testing';
import { loadavg } from 'node:os';
import { type BenchFigure, formatReport, timed } from './bench-report';
import { builtServiceEntry } from './built-services';
import { StatementSampler } from './statement-sampler';
import { cpuSecondsBetween, cpuSecondsByPid, cpuSecondsOf } from './process-cpu';
import { caughtUp, clearRedis, type Plan, plans, projectionCheckpoints, seed, spawnNode, stopChild } from './recalculation.bench';
import { type HostedRunnerOptions, READ_MODEL_SCHEMA } from '@tieuchi/shared/application';

/**
 * The read side's rebuild benchmark (issue 19): a generated national history (the one
 * bench:recalculation seeds) caught up by every projection of apps/worker from an empty read model,
 * and one projection rebuilt on its own, next to the raw ordered read of the same events. It prints
 * figures and never fails on a timing.
 */

export type RebuildBenchmarkSize = 'smoke' | 'tenth' | 'full';

/** A tenth of the country: 6 provinces, about 1,080 assessments. */
const sizes: Record<RebuildBenchmarkSize, Plan> = {
  smoke: plans.smoke,
  tenth: { ...plans.full, provinces: 6, districts: 67, communes: 1_010 },
  full: plans.full,
};

const targets: Record<'catchUp' | 'single', number> = { catchUp: 90_000, single: 60_000 };

export const rebuildMeasures = {
  rawRead: 'raw ordered read of every event ($all, 1,000 a batch)',
  catchUp: 'every projection of apps/worker catches up from an empty read model',
  single: (projection: string) => `${projection} alone, rebuilt from an empty read model`,
  zeroDowntime: 'audit trail rebuilt beside its live version, until the new one is live',
} as const;

export interface RebuildBenchmarkOptions {
  readonly size: RebuildBenchmarkSize;
  readonly redisUrl?: string;
  readonly timeoutMinutes?: number;
  /** A database an earlier run of the same size kept (--keep-database): its read models are dropped, its events kept. */
  readonly reuseDatabase?: string;
  readonly keepDatabase?: boolean;
  /** Only the catch-up of every projection, not the single rebuilds. */
  readonly catchUpOnly?: boolean;
  /** Only this projection rebuilt alone (no catch-up of the worker, no other rebuild). */
  readonly only?: SingleProjectionName | 'audit trail';
  /** Samples the database's active statements during the catch-up and lists the busiest (a profile of the SQL side). */
  readonly sampleStatements?: boolean;
  readonly log?: (message: string) => void;
}

export interface RebuildBenchmarkResult {
  readonly size: RebuildBenchmarkSize;
  readonly figures: readonly BenchFigure[];
  readonly report: string;
}

/** Reads the whole feed in order, as a projection does, doing nothing with the events. */
async function rawOrderedRead(store: EventStore): Promise<number> {
  let checkpoint: string | null = null;
  let events = 0;
  for (;;) {
    const page = await store.readAll(checkpoint, 1_000);
    events += page.events.length;
    if (page.events.length === 0 || page.checkpoint === null) return events;
    checkpoint = page.checkpoint;
  }
}

export type SingleProjectionName = 'rankings' | 'assessment summary';

interface SingleProjection {
  readonly name: SingleProjectionName;
  /** The runner's options as its host takes them. */
  readonly runner: (frameworks: FrameworkVersions) => HostedRunnerOptions;
}

const singles: readonly SingleProjection[] = [
  { name: 'rankings', runner: rankingsRunnerOptions },
  { name: 'assessment summary', runner: assessmentSummaryRunnerOptions },
];

/** The batch sizes a projection's runner takes, as the notes print them. */
function batchesOf(projection: SingleProjection, store: EventStore): string {
  const { batchSize, catchUpBatchSize } = projection.runner(new FrameworkVersions(store));
  return `batches of ${batchSize ?? 1_000} (${catchUpBatchSize ?? batchSize ?? 1_000} while behind)`;
}

/** One projection's runner, as its host runs it, from an empty read model to the head of the feed. */
async function rebuildOne(store: EventStore, sql: PostgresSqlClient, projection: SingleProjection, head: string, timeoutMs: number): Promise<number> {
  await sql.query(`DROP SCHEMA IF EXISTS ${READ_MODEL_SCHEMA} CASCADE`);
  const runner = new ProjectionRunner({ ...projection.runner(new FrameworkVersions(store)), source: store, database: sql, schema: READ_MODEL_SCHEMA, pollIntervalMs: 50, maxAttempts: 1 });
  return timed(async () => {
    await runner.start();
    try {
      await runner.waitFor(head, timeoutMs);
    } finally {
      await runner.stop();
    }
  });
}

export async function runRebuildBenchmark(options: RebuildBenchmarkOptions): Promise<RebuildBenchmarkResult> {
  const plan = sizes[options.size];
  const log = options.log ?? (() => undefined);
  const redisUrl = options.redisUrl ?? 'redis://127.0.0.1:6379';
  const timeoutMs = (options.timeoutMinutes ?? (options.size === 'smoke' ? 2 : 60)) * 60_000;
  const database = options.reuseDatabase ? existingDatabase(options.reuseDatabase) : await createTestDatabase('bench_rebuild');
  const keep = options.keepDatabase === true || options.reuseDatabase !== undefined;
  const config: AppConfig = { ...loadConfig({}), eventStore: 'postgres', databaseUrl: database.connectionString, redisUrl };
  const prefix = queuePrefix(storeIdentityOf(config));
  const sql = new PostgresSqlClient({ connectionString: database.connectionString, maxConnections: 8 });
  const figures: BenchFigure[] = [];
  const notes: string[] = [];
  const load = () => loadavg().map((l) => l.toFixed(1)).join(' / ');
  try {
    const store = await createPostgresEventStore({ client: sql });
    if (options.reuseDatabase) {
      await dropReadModels(sql);
      const { rows } = await sql.query<{ n: string }>('SELECT count(*)::text AS n FROM event_store.events');
      notes.push(`${options.reuseDatabase}, seeded by an earlier run: ${Number(rows[0]?.n ?? 0).toLocaleString('en-US')} events, its read models dropped`);
    } else {
      const seeded = await seed(store, plan, log);
      log(`seeded ${seeded.events.toLocaleString('en-US')} events in ${seeded.seconds.toFixed(1)} s${keep ? ` into ${database.name} (kept)` : ''}`);
      notes.push(
        `${plan.provinces} periods, ${plan.districts} districts and ${plan.communes} communes (${seeded.assessmentStreams.length.toLocaleString('en-US')} approved assessments): ` +
          `${seeded.events.toLocaleString('en-US')} events, seeded as bench:recalculation seeds them`,
      );
    }
    await sql.query('ANALYZE');

    let read = 0;
    const rawSeconds = await timed(async () => {
      read = await rawOrderedRead(store);
    });
    log(`raw ordered read of ${read.toLocaleString('en-US')} events in ${rawSeconds.toFixed(1)} s`);
    figures.push({ name: rebuildMeasures.rawRead, unit: 'ms', ours: rawSeconds * 1_000 });

    if (options.only === 'audit trail') {
      const head = await lastCheckpoint(store);
      const loadAt = load();
      const rebuilt = head === null ? { seconds: 0, cpu: 'nothing to do' } : await auditTrailBesideHeldLiveVersion(store, sql, database.name, head, timeoutMs, log);
      figures.push({ name: rebuildMeasures.zeroDowntime, unit: 'ms', ours: rebuilt.seconds * 1_000, baseline: rawSeconds * 1_000, targetAtMost: targets.single });
      notes.push(
        `audit trail: RebuildableProjection.requestRebuild in this process with the host's batches (${auditTrailRunnerOptions.batchSize}, ${auditTrailRunnerOptions.catchUpBatchSize} while behind), ` +
          `beside a live version brought to the head without writing its rows first (so the run builds the trail once, not twice); ${rebuilt.cpu}; load average before ${loadAt}, after ${load()}`,
      );
    } else if (options.only) {
      const projection = singles.find((single) => single.name === options.only) as SingleProjection;
      const head = await lastCheckpoint(store);
      const loadAt = load();
      const seconds = head === null ? 0 : await rebuildOne(store, sql, projection, head, timeoutMs);
      log(`${projection.name} rebuilt alone in ${seconds.toFixed(1)} s`);
      figures.push({ name: rebuildMeasures.single(projection.name), unit: 'ms', ours: seconds * 1_000, baseline: rawSeconds * 1_000, targetAtMost: targets.single });
      notes.push(`${projection.name}: its runner in this process, ${batchesOf(projection, store)}, into a dropped read-model schema; load average before ${loadAt}, after ${load()}`);
    } else {
      const env: NodeJS.ProcessEnv = { ...process.env, EVENT_STORE: 'postgres', DATABASE_URL: database.connectionString, REDIS_URL: redisUrl, LOG_LEVEL: 'warn', NODE_OPTIONS: '' };
      const entry = builtServiceEntry('worker');
      const loadBefore = load();
      const sampler = options.sampleStatements ? new StatementSampler(database.connectionString, database.name) : null;
      const backends = await BackendCpu.start(sql, database.name);
      const worker = spawnNode([entry], env, 'worker', log);
      let catchUpSeconds: number;
      let workerCpu: number | null = null;
      try {
        sampler?.start();
        catchUpSeconds = await timed(async () => {
          await caughtUp(sql, [`${READ_MODEL_SCHEMA}.${RANKINGS_PROJECTION_ID}`, `${READ_MODEL_SCHEMA}.${ASSESSMENT_SUMMARY_PROJECTION_ID}`], timeoutMs, log);
          await rankedAtHead(sql, timeoutMs);
        });
        workerCpu = cpuSecondsOf(worker.pid);
      } finally {
        backends.stop();
        await stopChild(worker);
        for (const line of (await sampler?.stop()) ?? []) log(line);
      }
      const cpuText = `CPU meanwhile: the worker ${workerCpu?.toFixed(1) ?? '?'} s, the database's backends ${(await backends.seconds()).toFixed(1)} s`;
      const projections = [...(await projectionCheckpoints(sql)).keys()].sort();
      log(`every projection caught up in ${catchUpSeconds.toFixed(1)} s: ${projections.join(', ')}; ${cpuText}`);
      figures.push({ name: rebuildMeasures.catchUp, unit: 'ms', ours: catchUpSeconds * 1_000, baseline: rawSeconds * 1_000, targetAtMost: targets.catchUp });
      notes.push(
        `catch-up: one apps/worker process (built), timed from its spawn until every checkpoint is at the head: ${projections.join(', ')}; ${cpuText}; load average before ${loadBefore}, after ${load()}`,
      );

      const head = await lastCheckpoint(store);
      if (head !== null && !options.catchUpOnly) {
        const loadAt = load();
        const seconds = await rebuildAuditTrail(store, sql, timeoutMs);
        log(`audit trail rebuilt beside its live version in ${seconds.toFixed(1)} s`);
        figures.push({ name: rebuildMeasures.zeroDowntime, unit: 'ms', ours: seconds * 1_000, baseline: rawSeconds * 1_000, targetAtMost: targets.single });
        notes.push(
          `audit trail: RebuildableProjection.requestRebuild in this process with the host's batches (${auditTrailRunnerOptions.batchSize}, ${auditTrailRunnerOptions.catchUpBatchSize} while behind), ` +
            `while the live version stays at the head; load average before ${loadAt}`,
        );
        for (const projection of singles) {
          const loadAt = load();
          const seconds = await rebuildOne(store, sql, projection, head, timeoutMs);
          log(`${projection.name} rebuilt alone in ${seconds.toFixed(1)} s`);
          figures.push({ name: rebuildMeasures.single(projection.name), unit: 'ms', ours: seconds * 1_000, baseline: rawSeconds * 1_000, targetAtMost: targets.single });
          notes.push(`${projection.name}: its runner in this process, ${batchesOf(projection, store)}, into a dropped read-model schema; load average before ${loadAt}`);
        }
      }
    }
    notes.push('ratio: the projection’s time over the raw ordered read; the catch-up includes the worker’s start (a few seconds); the machine is shared, so read the load averages with the figures');
  } finally {
    await sql.close();
    await clearRedis(redisUrl, prefix).catch(() => undefined);
    if (!keep) await database.drop();
  }
  const title = `rebuild benchmark (${options.size}; ${plan.districts + plan.communes} assessments)`;
  return { size: options.size, figures, report: formatReport(title, figures, notes) };
}

/** The audit trail as its host runs it (in this process). */
function auditTrail(store: EventStore, sql: PostgresSqlClient): RebuildableProjection {
  return new RebuildableProjection({ definition: auditTrailProjection, source: store, database: sql, ...auditTrailRunnerOptions, pollIntervalMs: 50, syncIntervalMs: 200 });
}

/**
 * The audit trail's zero-downtime rebuild as an administrator asks for it: a new version built from
 * the start of the feed beside the live one (left at the head by the catch-up), timed until the
 * switch makes the new version live.
 */
async function rebuildAuditTrail(store: EventStore, sql: PostgresSqlClient, timeoutMs: number): Promise<number> {
  const projection = auditTrail(store, sql);
  await projection.start();
  try {
    return await timed(() => rebuildUntilLive(projection, timeoutMs));
  } finally {
    await projection.stop();
  }
}

async function rebuildUntilLive(projection: RebuildableProjection, timeoutMs: number): Promise<void> {
  const { liveVersion } = await projection.status();
  await projection.requestRebuild();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await projection.status();
    if (status.liveVersion > liveVersion && status.state === 'live') return;
    if (Date.now() > deadline) throw new Error(`the audit trail rebuild did not go live within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The audit trail's zero-downtime rebuild alone: its live version is first brought to the head of
 * the feed by a handler that writes nothing (the build's work does not depend on the live version's
 * rows, and building them too would double the run), then a new version is built beside it and timed
 * until it is live, with the CPU this process and the database's backends spent meanwhile.
 */
async function auditTrailBesideHeldLiveVersion(
  store: EventStore,
  sql: PostgresSqlClient,
  databaseName: string,
  head: string,
  timeoutMs: number,
  log: (message: string) => void,
): Promise<{ seconds: number; cpu: string }> {
  await dropReadModels(sql);
  const held = new RebuildableProjection({
    definition: { ...auditTrailProjection, handler: () => () => Promise.resolve() },
    source: store,
    database: sql,
    ...auditTrailRunnerOptions,
    pollIntervalMs: 50,
  });
  await held.start();
  try {
    await held.waitForLive(head, timeoutMs);
  } finally {
    await held.stop();
  }
  log('audit trail: live version held at the head; rebuilding beside it');
  const projection = auditTrail(store, sql);
  await projection.start();
  try {
    const backends = await BackendCpu.start(sql, databaseName);
    const cpuBefore = process.cpuUsage();
    const seconds = await timed(() => rebuildUntilLive(projection, timeoutMs)).finally(() => backends.stop());
    const cpu = process.cpuUsage(cpuBefore);
    const cpuText = `CPU meanwhile: this process ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, the database's backends ${(await backends.seconds()).toFixed(1)} s`;
    log(`audit trail rebuilt beside its live version in ${seconds.toFixed(1)} s; ${cpuText}`);
    return { seconds, cpu: cpuText };
  } finally {
    await projection.stop();
  }
}

/**
 * The CPU this database's backends spend from start() on, sampled every second so a backend the
 * pool closes meanwhile still counts (the machine is shared with other databases' work).
 */
class BackendCpu {
  private readonly latest = new Map<number, number>();
  private before = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly sql: PostgresSqlClient,
    private readonly databaseName: string,
  ) {}

  static async start(sql: PostgresSqlClient, databaseName: string): Promise<BackendCpu> {
    const sampler = new BackendCpu(sql, databaseName);
    await sampler.sample();
    sampler.before = new Map(sampler.latest);
    sampler.timer = setInterval(() => void sampler.sample().catch(() => undefined), 1_000);
    return sampler;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** CPU seconds since start(), with a last sample. */
  async seconds(): Promise<number> {
    await this.sample();
    return cpuSecondsBetween(this.before, this.latest);
  }

  private async sample(): Promise<void> {
    const { rows } = await this.sql.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [this.databaseName]);
    const ours = new Set(rows.map((row) => row.pid));
    for (const [pid, seconds] of cpuSecondsByPid('postgres')) if (ours.has(pid)) this.latest.set(pid, seconds);
  }
}

/** The rankings re-rank the periods a catch-up touched once their checkpoint is at the head: the catch-up ends with that. */
async function rankedAtHead(sql: PostgresSqlClient, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${READ_MODEL_SCHEMA}.ranking_periods WHERE ranking_pending`);
    if (rows[0]?.n === 0) return;
    if (Date.now() > deadline) throw new Error(`${rows[0]?.n} periods still wait to be ranked`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A database on the same server as createTestDatabase's, by name. */
function existingDatabase(name: string): TestDatabase {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a database name: ${name}`);
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  return { name, connectionString: url.toString(), drop: () => Promise.reject(new Error('a reused database is kept')) };
}

/** Every schema but the event store's, so the worker starts from empty read models. */
async function dropReadModels(sql: PostgresSqlClient): Promise<void> {
  const { rows } = await sql.query<{ name: string }>(
    `SELECT nspname AS name FROM pg_namespace WHERE nspname NOT IN ('event_store', 'public', 'information_schema') AND nspname NOT LIKE 'pg\\_%'`,
  );
  for (const { name } of rows) await sql.query(`DROP SCHEMA "${name}" CASCADE`);
}

/** The checkpoint of the last event of the feed. */
async function lastCheckpoint(store: EventStore): Promise<string | null> {
  let checkpoint: string | null = null;
  for (;;) {
    const page = await store.readAll(checkpoint, 10_000);
    if (page.events.length === 0 || page.checkpoint === null) return checkpoint;
    checkpoint = page.checkpoint;
  }
}

export async function runRebuildBenchmarkCli(argv: readonly string[]): Promise<void> {
  const program = new Command('bench:rebuild')
    .description('Every projection caught up from an empty read model on a national history, and one projection rebuilt alone, next to the raw ordered read')
    .addOption(new Option('--size <size>', 'smoke (30 units), tenth (6 provinces, ~1,080 assessments) or full (63 provinces, 11,305 assessments)').choices(['smoke', 'tenth', 'full']).default('full'))
    .option('--redis-url <url>', 'Redis the worker uses (a key prefix of the fresh database keeps it apart)', 'redis://127.0.0.1:6379')
    .option('--timeout-minutes <n>', 'how long any one wait may take', Number)
    .option('--keep-database', 'keep the seeded database for --reuse-database runs')
    .option('--reuse-database <name>', 'measure a database an earlier run kept, without seeding (its read models are dropped first)')
    .option('--catch-up-only', 'measure the catch-up of every projection only, not the single rebuilds')
    .addOption(new Option('--only <projection>', 'measure this projection rebuilt alone, nothing else').choices([...singles.map((single) => single.name), 'audit trail']))
    .option('--sample-statements', 'list the statements the database was busiest with during the catch-up');
  program.parse([...argv]);
  const opts = program.opts<{
    size: RebuildBenchmarkSize;
    redisUrl: string;
    timeoutMinutes?: number;
    keepDatabase?: boolean;
    reuseDatabase?: string;
    catchUpOnly?: boolean;
    only?: SingleProjectionName | 'audit trail';
    sampleStatements?: boolean;
  }>();
  const result = await runRebuildBenchmark({
    size: opts.size,
    redisUrl: opts.redisUrl,
    timeoutMinutes: opts.timeoutMinutes,
    ...(opts.keepDatabase ? { keepDatabase: true } : {}),
    ...(opts.reuseDatabase ? { reuseDatabase: opts.reuseDatabase } : {}),
    ...(opts.catchUpOnly ? { catchUpOnly: true } : {}),
    ...(opts.only ? { only: opts.only } : {}),
    ...(opts.sampleStatements ? { sampleStatements: true } : {}),
    log: (m) => process.stderr.write(`${new Date().toISOString()} ${m}\n`),
  });
  process.stdout.write(`${result.report}\n`);
}

if (require.main === module) {
  runRebuildBenchmarkCli(process.argv).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
