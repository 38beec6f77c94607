import { randomUUID } from 'node:crypto';
import { describeEventStoreContract } from '../../testing';
import { FakeKurrentDbClient } from './kurrentdb-client.fake';
import { UnavailableError } from '@kurrent/kurrentdb-client';
import { DEFAULT_KURRENTDB_CHECKPOINT_STREAM_PREFIX, KurrentDbEventStore } from './kurrentdb-event-store';

/*
 * The shared contract suite against the adapter over the in-memory client fake. It runs where no
 * KurrentDB server exists (CI) and proves the adapter's own logic (version mapping, inclusive
 * reads, hidden streams, checkpoints, subscriptions); the server's semantics are proved only by
 * kurrentdb-event-store.int.spec.ts when KURRENTDB_CONNECTION_STRING is set. It is an int test
 * because the suite's projection tests use a PGlite read model.
 */
let client: FakeKurrentDbClient;
describeEventStoreContract(
  'kurrentdb adapter over a fake client',
  async ({ upcasters, beforeCommit }) => {
    // As strict as the server, with a short write timeout so dropped identical writes cost 100 ms,
    // and throwOnAppendFailure=false so that every conflict test also proves a refusal answered
    // as `{ success: false }` is never taken for a write, nor its version from the batch path's
    // report (1 for any existing stream).
    client = new FakeKurrentDbClient({ writeTimeoutMs: 100, throwOnAppendFailure: false, appendPath: 'batch' });
    return new KurrentDbEventStore(client, { upcasters, beforeAppend: () => beforeCommit(), resubscribeDelayMs: 20 });
  },
  {
    interruptSubscriptions: async () => client.dropSubscriptions(new UnavailableError()),
    appendHiddenEvents: async (count) => {
      for (let i = 0; i < count; i += 1) {
        if (i % 2 === 0) client.store(`$stats-fake`, '$statsCollected', { i });
        else client.store(`${DEFAULT_KURRENTDB_CHECKPOINT_STREAM_PREFIX}contract-hidden`, 'CheckpointStored', { checkpoint: '0:0' });
      }
    },
  },
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
