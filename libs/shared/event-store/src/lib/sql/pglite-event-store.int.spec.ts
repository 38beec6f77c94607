import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from '../../testing';
import { describeOneStatementAppends } from './one-statement-append.suite';
import { createPgliteEventStore } from './pglite-event-store';
import { PgliteSqlClient } from './pglite-sql-client';
import { SqlEventStore } from './sql-event-store';

/*
 * PGlite has one connection and queues transactions, so appends never interleave: the late-commit
 * test still runs its concurrent writers and its delayed commits, but each delay holds the whole
 * database rather than overlapping other writers. What it proves here is exactly-once delivery to
 * a subscriber polling among concurrent callers; the interleaving case is proved on PostgreSQL.
 */
describeEventStoreContract('pglite', ({ upcasters, beforeCommit }) =>
  createPgliteEventStore({ upcasters, beforeCommit: () => beforeCommit() }),
);

describeOneStatementAppends('pglite', () => createPgliteEventStore(), { groupsAppends: false });

describe('pglite event store', () => {
  const metadata = {
    actor: 'user:1',
    correlationId: 'c',
    causationId: 'c',
    occurredAt: '2020-01-10T00:00:00.000Z',
    schemaVersion: 1,
  };

  it('keeps events in a file-backed data directory across restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tieuchi-pglite-'));
    try {
      const first = await createPgliteEventStore({ dataDir });
      const appended = await first.appendToStream('unit-1', [{ id: randomUUID(), type: 'UnitRegistered', data: { name: 'Xã Tâm Thắng' }, metadata }], {
        expectedVersion: 'no_stream',
      });
      await first.close();

      const reopened = await createPgliteEventStore({ dataDir });
      const events = await reopened.readStream('unit-1');
      const feed = await reopened.readAll(null, 10);
      await reopened.close();
      expect(events.map((e) => e.data)).toEqual([{ name: 'Xã Tâm Thắng' }]);
      expect(feed.checkpoint).toBe(appended.checkpoint);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('applies its migrations once when several stores share one database', async () => {
    const client = await PgliteSqlClient.create();
    try {
      const stores = [await SqlEventStore.create(client), await SqlEventStore.create(client, { schema: 'event_store' })];
      const applied = await client.query<{ count: string }>(
        `SELECT count(*)::text AS count FROM event_store.schema_migrations WHERE component = 'event-store'`,
      );
      expect(applied.rows[0]?.count).toBe('1');
      await Promise.all(stores.map((store) => store.close()));
      expect(client.db.closed).toBe(false);
    } finally {
      await client.close();
    }
  }, 60_000);
});
