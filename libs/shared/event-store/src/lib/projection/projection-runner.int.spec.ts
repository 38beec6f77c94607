import { randomUUID } from 'node:crypto';
import type { EventMetadata } from '@tieuchi/shared/kernel';
import { useTestSchema } from '@tieuchi/shared/testing';
import { ReaderStoppedError } from '../event-store.errors';
import type { EventStore, NewEvent, RecordedEvent } from '../event-store.port';
import { createPgliteEventStore } from '../sql/pglite-event-store';
import { PgliteSqlClient } from '../sql/pglite-sql-client';
import { PostgresSqlClient } from '../sql/postgres-sql-client';
import type { SqlClient, SqlExecutor } from '../sql/sql-client';
import type { SqlMigrationSet } from '../sql/sql-migrations';
import { type ProjectionBatch, ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner';

const metadata: EventMetadata = { actor: 'user:1', correlationId: 'c', causationId: 'c', occurredAt: '2020-01-10T00:00:00.000Z', schemaVersion: 1 };
const event = (n: number): NewEvent => ({ id: randomUUID(), type: 'SelfScoreRecorded', data: { n }, metadata });

const scores: SqlMigrationSet = {
  component: 'runner-spec',
  migrations: [{ version: 1, name: 'scores', sql: (schema) => `CREATE TABLE ${schema}.scores (runner text NOT NULL, n integer NOT NULL);` }],
};

interface ReadModel {
  readonly name: string;
  connect(): Promise<{ client: SqlClient; schema: string }>;
}

describe('ProjectionRunner', () => {
  const postgresSchema = useTestSchema('projection');
  let source: EventStore;

  beforeAll(async () => {
    // Events in an embedded PGlite, read models in PostgreSQL or another PGlite: the runner
    // depends only on the EventStore port, as it must for KurrentDB.
    source = await createPgliteEventStore();
  }, 60_000);

  afterAll(async () => {
    await source?.close();
  });

  const readModels: ReadModel[] = [
    {
      name: 'postgres',
      connect: async () => ({ client: new PostgresSqlClient({ connectionString: postgresSchema().connectionString }), schema: postgresSchema().name }),
    },
    { name: 'pglite', connect: async () => ({ client: await PgliteSqlClient.create(), schema: 'read_model' }) },
  ];

  describe.each(readModels)('with a $name read model', (readModel) => {
    let client: SqlClient;
    let schema: string;

    beforeAll(async () => {
      ({ client, schema } = await readModel.connect());
    }, 60_000);

    afterAll(async () => {
      await client?.close();
    });

    const runner = (projectionId: string, name: string, overrides: Partial<ProjectionRunnerOptions> = {}): ProjectionRunner =>
      new ProjectionRunner({
        projectionId,
        source,
        database: client,
        schema,
        migrations: [scores],
        pollIntervalMs: 20,
        batchSize: 5,
        handler: async (events: readonly RecordedEvent[], tx: SqlExecutor) => {
          for (const e of events) {
            if (e.streamName.startsWith(projectionId)) {
              await tx.query(`INSERT INTO ${schema}.scores (runner, n) VALUES ($1, $2)`, [name, (e.data as { n: number }).n]);
            }
          }
        },
        ...overrides,
      });

    const applied = async (projectionId: string): Promise<{ runner: string; n: number }[]> => {
      const rows = await client.query<{ runner: string; n: number }>(`SELECT runner, n FROM ${schema}.scores WHERE runner LIKE $1 ORDER BY n`, [
        `${projectionId}%`,
      ]);
      return rows.rows.map((row) => ({ runner: row.runner, n: Number(row.n) }));
    };

    it('keeps one active runner per projection id; a standby takes over when it stops', async () => {
      const projectionId = `single-${randomUUID()}`;
      const marker = await source.appendToStream(`${projectionId}-marker`, [event(-1)], { expectedVersion: 'no_stream' });
      const first = runner(projectionId, `${projectionId}:first`, { startAfter: marker.checkpoint });
      const second = runner(projectionId, `${projectionId}:second`, { startAfter: marker.checkpoint });
      await first.start();
      // start() returns before the runner has its lock: the second starts once the first holds it.
      for (const deadline = Date.now() + 30_000; first.state !== 'running'; ) {
        if (Date.now() > deadline) throw new Error('the first runner never took the lock');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await second.start();
      const a = await source.appendToStream(projectionId, [0, 1, 2, 3, 4, 5, 6].map(event), { expectedVersion: 'no_stream' });
      await first.waitFor(a.checkpoint);
      expect(first.state).toBe('running');
      expect(second.state).toBe('standby');

      await first.stop();
      const b = await source.appendToStream(projectionId, [7, 8, 9].map(event), { expectedVersion: 6 });
      await second.waitFor(b.checkpoint);
      expect(second.state).toBe('running');
      await second.stop();

      const rows = await applied(projectionId);
      expect(rows.map((r) => r.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(rows.filter((r) => r.runner.endsWith(':first')).map((r) => r.n)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    }, 60_000);

    it('stops cleanly when idle, rejects later waits, and resumes from its checkpoint when started again', async () => {
      const projectionId = `restart-${randomUUID()}`;
      const marker = await source.appendToStream(`${projectionId}-marker`, [event(-1)], { expectedVersion: 'no_stream' });
      const projection = runner(projectionId, projectionId, { startAfter: marker.checkpoint });
      await projection.start();
      const a = await source.appendToStream(projectionId, [0, 1].map(event), { expectedVersion: 'no_stream' });
      await projection.waitFor(a.checkpoint);
      await projection.stop();
      expect(projection.state).toBe('stopped');
      const b = await source.appendToStream(projectionId, [2, 3].map(event), { expectedVersion: 1 });
      await expect(projection.waitFor(b.checkpoint, 1000)).rejects.toBeInstanceOf(ReaderStoppedError);

      await projection.start();
      await projection.waitFor(b.checkpoint);
      await projection.stop();
      expect((await applied(projectionId)).map((r) => r.n)).toEqual([0, 1, 2, 3]);
      expect(projection.checkpoint).toBe(b.checkpoint);
    }, 60_000);

    it('takes batches of catchUpBatchSize while behind, and of batchSize once it has caught up', async () => {
      const projectionId = `catch-up-${randomUUID()}`;
      const marker = await source.appendToStream(`${projectionId}-marker`, [event(-1)], { expectedVersion: 'no_stream' });
      const behind = await source.appendToStream(projectionId, Array.from({ length: 23 }, (_, n) => event(n)), { expectedVersion: 'no_stream' });
      const sizes: number[] = [];
      const projection = runner(projectionId, projectionId, {
        startAfter: marker.checkpoint,
        batchSize: 2,
        catchUpBatchSize: 10,
        handler: async (events) => {
          sizes.push(events.filter((e) => e.streamName === projectionId).length);
        },
      });
      await projection.start();
      await projection.waitFor(behind.checkpoint);
      // Caught up, the runner reads batchSize first: a full batch means a backlog again, a short one that it is live.
      const live = await source.appendToStream(projectionId, [23, 24, 25].map(event), { expectedVersion: 22 });
      await projection.waitFor(live.checkpoint);
      await projection.stop();
      expect(sizes.slice(0, 3)).toEqual([10, 10, 3]);
      expect(sizes.slice(3).every((size) => size <= 2)).toBe(true);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(26);
    }, 60_000);

    it('tells a handler that defers which batches are full, runs it with no events at the head and at every start, and lets waiters wait for that', async () => {
      const projectionId = `defer-${randomUUID()}`;
      const marker = await source.appendToStream(`${projectionId}-marker`, [event(-1)], { expectedVersion: 'no_stream' });
      // Twice the catch-up batch: the last full batch ends at the head, and the read after it finds nothing.
      const behind = await source.appendToStream(projectionId, Array.from({ length: 20 }, (_, n) => event(n)), { expectedVersion: 'no_stream' });
      const calls: { events: number; catchingUp: boolean | undefined }[] = [];
      const projection = runner(projectionId, projectionId, {
        startAfter: marker.checkpoint,
        batchSize: 2,
        catchUpBatchSize: 10,
        defersWhileCatchingUp: true,
        handler: async (events: readonly RecordedEvent[], _tx: SqlExecutor, batch?: ProjectionBatch) => {
          calls.push({ events: events.length, catchingUp: batch?.catchingUp });
        },
      });
      await projection.start();
      await projection.waitFor(behind.checkpoint);
      const atHeadWhenWaitEnded = calls.length;
      const live = await source.appendToStream(projectionId, [20].map(event), { expectedVersion: 19 });
      await projection.waitFor(live.checkpoint);
      await projection.stop();
      expect(calls.slice(0, 4)).toEqual([
        { events: 10, catchingUp: true },
        { events: 10, catchingUp: true },
        { events: 0, catchingUp: false },
        { events: 1, catchingUp: false },
      ]);
      // The checkpoint of a deferring batch is not waited for: only the head batch completes it.
      expect(atHeadWhenWaitEnded).toBe(3);

      // Started again with nothing to read: what a crash may have left deferred is done at once.
      await projection.start();
      for (const deadline = Date.now() + 30_000; calls.length === 4; ) {
        if (Date.now() > deadline) throw new Error('no batch at the head after the start');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await projection.stop();
      expect(calls.slice(4)).toEqual([{ events: 0, catchingUp: false }]);
    }, 60_000);

    it('reads the next batch while it applies one, and reads again after a batch that failed', async () => {
      const projectionId = `prefetch-${randomUUID()}`;
      const marker = await source.appendToStream(`${projectionId}-marker`, [event(-1)], { expectedVersion: 'no_stream' });
      const behind = await source.appendToStream(projectionId, Array.from({ length: 30 }, (_, n) => event(n)), { expectedVersion: 'no_stream' });
      const after = new Map((await source.readAll(marker.checkpoint, 100)).events.map((e) => [e.checkpoint, (e.data as { n: number }).n]));
      const steps: string[] = [];
      let failed = false;
      const projection = runner(projectionId, projectionId, {
        startAfter: marker.checkpoint,
        catchUpBatchSize: 10,
        retryDelayMs: 10,
        feed: {
          readAll: (from, size) => {
            steps.push(`read after ${from === marker.checkpoint ? 'marker' : String(after.get(from as string))}`);
            return source.readAll(from, size);
          },
        },
        handler: async (events: readonly RecordedEvent[], tx: SqlExecutor) => {
          const ns = events.map((e) => (e.data as { n: number }).n);
          steps.push(`apply ${ns[0]}..${ns.at(-1)}`);
          if (ns[0] === 10 && !failed) {
            failed = true;
            throw new Error('a handler bug, once');
          }
          for (const n of ns) await tx.query(`INSERT INTO ${schema}.scores (runner, n) VALUES ($1, $2)`, [projectionId, n]);
        },
      });
      await projection.start();
      await projection.waitFor(behind.checkpoint);
      await projection.stop();
      expect((await applied(projectionId)).map((r) => r.n)).toEqual(Array.from({ length: 30 }, (_, n) => n));
      expect(steps.slice(0, 10)).toEqual([
        'read after marker',
        // Each read of the next batch starts before the batch in hand is applied.
        'read after 9',
        'apply 0..9',
        'read after 19',
        'apply 10..19',
        // The failed batch is read again from the committed checkpoint: the read past it is dropped.
        'read after 9',
        'read after 19',
        'apply 10..19',
        'read after 29',
        'apply 20..29',
      ]);
    }, 60_000);
  });
});
