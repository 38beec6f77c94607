import { randomUUID } from 'node:crypto';
import { isDomainError, type EventMetadata } from '@tieuchi/shared/kernel';
import { auditDelivery, LateCommitInjector, runLateCommitWriters } from '../../testing';
import { ConcurrencyError, IdempotencyConflictError } from '../event-store.errors';
import type { NewEvent } from '../event-store.port';
import type { SqlEventStore } from './sql-event-store';

const metadata: EventMetadata = { actor: 'user:1', correlationId: 'c', causationId: 'c', occurredAt: '2020-01-10T00:00:00.000Z', schemaVersion: 1 };
const event = (data: unknown): NewEvent => ({ id: randomUUID(), type: 'CriterionScored', data, metadata });
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
/** The transaction an append committed in: a SQL checkpoint is "<transaction id>:<global position>". */
const transactionOf = (checkpoint: string): string => checkpoint.split(':')[0] as string;

/**
 * The contract suite always wires its fault-injection hook, so its appends run in an explicit
 * transaction. A store without the hook (production) appends in one statement in an implicit
 * transaction: these tests prove that path keeps the same guarantees. Test-only (jest globals).
 */
export function describeOneStatementAppends(
  adapterName: string,
  createStore: () => Promise<SqlEventStore>,
  options: {
    /** PostgreSQL: appends that queue behind another share its next statement. PGlite: each has its own. */
    readonly groupsAppends: boolean;
  },
): void {
  describe(`appends in one statement without an explicit transaction: ${adapterName}`, () => {
    let store: SqlEventStore;
    const stream = (name: string): string => `one-statement-${name}-${randomUUID()}`;

    beforeAll(async () => {
      store = await createStore();
    }, 60_000);

    afterAll(async () => {
      await store?.close();
    });

    it('moves versions for no_stream, exists, any and numbers, and reports the actual version on a conflict', async () => {
      const name = stream('expected');
      expect((await store.appendToStream(name, [event({ n: 0 }), event({ n: 1 })], { expectedVersion: 'no_stream' })).nextExpectedVersion).toBe(1);
      await expect(store.appendToStream(name, [event({})], { expectedVersion: 'no_stream' })).rejects.toMatchObject({
        expectedVersion: 'no_stream',
        actualVersion: 1,
      });
      expect((await store.appendToStream(name, [event({ n: 2 })], { expectedVersion: 'exists' })).nextExpectedVersion).toBe(2);
      expect((await store.appendToStream(name, [event({ n: 3 })], { expectedVersion: 'any' })).nextExpectedVersion).toBe(3);
      await expect(store.appendToStream(name, [event({})], { expectedVersion: 2 })).rejects.toMatchObject({ expectedVersion: 2, actualVersion: 3 });
      expect((await store.appendToStream(name, [event({ n: 4 }), event({ n: 5 })], { expectedVersion: 3 })).nextExpectedVersion).toBe(5);
      await expect(store.appendToStream(stream('missing'), [event({})], { expectedVersion: 'exists' })).rejects.toMatchObject({
        actualVersion: 'no_stream',
      });
      expect((await store.appendToStream(stream('any-new'), [event({})], { expectedVersion: 'any' })).nextExpectedVersion).toBe(0);

      const events = await store.readStream(name);
      expect(events.map((e) => [e.version, e.data])).toEqual(range(6).map((n) => [n, { n }]));
      const positions = events.map((e) => e.checkpoint);
      expect(positions.every((checkpoint, i) => i === 0 || store.compareCheckpoints(positions[i - 1] as string, checkpoint) < 0)).toBe(true);
    });

    it('lets exactly one of 20 concurrent appends with the same expected version write, and the others write nothing', async () => {
      const name = stream('race');
      await store.appendToStream(name, [event({ start: true })], { expectedVersion: 'no_stream' });
      const outcomes = await Promise.allSettled(
        range(20).map((contender) => store.appendToStream(name, [event({ contender, i: 0 }), event({ contender, i: 1 })], { expectedVersion: 0 })),
      );
      const winners = outcomes.flatMap((o, n) => (o.status === 'fulfilled' ? [n] : []));
      const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(19);
      for (const error of losers) {
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ expectedVersion: 0, actualVersion: 2 });
      }
      const events = await store.readStream(name);
      expect(events.slice(1).map((e) => e.data)).toEqual([
        { contender: winners[0], i: 0 },
        { contender: winners[0], i: 1 },
      ]);

      const created = stream('create-race');
      const creations = await Promise.allSettled(range(20).map((n) => store.appendToStream(created, [event({ n })], { expectedVersion: 'no_stream' })));
      expect(creations.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(await store.readStream(created)).toHaveLength(1);
    });

    it('returns the first result to retries of the same ids, concurrent or late, and refuses a partial repeat', async () => {
      const name = stream('retry');
      const events = [event({ n: 0 }), event({ n: 1 })];
      const results = await Promise.all(range(8).map(() => store.appendToStream(name, events, { expectedVersion: 'no_stream' })));
      expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
      await store.appendToStream(name, [event({ n: 2 })], { expectedVersion: 1 });
      expect(await store.appendToStream(name, events, { expectedVersion: 'no_stream' })).toEqual(results[0]);

      const error = await store.appendToStream(name, [events[1] as NewEvent, event({ n: 3 })], { expectedVersion: 'any' }).catch((e: unknown) => e);
      expect(isDomainError(error) && [IdempotencyConflictError.code, ConcurrencyError.code].includes(error.code)).toBe(true);
      expect((await store.readStream(name)).map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    });

    if (!options.groupsAppends) {
      it('writes every append in a statement of its own, even those made together', async () => {
        const names = range(5).map((n) => stream(`alone-${n}`));
        for (const name of names) await store.appendToStream(name, [event({ n: 0 })], { expectedVersion: 'no_stream' });
        const results = await Promise.all(names.map((name) => store.appendToStream(name, [event({ n: 1 })], { expectedVersion: 0 })));
        expect(new Set(results.map((r) => transactionOf(r.checkpoint))).size).toBe(names.length);
      });
    }

    if (options.groupsAppends) {
      describe('appends that arrive while another is written share one statement', () => {

        /** Streams at version 0, and an append in flight on another stream so the next ones queue behind it. */
        async function queuedBehindAWrite(names: readonly string[]): Promise<{ readonly written: Promise<unknown> }> {
          for (const name of names) await store.appendToStream(name, [event({ n: 0 })], { expectedVersion: 'no_stream' });
          const blocker = stream('blocker');
          await store.appendToStream(blocker, [event({})], { expectedVersion: 'no_stream' });
          // Wrapped, or the async function would wait for it.
          return { written: store.appendToStream(blocker, [event({})], { expectedVersion: 0 }) };
        }

        it('writes each stream its own versions, all in one transaction', async () => {
          const names = range(10).map((n) => stream(`group-${n}`));
          const inFlight = await queuedBehindAWrite(names);
          const results = await Promise.all(names.map((name, n) => store.appendToStream(name, [event({ n: 1, of: n }), event({ n: 2, of: n })], { expectedVersion: 0 })));
          await inFlight.written;

          expect(results.map((r) => r.nextExpectedVersion)).toEqual(names.map(() => 2));
          expect(new Set(results.map((r) => transactionOf(r.checkpoint))).size).toBe(1);
          for (const [n, name] of names.entries()) {
            const events = await store.readStream(name);
            expect(events.map((e) => [e.version, e.data])).toEqual([
              [0, { n: 0 }],
              [1, { n: 1, of: n }],
              [2, { n: 2, of: n }],
            ]);
            expect(events.at(-1)?.checkpoint).toBe(results[n]?.checkpoint);
          }
          // In the feed, the group's events follow the order the appends were made in.
          const feed = (await store.readAll(null, 100_000)).events.filter((e) => names.includes(e.streamName) && e.version > 0);
          expect(feed.map((e) => [e.streamName, e.version])).toEqual(names.flatMap((name) => [[name, 1], [name, 2]]));
        });

        it('refuses a member whose stream moved, and commits the others of its group', async () => {
          const [first, moved, third] = [stream('member-a'), stream('member-moved'), stream('member-c')];
          const inFlight = await queuedBehindAWrite([first, moved, third]);
          const outcomes = await Promise.allSettled([
            store.appendToStream(first, [event({ n: 1 })], { expectedVersion: 0 }),
            store.appendToStream(moved, [event({ n: 1 })], { expectedVersion: 5 }),
            store.appendToStream(third, [event({ n: 1 })], { expectedVersion: 0 }),
          ]);
          await inFlight.written;

          expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
          expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
          expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ streamName: moved, expectedVersion: 5, actualVersion: 0 });
          expect(await store.readStream(moved)).toHaveLength(1);
          expect((await store.readStream(first)).map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }]);
          expect((await store.readStream(third)).map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }]);
        });

        it('writes a group one by one when its statement fails as a whole, so each member gets its own answer', async () => {
          const [owner, thief, innocent, retried] = [stream('owner'), stream('thief'), stream('innocent'), stream('retried')];
          const inFlight = await queuedBehindAWrite([owner, thief, innocent, retried]);
          await inFlight.written;
          const stored = event({ n: 1 });
          const ownerAppend = await store.appendToStream(owner, [stored], { expectedVersion: 0 });
          const retriedEvents = [event({ n: 1 })];
          const retriedFirst = await store.appendToStream(retried, retriedEvents, { expectedVersion: 0 });

          const again = await queuedBehindAWrite([]);
          const outcomes = await Promise.allSettled([
            // An id stored in another stream: the unique constraint fails the whole statement.
            store.appendToStream(thief, [{ ...stored, data: { n: 'stolen' } }], { expectedVersion: 0 }),
            store.appendToStream(innocent, [event({ n: 1 })], { expectedVersion: 0 }),
            // A retry of an append that committed: it gets the first append's result.
            store.appendToStream(retried, retriedEvents, { expectedVersion: 0 }),
          ]);
          await again.written;

          expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: expect.any(IdempotencyConflictError) });
          expect(outcomes[1]).toMatchObject({ status: 'fulfilled', value: { nextExpectedVersion: 1 } });
          expect(outcomes[2]).toEqual({ status: 'fulfilled', value: retriedFirst });
          expect(await store.readStream(thief)).toHaveLength(1);
          expect((await store.readStream(innocent)).map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }]);
          expect((await store.readStream(owner)).map((e) => e.id)).toContain(stored.id.toLowerCase());
          expect(ownerAppend.nextExpectedVersion).toBe(1);
        });
      });
    }

    it('appends 1,000 events at once in order, in the stream and in the global feed', async () => {
      const name = stream('bulk');
      const appended = await store.appendToStream(name, range(1000).map((n) => event({ n })), { expectedVersion: 'no_stream' });
      expect(appended.nextExpectedVersion).toBe(999);
      const events = await store.readStream(name);
      expect(events.map((e) => (e.data as { n: number }).n)).toEqual(range(1000));
      expect(new Set(events.map((e) => transactionOf(e.checkpoint))).size).toBe(1);
      expect(events.at(-1)?.checkpoint).toBe(appended.checkpoint);
    });

    it('delivers every event of concurrent writers to a fenced subscriber exactly once, in stream order', async () => {
      const marker = await store.appendToStream(stream('marker'), [event({})], { expectedVersion: 'no_stream' });
      const delivered: { id: string; streamName: string; version: number }[] = [];
      const subscription = store.subscribe(
        `one-statement-${randomUUID()}`,
        async (e) => {
          delivered.push({ id: e.id, streamName: e.streamName, version: e.version });
        },
        { startAfter: marker.checkpoint, pollIntervalMs: 5, batchSize: 50 },
      );
      // The injector is never wired into this store: writers interleave on their own.
      const written = await runLateCommitWriters(store, new LateCommitInjector(), { writers: 6, transactionsPerWriter: 60, lateEvery: 3, maxDelayMs: 0 });
      await subscription.waitFor(written.lastCheckpoint, 60_000);
      await subscription.stop();
      expect(auditDelivery(written, delivered)).toEqual([]);
      expect(written.events.size).toBeGreaterThan(0);
    }, 120_000);
  });
}
