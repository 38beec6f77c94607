import { randomUUID } from 'node:crypto';
import type { EventMetadata } from '@tieuchi/shared/kernel';
import type { NewEvent } from '../event-store.port';
import { createPgliteEventStore } from '../sql/pglite-event-store';
import { PgliteSqlClient } from '../sql/pglite-sql-client';
import type { SqlEventStore } from '../sql/sql-event-store';
import { RebuildableProjection, type RebuildableProjectionDefinition } from './projection-rebuild';

const metadata: EventMetadata = { actor: 'user:1', correlationId: 'c', causationId: 'c', occurredAt: '2020-01-10T00:00:00.000Z', schemaVersion: 1 };
const event = (n: number): NewEvent => ({ id: randomUUID(), type: 'Counted', data: { n }, metadata });

const counts: RebuildableProjectionDefinition = {
  projectionId: 'counts',
  version: 1,
  baseSchema: 'counts',
  tables: ['counted'],
  migrations: [{ component: 'counts', migrations: [{ version: 1, name: 'counted', sql: (schema) => `CREATE TABLE ${schema}.counted (n integer PRIMARY KEY, stream text NOT NULL);` }] }],
  handler: (schema) => async (events, tx) => {
    for (const e of events) await tx.query(`INSERT INTO ${schema}.counted (n, stream) VALUES ($1, $2)`, [(e.data as { n: number }).n, e.streamName]);
  },
};

describe('RebuildableProjection on PGlite (embedded mode)', () => {
  let client: PgliteSqlClient;
  let store: SqlEventStore;
  let projection: RebuildableProjection;

  beforeAll(async () => {
    client = await PgliteSqlClient.create();
    store = await createPgliteEventStore({ client });
    projection = new RebuildableProjection({ definition: counts, source: store, database: client, batchSize: 7, pollIntervalMs: 10, syncIntervalMs: 20 });
  }, 60_000);

  afterAll(async () => {
    await projection?.stop();
    await store?.close();
    await client?.close();
  });

  const rows = async () => (await client.query<{ n: number; stream: string }>('SELECT n, stream FROM counts.counted ORDER BY n')).rows;

  it('serves v1 through the views, builds v2 beside it and switches to it with the same rows', async () => {
    const first = await store.appendToStream('counts-a', Array.from({ length: 50 }, (_, i) => event(i)), { expectedVersion: 'no_stream' });
    await projection.start();
    await projection.waitForLive(first.checkpoint);
    const v1 = await rows();
    expect(v1).toHaveLength(50);

    expect(await projection.requestRebuild()).toMatchObject({ state: 'building', liveVersion: 1, building: { version: 2 } });
    expect(await projection.requestRebuild()).toMatchObject({ state: 'building', building: { version: 2 } });
    const during = await store.appendToStream('counts-b', Array.from({ length: 20 }, (_, i) => event(100 + i)), { expectedVersion: 'no_stream' });
    expect((await rows()).length).toBeGreaterThanOrEqual(50);

    const deadline = Date.now() + 20_000;
    while ((await projection.status()).liveVersion !== 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await projection.waitForLive(during.checkpoint);
    expect(await projection.status()).toMatchObject({ liveVersion: 2, state: 'live', building: null, liveCheckpoint: during.checkpoint });
    const v2 = await rows();
    expect(v2).toHaveLength(70);
    expect(v2.slice(0, 50)).toEqual(v1);
    const schemas = await client.query<{ name: string }>(`SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'counts_v%' ORDER BY 1`);
    expect(schemas.rows.map((row) => row.name)).toEqual(['counts_v2']);
  }, 60_000);

  it('feeds a version that is behind in batches of catchUpBatchSize, then of batchSize', async () => {
    const batches: number[] = [];
    const sized = new RebuildableProjection({
      definition: {
        ...counts,
        projectionId: 'sized',
        baseSchema: 'sized',
        handler: () => (events) => {
          batches.push(events.length);
          return Promise.resolve();
        },
      },
      source: store,
      database: client,
      batchSize: 7,
      catchUpBatchSize: 40,
      pollIntervalMs: 10,
      syncIntervalMs: 20,
    });
    const { checkpoint } = await store.readAll(null, 1_000);
    await sized.start();
    try {
      await sized.waitForLive(checkpoint ?? '');
      const late = await store.appendToStream('counts-c', Array.from({ length: 10 }, (_, i) => event(200 + i)), { expectedVersion: 'no_stream' });
      await sized.waitForLive(late.checkpoint);
    } finally {
      await sized.stop();
    }
    // 70 events behind: 40, then the 30 left; caught up, the 10 appended come in batches of at most 7.
    expect(batches.slice(0, 2)).toEqual([40, 30]);
    expect(Math.max(...batches.slice(2))).toBeLessThanOrEqual(7);
    expect(batches.reduce((sum, n) => sum + n, 0)).toBe(80);
  }, 60_000);
});
