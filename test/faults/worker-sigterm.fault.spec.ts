import { queuePrefix, RECALCULATION_DISPATCHER_ID, storeIdentityOf } from '@tieuchi/recalculation/feature';
import { loadConfig } from '@tieuchi/shared/config';
import { adminCommands, lowerDistrictReadiness, seedDaknong2019, TestRedisServer } from '@tieuchi/recalculation/feature/testing';
import { RECALCULATION_QUEUE } from '@tieuchi/recalculation/data-access';
import { createPostgresEventStore, PostgresSqlClient } from '@tieuchi/shared/event-store';
import { type PostgresServer, startPostgresServer } from '@tieuchi/shared/testing';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { type ServiceProcess, startService, until } from './fault-harness';

const amendments = 5;

/** Seeds Đắk Nông 2019 and records `amendments` threshold amendments, each pinned by the period: one run of jobs each. */
async function seedWithAmendments(url: string): Promise<number> {
  const sql = new PostgresSqlClient({ connectionString: url });
  const eventStore = await createPostgresEventStore({ client: sql });
  try {
    const seeded = await seedDaknong2019(eventStore, { units: 79 });
    for (let version = 2; version <= amendments + 1; version += 1) {
      await adminCommands(eventStore).amend(lowerDistrictReadiness(seeded.framework, version, `${version}/QĐ-UBND`));
      await adminCommands(eventStore).pin(version, `${version}/QĐ-UBND`);
    }
    return seeded.streams.length;
  } finally {
    await eventStore.close();
    await sql.close();
  }
}

/** What a finished run leaves: every assessment's recalculations in order, and the ranked scores. */
async function results(db: Client) {
  const recalculated = await db.query<{ stream: string; parts: string }>(
    `SELECT stream_name AS stream, jsonb_agg(jsonb_build_array(data->'cause'->'frameworkVersion', data->'parts') ORDER BY version)::text AS parts
       FROM event_store.events WHERE type = 'ScoresRecalculated' GROUP BY stream_name ORDER BY stream_name`,
  );
  const scores = await db.query(`SELECT period_id, unit_code, tier, part_code, score, level FROM read_model.ranking_part_scores ORDER BY 1, 2, 4`);
  const assessments = await db.query(`SELECT stream_name, status, framework_version FROM read_model.ranking_assessments ORDER BY 1`);
  const summaries = await db.query(`SELECT period_id, unit_code, part_code, tier, max_points, total, excluded_points, score, level, unanswered FROM read_model.assessment_part_scores ORDER BY 1, 2, 3`);
  return { recalculated: recalculated.rows, scores: scores.rows, assessments: assessments.rows, summaries: summaries.rows };
}

/** Where the feed ends, and each projection's checkpoint (every schema that keeps projection_checkpoints). */
async function positions(db: Client): Promise<{ head: string; checkpoints: Map<string, string | null> }> {
  const head = await db.query<{ head: string }>(`SELECT transaction_id::text || ':' || global_position AS head FROM event_store.events ORDER BY transaction_id DESC, global_position DESC LIMIT 1`);
  const schemas = await db.query<{ schema: string }>(`SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'projection_checkpoints'`);
  const checkpoints = new Map<string, string | null>();
  for (const { schema } of schemas.rows) {
    const rows = await db.query<{ id: string; checkpoint: string | null }>(`SELECT projection_id AS id, checkpoint FROM ${schema}.projection_checkpoints`);
    for (const row of rows.rows) checkpoints.set(`${schema}.${row.id}`, row.checkpoint);
  }
  return { head: head.rows[0]!.head, checkpoints };
}

async function runProgress(db: Client): Promise<{ total: number; done: number }> {
  const { rows } = await db.query<{ total: number; done: number }>(
    `SELECT (SELECT coalesce(sum(total), 0)::int FROM recalculation.runs) AS total, (SELECT count(*)::int FROM recalculation.run_jobs WHERE status = 'done') AS done`,
  );
  return rows[0] ?? { total: 0, done: 0 };
}

/**
 * SIGTERM to a worker (apps/worker from dist/, on PostgreSQL and Redis of the test's own) while it
 * catches up the projections and runs the recalculation jobs of five amendments; a restarted
 * worker finishes. The same history processed by one uninterrupted worker is the reference.
 */
describe('fault: SIGTERM to a worker mid-batch', () => {
  let pg: PostgresServer;
  let redis: TestRedisServer;
  const workers: ServiceProcess[] = [];
  const clients: Client[] = [];

  const worker = async (database: string) => {
    // One batch of a run at a time, so that a stop mid-run leaves batches waiting.
    const started = await startService('worker', { EVENT_STORE: 'postgres', DATABASE_URL: pg.url(database), REDIS_URL: redis.url, LOG_LEVEL: 'info', RECALCULATION_CONCURRENCY: '1' });
    workers.push(started);
    return started;
  };
  const connect = async (database: string) => {
    const db = new Client({ connectionString: pg.url(database) });
    await db.connect();
    clients.push(db);
    return db;
  };
  const finished = async (db: Client) => {
    const progress = await runProgress(db);
    if (progress.total !== amendments * 79 || progress.done !== progress.total) return false;
    const { head, checkpoints } = await positions(db);
    return checkpoints.size > 0 && [...checkpoints.values()].every((checkpoint) => checkpoint === head);
  };

  beforeAll(async () => {
    pg = await startPostgresServer();
    redis = await TestRedisServer.start();
    const admin = await connect('postgres');
    await admin.query('CREATE DATABASE interrupted');
    await admin.query('CREATE DATABASE reference');
    await Promise.all([seedWithAmendments(pg.url('interrupted')), seedWithAmendments(pg.url('reference'))]);
  }, 120_000);

  afterAll(async () => {
    for (const started of workers) await started.stop('SIGKILL');
    for (const db of clients) await db.end().catch(() => undefined);
    await redis?.destroy();
    await pg?.destroy();
  });

  it('commits each batch with its checkpoint or not at all, finishes its active jobs and leaves the rest queued, and ends as an uninterrupted run', async () => {
    const db = await connect('interrupted');
    const first = await worker('interrupted');
    const startedAt = performance.now();
    await until(async () => (await runProgress(db)).done >= 40, 90_000, 'the first jobs done', 20);
    const signalledAt = performance.now();
    first.child.kill('SIGTERM');
    await first.exited();
    const exitMs = performance.now() - signalledAt;
    const atStop = await runProgress(db);
    const positionsAtStop = await positions(db);

    // The dispatcher settles a job when it reads the job's ScoresRecalculated in the feed, in the
    // transaction that moves its checkpoint: exactly the events up to the checkpoint are settled.
    const dispatcherCheckpoint = positionsAtStop.checkpoints.get(`recalculation.${RECALCULATION_DISPATCHER_ID}`) ?? '0:0';
    const [transactionId, globalPosition] = dispatcherCheckpoint.split(':');
    const covered = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM event_store.events WHERE type = 'ScoresRecalculated'
          AND (transaction_id < $1::text::xid8 OR (transaction_id = $1::text::xid8 AND global_position <= $2::bigint))`,
      [transactionId, globalPosition],
    );
    const recordedAtStop = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM event_store.events WHERE type = 'ScoresRecalculated'`);
    const settled = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM recalculation.run_jobs WHERE status = 'done' AND outcome = 'recalculated'`);
    const enqueued = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM recalculation.run_jobs`);

    // Nothing is left active in Redis: the worker finished the jobs it held (each completed job wrote
    // its event, none wrote without completing) and what it had not taken waits for the next one.
    const queue = new Queue(RECALCULATION_QUEUE, { connection: { url: redis.url }, prefix: queuePrefix(storeIdentityOf({ ...loadConfig(), eventStore: 'postgres', databaseUrl: pg.url('interrupted') })) });
    const counts = await queue.getJobCounts('active', 'waiting', 'prioritized', 'delayed', 'completed', 'failed');
    // A run is queued as batches of its assessments: what each state holds, counted in assessments.
    const assessmentsIn = async (...states: ('waiting' | 'prioritized' | 'delayed' | 'completed')[]) =>
      (await queue.getJobs(states)).reduce((n, job) => n + ((job.data as { assessments?: unknown[] }).assessments?.length ?? 1), 0);
    const completedAssessments = await assessmentsIn('completed');
    const queuedOrCompletedAssessments = await assessmentsIn('waiting', 'prioritized', 'delayed', 'completed');
    await queue.close();

    const second = await worker('interrupted');
    const finishMs = await until(() => finished(db), 120_000, 'the restarted worker finished', 100);
    const interrupted = await results(db);
    await second.stop();

    const reference = await connect('reference');
    const uninterruptedWorker = await worker('reference');
    const uninterruptedMs = await until(() => finished(reference), 120_000, 'the uninterrupted worker finished', 100);
    const expected = await results(reference);
    await uninterruptedWorker.stop();

    const signalOutput = first.output();
    process.stdout.write(
      `[faults] SIGTERM to a worker mid-batch: ${amendments} amendments × 79 assessments = ${amendments * 79} jobs; signalled ${((signalledAt - startedAt) / 1000).toFixed(1)} s after start with ${atStop.done} jobs settled, ` +
        `exited ${(exitMs / 1000).toFixed(1)} s later; at that moment ${recordedAtStop.rows[0]!.n} ScoresRecalculated recorded, ${covered.rows[0]!.n} of them up to the dispatcher's checkpoint and ${settled.rows[0]!.n} jobs settled by it; ` +
        `Redis held ${counts['active']} active, ${counts['waiting']! + counts['prioritized']! + counts['delayed']!} waiting, ${counts['completed']} completed (${completedAssessments} assessments), ${counts['failed']} failed jobs; ` +
        `the restarted worker finished in ${(finishMs / 1000).toFixed(1)} s (one uninterrupted worker: ${(uninterruptedMs / 1000).toFixed(1)} s); ` +
        `${interrupted.recalculated.length} assessments with ${interrupted.recalculated.reduce((n, r) => n + (JSON.parse(r.parts) as unknown[]).length, 0)} recalculations, ${interrupted.scores.length} ranked part scores, ` +
        `equal to the uninterrupted run: ${JSON.stringify(interrupted) === JSON.stringify(expected)}\n`,
    );
    expect(signalOutput).not.toMatch(/"level":(50|60)/);
    expect(atStop.done).toBeLessThan(amendments * 79);
    expect(settled.rows[0]!.n).toBe(covered.rows[0]!.n);
    expect(counts['active']).toBe(0);
    expect(counts['failed']).toBe(0);
    expect(completedAssessments).toBe(recordedAtStop.rows[0]!.n);
    // Every job of the runs dispatched so far is in Redis, waiting or completed.
    expect(queuedOrCompletedAssessments).toBe(enqueued.rows[0]!.n);
    expect(interrupted.recalculated.length).toBe(79);
    expect(interrupted).toEqual(expected);
  }, 300_000);
});
