import { randomUUID } from 'node:crypto';
import { describeEventStoreContract } from '../../testing';
import { FakeKurrentDbClient } from './kurrentdb-client.fake';
import { KurrentDbEventStore } from './kurrentdb-event-store';

/*
 * The shared contract suite against the adapter over the in-memory client fake. It runs where no
 * KurrentDB server exists (CI) and proves the adapter's own logic (version mapping, inclusive
 * reads, hidden streams, checkpoints, subscriptions); the server's semantics are proved only by
 * kurrentdb-event-store.int.spec.ts when KURRENTDB_CONNECTION_STRING is set. It is an int test
 * because the suite's projection tests use a PGlite read model.
 */
describeEventStoreContract('kurrentdb adapter over a fake client', async ({ upcasters, beforeCommit }) =>
  new KurrentDbEventStore(new FakeKurrentDbClient(), { upcasters, beforeAppend: () => beforeCommit() }),
);

describe('kurrentdb adapter over a fake client: wiring', () => {
  it('round-trips an append through the fake client with KurrentDB revisions mapped to versions', async () => {
    const store = new KurrentDbEventStore(new FakeKurrentDbClient());
    const metadata = { actor: 'editor.24728@daknong', correlationId: 'wiring-0001', causationId: 'wiring-0001', occurredAt: '2019-10-01T02:00:00.000Z', schemaVersion: 1 };
    const result = await store.appendToStream('assessment-daknong-2019-24728', [{ id: randomUUID(), type: 'AssessmentStarted', data: { unit: "Nâm N'Jang" }, metadata }], {
      expectedVersion: 'no_stream',
    });
    expect(result.nextExpectedVersion).toBe(0);
    const events = await store.readStream('assessment-daknong-2019-24728');
    expect(events.map((e) => [e.version, e.type, e.data])).toEqual([[0, 'AssessmentStarted', { unit: "Nâm N'Jang" }]]);
    await store.close();
  });
});
