import { FileSystemEvidenceStorage } from '@tieuchi/shared/evidence-storage';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { auditEventsTable, auditSchema } from '@tieuchi/audit/data-access';
import type { EventMetadata } from '@tieuchi/shared/kernel';
import {
  createPostgresEventStore,
  type NewEvent,
  PostgresSqlClient,
  RebuildableProjection,
  type SqlEventStore,
} from '@tieuchi/shared/event-store';
import { createTestDatabase, type TestDatabase } from '@tieuchi/shared/testing';
import { AuditTrailQuery } from '../../audit-trail.query';
import { auditTrailProjection } from './audit-trail.projection';

const metadata: EventMetadata = { actor: 'editor.24728@daknong', correlationId: 'corr-1', causationId: 'corr-1', occurredAt: '2019-11-01T00:00:00.000Z', schemaVersion: 1 };
const scored = (criterionCode: string, points: number): NewEvent => ({
  id: randomUUID(),
  type: 'CriterionScored',
  data: { by: metadata.actor, at: metadata.occurredAt, criterionCode, answer: { kind: 'value', value: points }, points, evidence: [], explanation: `lần ${points}` },
  metadata,
});

describe('audit trail rebuild without downtime', () => {
  let database: TestDatabase;
  let client: PostgresSqlClient;
  let store: SqlEventStore;
  let projection: RebuildableProjection;
  let query: AuditTrailQuery;

  beforeAll(async () => {
    database = await createTestDatabase('audit');
    client = new PostgresSqlClient({ connectionString: database.connectionString });
    store = await createPostgresEventStore({ client });
    projection = new RebuildableProjection({ definition: auditTrailProjection, source: store, database: client, batchSize: 10, pollIntervalMs: 20, syncIntervalMs: 50 });
    query = new AuditTrailQuery(client, new FileSystemEvidenceStorage(join(tmpdir(), `audit-rebuild-${process.pid}`)));
  }, 60_000);

  afterAll(async () => {
    await projection?.stop();
    await store?.close();
    await client?.close();
    await database?.drop();
  });

  const allRows = async () => {
    const rows = await client.query<Record<string, unknown>>(`SELECT * FROM ${auditSchema}.${auditEventsTable} ORDER BY position`);
    return rows.rows;
  };

  it('builds v2 beside v1 while v1 answers, switches when caught up, and loses no event appended meanwhile', async () => {
    let last = '';
    for (let s = 0; s < 20; s += 1) {
      const result = await store.appendToStream(`assessment-p-${s}`, Array.from({ length: 15 }, (_, i) => scored(`C.${i % 5}`, i)), { expectedVersion: 'no_stream' });
      last = result.checkpoint;
    }
    await projection.start();
    await projection.waitForLive(last);
    const before = await allRows();
    expect(before).toHaveLength(300);
    // The second score of C.0 in a stream starts from the first one's points.
    expect(before.find((row) => row['stream'] === 'assessment-p-0' && row['stream_version'] === 5)).toMatchObject({
      before: { 'criterion:C.0': 0 },
      after: { 'criterion:C.0': 5 },
      summary: 'CriterionScored: criterion:C.0 0 → 5 — lần 5',
      reason: 'lần 5',
    });
    expect((await projection.status()).liveVersion).toBe(1);

    // Readers and writers keep going for the whole rebuild.
    let stop = false;
    const seen = new Map<string, Record<string, unknown>>();
    let queriesWhileBuilding = 0;
    let sawBuilding = false;
    const reader = (async () => {
      let previousCount = 0;
      while (!stop) {
        const building = (await projection.status()).state === 'building';
        const rows = await allRows();
        expect(rows.length).toBeGreaterThanOrEqual(previousCount);
        previousCount = rows.length;
        for (const row of rows) seen.set(String(row['position']), row);
        if (building) {
          sawBuilding = true;
          queriesWhileBuilding += 1;
        }
      }
    })();
    let appended = 0;
    const writer = (async () => {
      let version = -1;
      while (!stop) {
        const result = await store.appendToStream('assessment-during-rebuild', [scored('C.9', appended)], { expectedVersion: version < 0 ? 'no_stream' : version });
        version = result.nextExpectedVersion;
        last = result.checkpoint;
        appended += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();

    const requested = await projection.requestRebuild();
    expect(requested).toMatchObject({ state: 'building', liveVersion: 1, building: { version: 2 } });
    const deadline = Date.now() + 30_000;
    while ((await projection.status()).liveVersion !== 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 100));
    stop = true;
    await Promise.all([reader, writer]);
    await projection.waitForLive(last);

    const status = await projection.status();
    expect(status).toMatchObject({ liveVersion: 2, state: 'live', building: null });
    expect(sawBuilding).toBe(true);
    expect(queriesWhileBuilding).toBeGreaterThan(0);
    expect(appended).toBeGreaterThan(0);

    const after = await allRows();
    const feed = (await store.readAll(null, 10_000)).events;
    expect(after.map((row) => row['event_id'])).toEqual(feed.map((event) => event.id));
    // Every row v1 served, before and during the rebuild, is in v2 exactly as it was.
    expect(after.slice(0, before.length)).toEqual(before);
    for (const [position, row] of seen) expect(after[Number(position) - 1]).toEqual(row);
    expect(await query.verify()).toEqual({ ok: true, rows: feed.length, evidenceFiles: 0, tamperedEvidence: [] });
    const schemas = await client.query<{ name: string }>(`SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'audit_v%' ORDER BY 1`);
    expect(schemas.rows.map((row) => row.name)).toEqual(['audit_v2']);
  }, 60_000);
});
