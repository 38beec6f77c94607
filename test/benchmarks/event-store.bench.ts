import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { Pool } from 'pg';
import { createPostgresEventStore, type EventStore, type ExpectedVersion, type NewEvent } from '@tieuchi/shared/event-store';
import type { EventMetadata } from '@tieuchi/shared/kernel';
import { createTestSchema } from '@tieuchi/shared/testing';
import { formatReport, perSecond, runConcurrently, timed, type BenchFigure } from './bench-report';

/**
 * The event store benchmark of issue 2 (ARCHITECTURE.md §5): the postgres adapter against raw
 * PostgreSQL measured in the same run, in a fresh schema that is dropped at the end. It prints
 * figures; it never fails on a timing.
 */

export type EventStoreBenchmarkSize = 'smoke' | 'full';

export interface EventStoreBenchmarkOptions {
  readonly size: EventStoreBenchmarkSize;
  /** Events `readAll` reads from the start of the feed; defaults to 1,000,000 (full) or 5,000 (smoke). */
  readonly readAllEvents?: number;
  /** `readAll` batch size, used for the raw keyset SELECT too. */
  readonly readBatchSize?: number;
  /** Progress lines (the CLI sends them to stderr); the database is loadConfig().databaseUrl via createTestSchema. */
  readonly log?: (message: string) => void;
}

export interface EventStoreBenchmarkResult {
  readonly size: EventStoreBenchmarkSize;
  readonly figures: readonly BenchFigure[];
  /** The printable table and its notes. */
  readonly report: string;
  readonly elapsedSeconds: number;
}

/** The measure names, so a caller (the smoke test) can check the report names every one. */
export const eventStoreMeasures = {
  singleAppend1: 'single-event appends, 1 writer',
  singleAppend8: 'single-event appends, 8 writers',
  batchAppend: '100-event appends, 1 writer',
  readAll: 'readAll from the start',
} as const;

interface BenchmarkPlan {
  readonly singleAppends1: number;
  readonly singleAppendsPerWriter8: number;
  readonly batchAppends: number;
  readonly readAllEvents: number;
  readonly readBatchSize: number;
  /** Reads are repeated and the best round kept, so a cold cache or a neighbour's burst does not decide. */
  readonly readRounds: number;
}

const plans: Record<EventStoreBenchmarkSize, Omit<BenchmarkPlan, 'readBatchSize'>> = {
  full: { singleAppends1: 5_000, singleAppendsPerWriter8: 1_000, batchAppends: 1_000, readAllEvents: 1_000_000, readRounds: 3 },
  smoke: { singleAppends1: 100, singleAppendsPerWriter8: 20, batchAppends: 20, readAllEvents: 5_000, readRounds: 1 },
};

const concurrentWriters = 8;
const eventsPerBatch = 100;
const defaultReadBatchSize = 1_000;
/** Single-event streams grow like an assessment being scored: a few events per stream. */
const singleEventsPerStream = 10;
const batchAppendsPerStream = 10;
const seedWriters = 8;
const readStallLimitMs = 30_000;

export async function runEventStoreBenchmark(options: EventStoreBenchmarkOptions): Promise<EventStoreBenchmarkResult> {
  const plan: BenchmarkPlan = {
    ...plans[options.size],
    ...(options.readAllEvents === undefined ? {} : { readAllEvents: options.readAllEvents }),
    readBatchSize: options.readBatchSize ?? defaultReadBatchSize,
  };
  assertPositiveInteger(plan.readAllEvents, 'readAllEvents');
  assertPositiveInteger(plan.readBatchSize, 'readBatchSize');
  const log = options.log ?? (() => undefined);
  const runStart = process.hrtime.bigint();

  const schema = await createTestSchema('bench');
  const raw = new Pool({ connectionString: schema.connectionString, max: concurrentWriters, application_name: 'tieuchi-bench-raw' });
  raw.on('error', () => undefined);
  let store: EventStore | undefined;
  try {
    store = await createPostgresEventStore({
      connectionString: schema.connectionString,
      schema: schema.name,
      maxConnections: Math.max(concurrentWriters, seedWriters) + 1,
    });
    const baseline = new RawBaseline(raw, schema.name);
    await baseline.createTables();
    const environment = await describeEnvironment(raw);

    log('warming up connections and statement plans');
    await appendAsWriters(store, 'warmup-single', 2, 10, 1, singleEventsPerStream);
    await appendAsWriters(store, 'warmup-batch', 1, 3, eventsPerBatch, batchAppendsPerStream);
    await baseline.insertAsWriters('warmup-single', 2, 10, 1);
    await baseline.insertAsWriters('warmup-batch', 1, 3, eventsPerBatch);

    log(`single-event appends, 1 writer × ${plan.singleAppends1}`);
    const single1 = await measureAppends(plan.singleAppends1, () => appendAsWriters(store!, 'single1', 1, plan.singleAppends1, 1, singleEventsPerStream));
    const rawSingle1 = await measureAppends(plan.singleAppends1, () => baseline.insertAsWriters('single1', 1, plan.singleAppends1, 1));

    const total8 = concurrentWriters * plan.singleAppendsPerWriter8;
    log(`single-event appends, ${concurrentWriters} writers × ${plan.singleAppendsPerWriter8}`);
    const single8 = await measureAppends(total8, () =>
      appendAsWriters(store!, 'single8', concurrentWriters, plan.singleAppendsPerWriter8, 1, singleEventsPerStream),
    );
    const rawSingle8 = await measureAppends(total8, () => baseline.insertAsWriters('single8', concurrentWriters, plan.singleAppendsPerWriter8, 1));

    const batchEvents = plan.batchAppends * eventsPerBatch;
    log(`100-event appends, 1 writer × ${plan.batchAppends}`);
    const batch = await measureAppends(batchEvents, () => appendAsWriters(store!, 'batch', 1, plan.batchAppends, eventsPerBatch, batchAppendsPerStream));
    const rawBatch = await measureAppends(batchEvents, () => baseline.insertAsWriters('batch', 1, plan.batchAppends, eventsPerBatch));

    const seeding = await seedFeed(store, raw, schema.name, plan.readAllEvents, log);
    log(`copying the first ${plan.readAllEvents.toLocaleString('en-US')} events of the feed into the raw table; VACUUM ANALYZE`);
    await baseline.copyFeed(plan.readAllEvents);

    let readAll = 0;
    let rawSelect = 0;
    for (let round = 1; round <= plan.readRounds; round++) {
      log(`readAll round ${round}/${plan.readRounds}: ${plan.readAllEvents.toLocaleString('en-US')} events, batch ${plan.readBatchSize}`);
      readAll = Math.max(readAll, await measureRead(plan.readAllEvents, () => readFeed(store!, plan.readAllEvents, plan.readBatchSize)));
      rawSelect = Math.max(rawSelect, await measureRead(plan.readAllEvents, () => baseline.selectFeed(plan.readAllEvents, plan.readBatchSize)));
    }

    const figures: BenchFigure[] = [
      { name: eventStoreMeasures.singleAppend1, unit: 'events/s', ours: single1, baseline: rawSingle1 },
      { name: eventStoreMeasures.singleAppend8, unit: 'events/s', ours: single8, baseline: rawSingle8 },
      { name: eventStoreMeasures.batchAppend, unit: 'events/s', ours: batch, baseline: rawBatch, targetRatio: 0.5 },
      { name: eventStoreMeasures.readAll, unit: 'events/s', ours: readAll, baseline: rawSelect, targetRatio: 0.5 },
    ];
    const elapsedSeconds = Number(process.hrtime.bigint() - runStart) / 1e9;
    const notes = [
      `size ${options.size}: single appends ${plan.singleAppends1.toLocaleString('en-US')} (1 writer) and ${concurrentWriters} × ${plan.singleAppendsPerWriter8.toLocaleString('en-US')} (${concurrentWriters} writers), ${plan.batchAppends.toLocaleString('en-US')} × 100-event appends, readAll over ${plan.readAllEvents.toLocaleString('en-US')} events`,
      `appends: each writer owns its streams (${singleEventsPerStream} events a stream for single appends, ${(batchAppendsPerStream * eventsPerBatch).toLocaleString('en-US')} for 100-event appends) and passes the expected version the previous append returned (no_stream for a new stream)`,
      'raw INSERT: a plain table (bigserial key, no other index, no trigger) with the same columns and JSON payloads; one row per autocommit statement for single events, 100 rows per multi-row INSERT statement for batches, same writer counts',
      `readAll: ${plan.readAllEvents.toLocaleString('en-US')} events from the start of $all in batches of ${plan.readBatchSize.toLocaleString('en-US')}; raw SELECT: the same rows and columns copied into a plain bigserial table, read in order by keyset pagination on the key (WHERE id > $last ORDER BY id LIMIT ${plan.readBatchSize.toLocaleString('en-US')}), recorded_at as text like readAll's; both after VACUUM ANALYZE, one reader, rounds alternating, best of ${plan.readRounds}`,
      seeding,
      environment,
      `run took ${elapsedSeconds.toFixed(1)} s`,
    ];
    const report = formatReport(`Event store benchmark (postgres adapter, schema ${schema.name}, dropped at the end)`, figures, notes);
    return { size: options.size, figures, report, elapsedSeconds };
  } finally {
    await store?.close();
    await raw.end();
    await schema.drop();
  }
}

async function measureAppends(events: number, run: () => Promise<void>): Promise<number> {
  return perSecond(events, await timed(run));
}

async function measureRead(events: number, run: () => Promise<number>): Promise<number> {
  let read = 0;
  const seconds = await timed(async () => {
    read = await run();
  });
  if (read !== events) throw new Error(`Read ${read} events, expected ${events}`);
  return perSecond(read, seconds);
}

/** Builds the same event for ours and for the raw baseline: a criterion score with Vietnamese text. */
function benchEvent(sequence: number): NewEvent {
  const correlationId = randomUUID();
  const metadata: EventMetadata = {
    actor: 'user:can-bo-xa-nam-njang',
    correlationId,
    causationId: correlationId,
    occurredAt: '2019-11-20T08:30:00.000Z',
    schemaVersion: 1,
  };
  return {
    id: randomUUID(),
    type: 'CriterionScored',
    data: {
      unit: "Xã Nâm N'Jang",
      period: 'daknong-2019',
      criterion: `${1 + (sequence % 9)}.${1 + (sequence % 7)}`,
      score: (sequence % 5) / 2,
      note: 'Cổng thông tin điện tử cấp xã đã cập nhật minh chứng',
    },
    metadata,
  };
}

/**
 * `writers` concurrent writers, each appending `appendsPerWriter` times to streams it alone owns,
 * with the expected version the previous append returned: what a command handler does.
 */
async function appendAsWriters(
  store: EventStore,
  prefix: string,
  writers: number,
  appendsPerWriter: number,
  eventsPerAppend: number,
  appendsPerStream: number,
): Promise<void> {
  await runConcurrently(writers, writers, async (writer) => {
    let stream = '';
    let expectedVersion: ExpectedVersion = 'no_stream';
    for (let append = 0; append < appendsPerWriter; append++) {
      if (append % appendsPerStream === 0) {
        stream = `bench-${prefix}-w${writer}-s${append / appendsPerStream}`;
        expectedVersion = 'no_stream';
      }
      const events = Array.from({ length: eventsPerAppend }, (_, index) => benchEvent(append * eventsPerAppend + index));
      const result = await store.appendToStream(stream, events, { expectedVersion });
      expectedVersion = result.nextExpectedVersion;
    }
  });
}

/** Reads exactly `events` events of $all from the start; returns how many it read. */
async function readFeed(store: EventStore, events: number, batchSize: number): Promise<number> {
  let checkpoint: string | null = null;
  let read = 0;
  let stalledSince: number | undefined;
  while (read < events) {
    const batch = await store.readAll(checkpoint, Math.min(batchSize, events - read));
    if (batch.events.length === 0) {
      // Every seeded transaction has committed, but another session's open transaction (tests
      // sharing the server) can hold the xmin fence back for a moment: wait, as a reader would.
      stalledSince ??= Date.now();
      if (Date.now() - stalledSince > readStallLimitMs) throw new Error(`readAll stalled after ${read} events`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      continue;
    }
    stalledSince = undefined;
    read += batch.events.length;
    checkpoint = batch.checkpoint;
  }
  return read;
}

/**
 * Fills the feed up to `events` through the store itself (100-event appends by several writers),
 * so every row read later is a real event written by the adapter. Returns a note for the report.
 */
async function seedFeed(store: EventStore, raw: Pool, schema: string, events: number, log: (message: string) => void): Promise<string> {
  const existing = Number((await raw.query<{ count: string }>(`SELECT count(*)::text AS count FROM ${schema}.events`)).rows[0]?.count ?? 0);
  const missing = Math.max(0, events - existing);
  const appends = Math.ceil(missing / eventsPerBatch);
  if (appends === 0) return `readAll table: the ${existing.toLocaleString('en-US')} events of the append measures, no seeding needed`;
  log(`seeding ${(appends * eventsPerBatch).toLocaleString('en-US')} events through the store (100-event appends, ${seedWriters} writers)`);
  const perWriter = Math.ceil(appends / seedWriters);
  let done = 0;
  const seconds = await timed(() =>
    runConcurrently(appends, seedWriters, async (index) => {
      const events = Array.from({ length: eventsPerBatch }, (_, n) => benchEvent(index * eventsPerBatch + n));
      // One stream per append: ~100 events is the size of one assessment's criteria.
      await store.appendToStream(`bench-seed-${index}`, events, { expectedVersion: 'no_stream' });
      done++;
      if (done % (perWriter * 2) === 0) log(`  seeded ${(done * eventsPerBatch).toLocaleString('en-US')}`);
    }),
  );
  const seeded = appends * eventsPerBatch;
  return (
    `readAll table: ${existing.toLocaleString('en-US')} events from the append measures, then ${seeded.toLocaleString('en-US')} seeded through ` +
    `the store itself (100-event appends, one new stream each, ${seedWriters} writers) in ${seconds.toFixed(2)} s = ` +
    `${Math.round(perSecond(seeded, seconds)).toLocaleString('en-US')} events/s`
  );
}

/** Raw PostgreSQL doing the same work with nothing of the event store: the ceiling we compare to. */
class RawBaseline {
  private readonly insertTable: string;
  private readonly feedTable: string;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {
    this.insertTable = `${schema}.raw_inserts`;
    this.feedTable = `${schema}.raw_feed`;
  }

  async createTables(): Promise<void> {
    for (const table of [this.insertTable, this.feedTable]) {
      await this.pool.query(`
        CREATE TABLE ${table} (
          id bigserial PRIMARY KEY,
          stream_name text NOT NULL,
          version integer NOT NULL,
          event_id uuid NOT NULL,
          type text NOT NULL,
          data jsonb NOT NULL,
          metadata jsonb NOT NULL,
          recorded_at timestamptz NOT NULL DEFAULT now()
        )`);
    }
  }

  /** The same writers and rows as appendAsWriters, as plain multi-row INSERTs in autocommit. */
  async insertAsWriters(prefix: string, writers: number, insertsPerWriter: number, rowsPerInsert: number): Promise<void> {
    const placeholders = Array.from({ length: rowsPerInsert }, (_, row) => {
      const base = row * 6;
      return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6})`;
    }).join(', ');
    const sql = `INSERT INTO ${this.insertTable} (stream_name, version, event_id, type, data, metadata) VALUES ${placeholders}`;
    await runConcurrently(writers, writers, async (writer) => {
      let version = 0;
      for (let insert = 0; insert < insertsPerWriter; insert++) {
        const stream = `raw-${prefix}-w${writer}`;
        const params: (string | number)[] = [];
        for (let row = 0; row < rowsPerInsert; row++) {
          const event = benchEvent(insert * rowsPerInsert + row);
          params.push(stream, version++, event.id, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata));
        }
        await this.pool.query(sql, params);
      }
    });
  }

  /** The first `events` events of $all, same columns and payloads, in feed order; then VACUUM ANALYZE both tables. */
  async copyFeed(events: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.feedTable} (stream_name, version, event_id, type, data, metadata, recorded_at)
       SELECT stream_name, version, event_id, type, data, metadata, recorded_at FROM ${this.schema}.events
       ORDER BY transaction_id, global_position LIMIT $1`,
      [events],
    );
    // Fresh rows carry unset hint bits and no visibility map: the first scan would pay for them.
    await this.pool.query(`VACUUM (ANALYZE) ${this.schema}.events`);
    await this.pool.query(`VACUUM (ANALYZE) ${this.feedTable}`);
  }

  /**
   * A plain ordered read by keyset pagination on the key, batch by batch like readAll. recorded_at
   * comes back as text because readAll receives it so: parsing a timestamptz into a Date costs
   * node-pg more than the whole store overhead, and would flatter the ratio.
   */
  async selectFeed(events: number, batchSize: number): Promise<number> {
    let last = '0';
    let read = 0;
    while (read < events) {
      const result = await this.pool.query<{ id: string }>(
        `SELECT id, stream_name, version, event_id, type, data, metadata, recorded_at::text AS recorded_at
         FROM ${this.feedTable} WHERE id > $1 ORDER BY id LIMIT $2`,
        [last, Math.min(batchSize, events - read)],
      );
      const lastRow = result.rows.at(-1);
      if (!lastRow) break;
      read += result.rows.length;
      last = lastRow.id;
    }
    return read;
  }
}

async function describeEnvironment(pool: Pool): Promise<string> {
  const settings = await pool.query<{ version: string; synchronous_commit: string; shared_buffers: string }>(
    `SELECT current_setting('server_version') AS version, current_setting('synchronous_commit') AS synchronous_commit,
            current_setting('shared_buffers') AS shared_buffers`,
  );
  const row = settings.rows[0];
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  return (
    `PostgreSQL ${row?.version ?? '?'} (synchronous_commit ${row?.synchronous_commit ?? '?'}, shared_buffers ${row?.shared_buffers ?? '?'}), ` +
    `same host as the client, ${availableParallelism()} CPUs, load average at start ${load}, Node ${process.version}`
  );
}

function assertPositiveInteger(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${what} must be a positive integer, got ${value}`);
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('must be a positive integer');
  return parsed;
}

/** `npm run bench:event-store -- [--size smoke|full] [--events N] [--batch-size N]` */
export async function runEventStoreBenchmarkCli(argv: readonly string[]): Promise<void> {
  const program = new Command('bench:event-store')
    .description('Event store throughput against raw PostgreSQL, measured in the same run')
    .addOption(new Option('--size <size>', 'smoke (seconds, for CI) or full (minutes)').choices(['smoke', 'full']).default('full'))
    .addOption(new Option('--events <n>', 'events readAll reads (default 1,000,000 full, 5,000 smoke)').argParser(positiveInteger))
    .addOption(new Option('--batch-size <n>', `readAll and raw SELECT batch size (default ${defaultReadBatchSize})`).argParser(positiveInteger));
  program.parse([...argv]);
  const options = program.opts<{ size: EventStoreBenchmarkSize; events?: number; batchSize?: number }>();
  const result = await runEventStoreBenchmark({
    size: options.size,
    readAllEvents: options.events,
    readBatchSize: options.batchSize,
    log: (message) => process.stderr.write(`[bench] ${message}\n`),
  });
  console.log(result.report);
}

if (require.main === module) {
  runEventStoreBenchmarkCli(process.argv).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
