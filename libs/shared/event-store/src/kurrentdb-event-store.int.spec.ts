import { randomUUID } from 'node:crypto';
import { KurrentDBClient, jsonEvent } from '@kurrent/kurrentdb-client';
import { loadConfig } from '@tieuchi/shared/config';
import { KurrentDbEventStore } from './lib/kurrentdb/kurrentdb-event-store';
import { describeEventStoreContract } from './testing';

const { kurrentdbConnectionString } = loadConfig();
const skipReason = 'kurrentdb contract suite skipped: KURRENTDB_CONNECTION_STRING is not set';

if (kurrentdbConnectionString) {
  /*
   * Runs against a shared server (docker-compose's KurrentDB), so each run keeps its subscription
   * checkpoints under its own prefix; the suite itself names streams with fresh uuids. The read
   * model of the projection tests is the suite's default in-memory PGlite.
   */
  const runPrefix = `tieuchi-checkpoint-contract-${randomUUID()}-`;
  describeEventStoreContract(
    'kurrentdb',
    async ({ upcasters, beforeCommit }) =>
      new KurrentDbEventStore(kurrentdbConnectionString, {
        upcasters,
        checkpointStreamPrefix: runPrefix,
        // No client-side transaction to hold open: delaying the send makes writers land out of order.
        beforeAppend: () => beforeCommit(),
      }),
    {
      // Events in a stream under the run's checkpoint prefix are hidden from the feed like checkpoints.
      appendHiddenEvents: async (count) => {
        const client = KurrentDBClient.connectionString(kurrentdbConnectionString);
        try {
          for (let start = 0; start < count; start += 500) {
            const batch = Array.from({ length: Math.min(500, count - start) }, (_, i) =>
              jsonEvent({ type: 'CheckpointStored', data: { checkpoint: '0:0', i: start + i } }),
            );
            await client.appendToStream(`${runPrefix}hidden-run`, batch);
          }
        } finally {
          await client.dispose();
        }
      },
      // A real server's connection cannot be cut from here; the fake's contract run drops feeds.
    },
  );
} else {
  describe('EventStore contract: kurrentdb', () => {
    beforeAll(() => {
      console.warn(`${skipReason}. Start KurrentDB (docker compose up -d kurrentdb) and set it, e.g. kurrentdb://localhost:2113?tls=false`);
    });

    it(skipReason, () => {
      expect(kurrentdbConnectionString).toBeUndefined();
    });
  });
}
