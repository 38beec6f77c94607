import { randomUUID } from 'node:crypto';
import { useTestSchema } from '@tieuchi/shared/testing';
import type { EventMetadata } from '@tieuchi/shared/kernel';
import { auditDelivery, describeEventStoreContract, LateCommitInjector, runLateCommitWriters, sleep } from '../../testing';
import type { NewEvent } from '../event-store.port';
import { describeOneStatementAppends } from './one-statement-append.suite';
import { createPostgresEventStore } from './postgres-event-store';
import { PostgresSqlClient } from './postgres-sql-client';
import { decodeSqlCheckpoint } from './sql-checkpoint';
import type { SqlEventStore } from './sql-event-store';

const metadata: EventMetadata = {
  actor: 'user:1',
  correlationId: 'c',
  causationId: 'c',
  occurredAt: '2020-01-10T00:00:00.000Z',
  schemaVersion: 1,
};

function event(type: string, data: unknown): NewEvent {
  return { id: randomUUID(), type, data, metadata };
}

describe('postgres event store', () => {
  const schema = useTestSchema('event_store');

  // The contract store's connections carry a name of their own, so the suite cuts exactly those.
  const applicationName = `contract-${randomUUID()}`;
  const storeConnectionString = (): string => {
    const url = new URL(schema().connectionString);
    url.searchParams.set('application_name', applicationName);
    return url.toString();
  };
  describeEventStoreContract(
    'postgres',
    ({ upcasters, beforeCommit }) =>
      createPostgresEventStore({
        connectionString: storeConnectionString(),
        schema: schema().name,
        // The late-commit test runs 8 writers plus a polling subscriber at once.
        maxConnections: 12,
        upcasters,
        beforeCommit: () => beforeCommit(),
      }),
    {
      readModelDatabase: async () => {
        const client = new PostgresSqlClient({ connectionString: schema().connectionString });
        return { client, schema: schema().name, dispose: () => client.close() };
      },
      // As a PostgreSQL restart does to this store: its pool, lock and LISTEN connections end. The
      // subscription then stops and says so (lock lost); restarted, it resumes from its checkpoint.
      interruptSubscriptions: async () => {
        const admin = new PostgresSqlClient({ connectionString: schema().connectionString });
        try {
          await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
        } finally {
          await admin.close();
        }
        // Let the pool drop its dead idle connections before the suite appends again: node-postgres
        // may hand one out and then emit its error with no listener attached, an unhandled error.
        await sleep(200);
      },
    },
  );

  describeOneStatementAppends(
    'postgres',
    () => createPostgresEventStore({ connectionString: schema().connectionString, schema: schema().name, maxConnections: 12 }),
    { groupsAppends: true },
  );

  describe('gap-free global order (ARCHITECTURE.md §2.1)', () => {
    it('a naive reader keeping only "global_position > checkpoint" misses late commits; the xmin-fenced feed does not', async () => {
      const injector = new LateCommitInjector();
      const store = await createPostgresEventStore({
        connectionString: schema().connectionString,
        schema: schema().name,
        maxConnections: 12,
        beforeCommit: injector.beforeCommit,
      });
      try {
        const marker = await store.appendToStream(`marker-${randomUUID()}`, [event('ContractMarkerRecorded', {})], {
          expectedVersion: 'no_stream',
        });
        const naive = startNaiveReader(store, decodeSqlCheckpoint(marker.checkpoint).globalPosition);
        const delivered: { id: string; streamName: string; version: number }[] = [];
        const subscription = store.subscribe(
          `fenced-${randomUUID()}`,
          async (e) => {
            delivered.push({ id: e.id, streamName: e.streamName, version: e.version });
          },
          { startAfter: marker.checkpoint, pollIntervalMs: 5, batchSize: 50 },
        );

        const written = await runLateCommitWriters(store, injector);
        await subscription.waitFor(written.lastCheckpoint, 60_000);
        await subscription.stop();
        const naiveDelivered = await naive.finish();

        expect(auditDelivery(written, delivered)).toEqual([]);
        const naiveProblems = auditDelivery(written, naiveDelivered);
        expect(naiveProblems.some((problem) => problem.includes('never delivered'))).toBe(true);
        // The naive reader did read to the end: its losses are late commits, not a short read.
        expect(naiveDelivered.length).toBeGreaterThan(written.events.size / 2);
        expect(injector.delayedCommits).toBeGreaterThan(0);
      } finally {
        await store.close();
      }
    }, 120_000);
  });

  describe('postgres specifics', () => {
    it('applies migrations once when several processes start together on a new schema', async () => {
      const shared = `${schema().name}_m`;
      const stores = await Promise.all(
        Array.from({ length: 4 }, () => createPostgresEventStore({ connectionString: schema().connectionString, schema: shared, maxConnections: 2 })),
      );
      try {
        const applied = await stores[0]!.client.query<{ count: string }>(
          `SELECT count(*)::text AS count FROM ${shared}.schema_migrations WHERE component = 'event-store'`,
        );
        expect(applied.rows[0]?.count).toBe('1');
      } finally {
        await stores[0]!.client.exec(`DROP SCHEMA ${shared} CASCADE`);
        await Promise.all(stores.map((store) => store.close()));
      }
    }, 60_000);

    it('wakes a subscriber in another process through LISTEN/NOTIFY, long before its poll interval', async () => {
      const options = { connectionString: schema().connectionString, schema: schema().name, maxConnections: 2 };
      const reader = await createPostgresEventStore(options);
      const writer = await createPostgresEventStore(options);
      try {
        const marker = await writer.appendToStream(`marker-${randomUUID()}`, [event('ContractMarkerRecorded', {})], {
          expectedVersion: 'no_stream',
        });
        const stream = `notified-${randomUUID()}`;
        const seen: string[] = [];
        const subscription = reader.subscribe(
          `notified-${randomUUID()}`,
          async (e) => {
            if (e.streamName === stream) seen.push(e.type);
          },
          { startAfter: marker.checkpoint, pollIntervalMs: 60_000 },
        );
        await sleep(200); // let the first (empty) poll finish, so only a notification can wake it
        const appended = await writer.appendToStream(stream, [event('UnitRegistered', {})], { expectedVersion: 'no_stream' });
        const started = Date.now();
        await subscription.waitFor(appended.checkpoint, 10_000);
        expect(Date.now() - started).toBeLessThan(5_000);
        await subscription.stop();
        expect(seen).toEqual(['UnitRegistered']);
      } finally {
        await Promise.all([reader.close(), writer.close()]);
      }
    }, 30_000);
  });
});

interface NaiveReader {
  /** Reads until nothing new arrives, stops, and returns what it saw. */
  finish(): Promise<{ id: string; streamName: string; version: number }[]>;
}

/** The reader §2.1 warns about: it trusts that positions become visible in order. */
function startNaiveReader(store: SqlEventStore, afterPosition: string): NaiveReader {
  const seen: { id: string; streamName: string; version: number }[] = [];
  let position = afterPosition;
  let running = true;
  const poll = async (): Promise<number> => {
    const result = await store.client.query<{ id: string; stream_name: string; version: number; position: string }>(
      `SELECT event_id::text AS id, stream_name, version, global_position::text AS position
       FROM ${store.schema}.events WHERE global_position > $1::text::bigint ORDER BY global_position LIMIT 100`,
      [position],
    );
    for (const row of result.rows) seen.push({ id: row.id, streamName: row.stream_name, version: row.version });
    position = result.rows.at(-1)?.position ?? position;
    return result.rows.length;
  };
  const loop = (async () => {
    while (running) if ((await poll()) === 0) await sleep(1);
  })();
  return {
    finish: async () => {
      running = false;
      await loop;
      while ((await poll()) > 0);
      return seen;
    },
  };
}
