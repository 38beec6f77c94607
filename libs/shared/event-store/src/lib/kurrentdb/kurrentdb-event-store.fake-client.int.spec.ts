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
