import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AssessmentSummaryProjection } from '@tieuchi/assessment/feature';
import { AuditTrailProjectionHost } from '@tieuchi/audit/feature';
import { buildDaknongHistory, loadDaknongDemoInput } from '@tieuchi/demo/daknong';
import { RankingsProjection } from '@tieuchi/ranking/feature';
import { EVENT_STORE, READ_MODEL_DB } from '@tieuchi/shared/application';
import { type AppConfig, loadConfig } from '@tieuchi/shared/config';
import { createPostgresEventStore, type EventStore, type NewEvent, PostgresSqlClient, type SqlClient } from '@tieuchi/shared/event-store';
import { createTestDatabase, type TestDatabase } from '@tieuchi/shared/testing';
import { randomUUID } from 'node:crypto';
import { WorkerModule } from './worker.module';

type HistoryEvent = ReturnType<typeof buildDaknongHistory>['events'][number];

/** Appends recorded history as the demo loader does: consecutive events of a stream together; answers the last checkpoint. */
async function append(eventStore: EventStore, events: readonly HistoryEvent[]): Promise<string | null> {
  let index = 0;
  let last: string | null = null;
  while (index < events.length) {
    const first = events[index]!;
    const batch: NewEvent[] = [];
    while (index < events.length && events[index]!.streamId === first.streamId) {
      const recorded = events[index]!;
      batch.push({ id: randomUUID(), type: recorded.event.type, data: recorded.event.data, metadata: recorded.metadata });
      index += 1;
    }
    ({ checkpoint: last } = await eventStore.appendToStream(first.streamId, batch, { expectedVersion: first.streamPosition === 0 ? 'no_stream' : first.streamPosition - 1 }));
  }
  return last;
}

async function feedHead(eventStore: EventStore): Promise<{ count: number; checkpoint: string | null }> {
  let checkpoint: string | null = null;
  let count = 0;
  for (;;) {
    const { events } = await eventStore.readAll(checkpoint, 5_000);
    if (events.length === 0) return { count, checkpoint };
    count += events.length;
    checkpoint = events.at(-1)!.checkpoint;
  }
}

/**
 * Whichever worker is active: resolves with the feed's head once every projection's committed
 * checkpoint is that head (read again each time: the publication process appends too).
 */
async function caughtUp(app: INestApplicationContext, after: string | null = null, timeoutMs = 60_000): Promise<{ count: number; checkpoint: string | null }> {
  const database = app.get<SqlClient>(READ_MODEL_DB);
  const store = app.get<EventStore>(EVENT_STORE);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const head = await feedHead(store);
    // The feed shows an append only once every older transaction of the cluster has ended (other tests' included).
    const reached = after === null || (head.checkpoint !== null && store.compareCheckpoints(head.checkpoint, after) >= 0);
    const { rows } = await database.query<{ checkpoint: string | null }>(
      `SELECT checkpoint FROM read_model.projection_checkpoints WHERE projection_id IN ('assessment-summary.v1', 'rankings.v1')
       UNION ALL SELECT checkpoint FROM process_managers.projection_checkpoints`,
    );
    const { liveCheckpoint } = await app.get(AuditTrailProjectionHost).projection.status();
    const checkpoints = [...rows.map((row) => row.checkpoint), liveCheckpoint];
    if (reached && rows.length === 3 && checkpoints.every((checkpoint) => checkpoint === head.checkpoint)) return head;
    if (Date.now() > deadline) throw new Error(`projections not caught up with ${String(head.checkpoint)}: ${JSON.stringify(checkpoints)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('two workers on one database', () => {
  let database: TestDatabase;
  let config: AppConfig;
  const workers: INestApplicationContext[] = [];
  // The Đắk Nông history already holds the publications, so the process appends nothing to it.
  const history = buildDaknongHistory(loadDaknongDemoInput()).events;

  const startWorker = async (): Promise<INestApplicationContext> => {
    const app = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config }), { logger: ['error'] });
    await app.init();
    workers.push(app);
    return app;
  };

  beforeAll(async () => {
    database = await createTestDatabase('worker');
    config = { ...loadConfig({}), eventStore: 'postgres', databaseUrl: database.connectionString, logLevel: 'warn' };
  });

  afterAll(async () => {
    for (const app of workers) await app.close();
    await database?.drop();
  });

  it('applies every event once with one active projector per projection, and the standby takes over when the active one stops', async () => {
    // Appended before the workers start: the process must find the publications already there.
    const client = new PostgresSqlClient({ connectionString: config.databaseUrl });
    let appended: string | null;
    try {
      appended = await append(await createPostgresEventStore({ client }), history);
    } finally {
      await client.close();
    }
    const [a, b] = await Promise.all([startWorker(), startWorker()]);
    const db = a.get<SqlClient>(READ_MODEL_DB);
    let head = await caughtUp(a, appended);

    for (const projection of [AssessmentSummaryProjection, RankingsProjection]) {
      expect([a.get(projection).state, b.get(projection).state].sort()).toEqual(['running', 'standby']);
    }
    const audit = async () =>
      (await db.query<{ rows: string; events: string }>(`SELECT count(*)::text AS rows, count(DISTINCT event_id)::text AS events FROM audit.audit_events`)).rows[0];
    expect(await audit()).toEqual({ rows: String(head.count), events: String(head.count) });

    // The active one stops (a deployment, a crash); the other takes over from the shared checkpoints.
    const active = a.get(RankingsProjection).state === 'running' ? a : b;
    const standby = active === a ? b : a;
    await active.close();
    workers.splice(workers.indexOf(active), 1);
    let lastAppend: string | null = null;
    for (let n = 0; n < 20; n += 1) {
      const code = String(90_000 + n);
      ({ checkpoint: lastAppend } = await standby.get<EventStore>(EVENT_STORE).appendToStream(`unit-${code}`, [
        {
          id: randomUUID(),
          type: 'UnitRegistered',
          data: { code, name: `Xã thử ${n}`, type: 'xã', tier: 'commune', parentCode: null },
          metadata: { actor: 'admin@daknong', correlationId: `takeover-${code}`, causationId: `takeover-${code}`, occurredAt: '2020-03-01T00:00:00.000Z', schemaVersion: 1 },
        },
      ], { expectedVersion: 'no_stream' }));
    }
    const standbyDb = standby.get<SqlClient>(READ_MODEL_DB);
    head = await caughtUp(standby, lastAppend);
    expect(standby.get(RankingsProjection).state).toBe('running');
    expect(standby.get(AssessmentSummaryProjection).state).toBe('running');

    expect(head.count).toBe(history.length + 20);
    const units = await standbyDb.query<{ n: string }>(`SELECT count(*)::text AS n FROM read_model.ranking_units WHERE unit_code LIKE '9000%' OR unit_code LIKE '9001%'`);
    expect(units.rows[0]?.n).toBe('20');
    const counts = await standbyDb.query<{ rows: string; events: string }>(`SELECT count(*)::text AS rows, count(DISTINCT event_id)::text AS events FROM audit.audit_events`);
    expect(counts.rows[0]).toEqual({ rows: String(head.count), events: String(head.count) });
    // Every summary is at its stream's version: nothing applied twice, nothing skipped.
    const summaries = await standbyDb.query<{ stream_name: string; stream_version: number }>(`SELECT stream_name, stream_version FROM read_model.assessment_summaries`);
    expect(summaries.rows.length).toBeGreaterThan(0);
    const lastVersions = new Map<string, number>();
    const streams = await standbyDb.query<{ stream_name: string; version: number }>(`SELECT stream_name, max(version) AS version FROM event_store.events GROUP BY stream_name`);
    for (const row of streams.rows) lastVersions.set(row.stream_name, Number(row.version));
    for (const row of summaries.rows) expect([row.stream_name, Number(row.stream_version)]).toEqual([row.stream_name, lastVersions.get(row.stream_name)]);
    const published = await standbyDb.query<{ stream_name: string; n: string }>(
      `SELECT stream_name, count(*)::text AS n FROM event_store.events WHERE type = 'AssessmentPublished' GROUP BY stream_name, data->>'decisionNumber' HAVING count(*) > 1`,
    );
    expect(published.rows).toEqual([]);
  }, 180_000);
});
