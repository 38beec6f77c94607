import { Command, Option } from 'commander';
import { ASSESSMENT_SUMMARY_PROJECTION_ID, assessmentViewsMigrations } from '@tieuchi/assessment/data-access';
import { ASSESSMENT_SUMMARY_BATCH_SIZE, assessmentSummaryHandler, FrameworkVersions, READ_MODEL_SCHEMA } from '@tieuchi/assessment/feature';
import { RANKINGS_PROJECTION_ID, rankingsMigrations } from '@tieuchi/ranking/data-access';
import { RANKINGS_BATCH_SIZE, rankingsHandler } from '@tieuchi/ranking/feature';
import { queuePrefix, storeIdentityOf } from '@tieuchi/recalculation/feature';
import { type AppConfig, loadConfig } from '@tieuchi/shared/config';
import { createPostgresEventStore, type EventStore, type ProjectionHandler, ProjectionRunner, PostgresSqlClient, type SqlMigrationSet } from '@tieuchi/shared/event-store';
import { createTestDatabase } from '@tieuchi/shared/testing';
import { loadavg } from 'node:os';
import { type BenchFigure, formatReport, timed } from './bench-report';
import { builtServiceEntry } from './built-services';
import { caughtUp, clearRedis, type Plan, plans, projectionCheckpoints, seed, spawnNode, stopChild } from './recalculation.bench';

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
} as const;

export interface RebuildBenchmarkOptions {
  readonly size: RebuildBenchmarkSize;
  readonly redisUrl?: string;
  readonly timeoutMinutes?: number;
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

interface SingleProjection {
  readonly name: string;
  readonly projectionId: string;
  readonly migrations: SqlMigrationSet;
  readonly handler: (frameworks: FrameworkVersions) => ProjectionHandler;
  readonly batchSize: number;
}

const singles: readonly SingleProjection[] = [
  { name: 'rankings', projectionId: RANKINGS_PROJECTION_ID, migrations: rankingsMigrations, handler: rankingsHandler, batchSize: RANKINGS_BATCH_SIZE },
  {
    name: 'assessment summary',
    projectionId: ASSESSMENT_SUMMARY_PROJECTION_ID,
    migrations: assessmentViewsMigrations,
    handler: assessmentSummaryHandler,
    batchSize: ASSESSMENT_SUMMARY_BATCH_SIZE,
  },
];

/** One projection's runner, as its host runs it, from an empty read model to the head of the feed. */
async function rebuildOne(store: EventStore, sql: PostgresSqlClient, projection: SingleProjection, head: string, timeoutMs: number): Promise<number> {
  await sql.query(`DROP SCHEMA IF EXISTS ${READ_MODEL_SCHEMA} CASCADE`);
  const runner = new ProjectionRunner({
    projectionId: projection.projectionId,
    source: store,
    database: sql,
    schema: READ_MODEL_SCHEMA,
    migrations: [projection.migrations],
    handler: projection.handler(new FrameworkVersions(store)),
    batchSize: projection.batchSize,
    pollIntervalMs: 50,
    maxAttempts: 1,
  });
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
  const database = await createTestDatabase('bench_rebuild');
  const config: AppConfig = { ...loadConfig({}), eventStore: 'postgres', databaseUrl: database.connectionString, redisUrl };
  const prefix = queuePrefix(storeIdentityOf(config));
  const sql = new PostgresSqlClient({ connectionString: database.connectionString, maxConnections: 8 });
  const figures: BenchFigure[] = [];
  const notes: string[] = [];
  const load = () => loadavg().map((l) => l.toFixed(1)).join(' / ');
  try {
    const store = await createPostgresEventStore({ client: sql });
    const seeded = await seed(store, plan, log);
    await sql.query('ANALYZE');
    log(`seeded ${seeded.events.toLocaleString('en-US')} events in ${seeded.seconds.toFixed(1)} s`);
    notes.push(
      `${plan.provinces} periods, ${plan.districts} districts and ${plan.communes} communes (${seeded.assessmentStreams.length.toLocaleString('en-US')} approved assessments): ` +
        `${seeded.events.toLocaleString('en-US')} events, seeded as bench:recalculation seeds them`,
    );

    let read = 0;
    const rawSeconds = await timed(async () => {
      read = await rawOrderedRead(store);
    });
    log(`raw ordered read of ${read.toLocaleString('en-US')} events in ${rawSeconds.toFixed(1)} s`);
    figures.push({ name: rebuildMeasures.rawRead, unit: 'ms', ours: rawSeconds * 1_000 });

    const env: NodeJS.ProcessEnv = { ...process.env, EVENT_STORE: 'postgres', DATABASE_URL: database.connectionString, REDIS_URL: redisUrl, LOG_LEVEL: 'warn', NODE_OPTIONS: '' };
    const entry = builtServiceEntry('worker');
    const loadBefore = load();
    const worker = spawnNode([entry], env, 'worker', log);
    let catchUpSeconds: number;
    try {
      catchUpSeconds = await timed(() => caughtUp(sql, [`${READ_MODEL_SCHEMA}.${RANKINGS_PROJECTION_ID}`, `${READ_MODEL_SCHEMA}.${ASSESSMENT_SUMMARY_PROJECTION_ID}`], timeoutMs, log));
    } finally {
      await stopChild(worker);
    }
    const projections = [...(await projectionCheckpoints(sql)).keys()].sort();
    log(`every projection caught up in ${catchUpSeconds.toFixed(1)} s: ${projections.join(', ')}`);
    figures.push({ name: rebuildMeasures.catchUp, unit: 'ms', ours: catchUpSeconds * 1_000, baseline: rawSeconds * 1_000, targetAtMost: targets.catchUp });
    notes.push(`catch-up: one apps/worker process (built), timed from its spawn until every checkpoint is at the head: ${projections.join(', ')}; load average before ${loadBefore}, after ${load()}`);

    const head = await lastCheckpoint(store);
    if (head !== null) {
      for (const projection of singles) {
        const loadAt = load();
        const seconds = await rebuildOne(store, sql, projection, head, timeoutMs);
        log(`${projection.name} rebuilt alone in ${seconds.toFixed(1)} s`);
        figures.push({ name: rebuildMeasures.single(projection.name), unit: 'ms', ours: seconds * 1_000, baseline: rawSeconds * 1_000, targetAtMost: targets.single });
        notes.push(`${projection.name}: its runner in this process, batches of ${projection.batchSize}, into a dropped read-model schema; load average before ${loadAt}`);
      }
    }
    notes.push('ratio: the projection’s time over the raw ordered read; the catch-up includes the worker’s start (a few seconds); the machine is shared, so read the load averages with the figures');
  } finally {
    await sql.close();
    await clearRedis(redisUrl, prefix).catch(() => undefined);
    await database.drop();
  }
  const title = `rebuild benchmark (${options.size}; ${plan.districts + plan.communes} assessments)`;
  return { size: options.size, figures, report: formatReport(title, figures, notes) };
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
    .option('--timeout-minutes <n>', 'how long any one wait may take', Number);
  program.parse([...argv]);
  const opts = program.opts<{ size: RebuildBenchmarkSize; redisUrl: string; timeoutMinutes?: number }>();
  const result = await runRebuildBenchmark({
    size: opts.size,
    redisUrl: opts.redisUrl,
    timeoutMinutes: opts.timeoutMinutes,
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
