import { randomUUID } from 'node:crypto';
import { isDomainError, type EventMetadata } from '@tieuchi/shared/kernel';
import { ConcurrencyError, IdempotencyConflictError } from '../lib/event-store.errors';
import type { AppendResult, EventStore, NewEvent, RecordedEvent } from '../lib/event-store.port';
import { ProjectionRunner, type ProjectionErrorContext } from '../lib/projection/projection-runner';
import { PgliteSqlClient } from '../lib/sql/pglite-sql-client';
import type { SqlClient } from '../lib/sql/sql-client';
import type { SqlMigrationSet } from '../lib/sql/sql-migrations';
import { UpcasterRegistry } from '../lib/upcaster-registry';
import {
  auditDelivery,
  defaultLateCommitScenario,
  LateCommitInjector,
  lateCommitEventCount,
  runLateCommitWriters,
  type LateCommitScenarioOptions,
} from './late-commit.scenario';

/** What the suite hands the adapter factory. */
export interface EventStoreContractContext {
  /** Register these on the store so reads return the current shapes. */
  readonly upcasters: UpcasterRegistry;
  /**
   * Call inside each append's transaction after the rows are written and before commit (the SQL
   * adapters' `beforeCommit` option). The late-commit test uses it to commit transactions late.
   * An adapter without client-side transactions (KurrentDB) may ignore it.
   */
  readonly beforeCommit: () => Promise<void>;
}

export type EventStoreContractFactory = (context: EventStoreContractContext) => Promise<EventStore>;

/** A SQL database for the projection tests' read model. */
export interface ContractReadModelDatabase {
  readonly client: SqlClient;
  readonly schema: string;
  dispose(): Promise<void>;
}

export interface EventStoreContractOptions {
  /** Defaults to an in-memory PGlite, so adapters without SQL (KurrentDB) still run these tests. */
  readonly readModelDatabase?: () => Promise<ContractReadModelDatabase>;
  /** Scale of the late-commit test; defaults to 8 writers × 200 transactions, a third late. */
  readonly lateCommit?: Partial<LateCommitScenarioOptions>;
  /**
   * Cuts the live feed under every subscription of the store, as a lost connection or a server
   * restart does. Adapters whose subscriptions have no connection to lose (polling) omit it.
   */
  readonly interruptSubscriptions?: () => Promise<void>;
  /**
   * Writes `count` events the store keeps out of its feed (KurrentDB's system events and
   * checkpoint streams). Adapters whose feed hides nothing omit it.
   */
  readonly appendHiddenEvents?: (count: number) => Promise<void>;
}

const heavyTestTimeoutMs = 120_000;

/**
 * The event store contract: every adapter runs these same tests. Call it at the top
 * level of an `*.int.spec.ts` file with a factory that returns a ready store; the suite closes it.
 * Tests use their own stream names, so the store may hold other data.
 */
export function describeEventStoreContract(
  adapterName: string,
  factory: EventStoreContractFactory,
  options: EventStoreContractOptions = {},
): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    const lateCommit = { ...defaultLateCommitScenario, ...options.lateCommit };
    const injector = new LateCommitInjector(lateCommit);
    const upcasters = new UpcasterRegistry()
      .register<{ score: string }, { score: number }>({
        type: 'ContractScoreRecorded',
        fromSchemaVersion: 1,
        upcast: (data) => ({ score: Number(data.score) }),
      })
      .register<{ score: number }, { score: number; maximum: number }>({
        type: 'ContractScoreRecorded',
        fromSchemaVersion: 2,
        upcast: (data) => ({ score: data.score, maximum: 100 }),
      });
    let store: EventStore;

    beforeAll(async () => {
      store = await factory({ upcasters, beforeCommit: injector.beforeCommit });
    }, 60_000);

    afterAll(async () => {
      await store?.close();
    });

    describe('appending and reading a stream', () => {
      it('appends, returns the next expected version, and reads the events back in order', async () => {
        const stream = streamName('basic');
        const first = await store.appendToStream(stream, [event('UnitRegistered', { n: 0 })], { expectedVersion: 'no_stream' });
        expect(first.nextExpectedVersion).toBe(0);
        const second = await store.appendToStream(stream, [event('UnitRenamed', { n: 1 }), event('UnitRenamed', { n: 2 })], {
          expectedVersion: 0,
        });
        expect(second.nextExpectedVersion).toBe(2);
        expect(store.compareCheckpoints(first.checkpoint, second.checkpoint)).toBeLessThan(0);

        const events = await store.readStream(stream);
        expect(events.map((e) => [e.version, e.type, e.data])).toEqual([
          [0, 'UnitRegistered', { n: 0 }],
          [1, 'UnitRenamed', { n: 1 }],
          [2, 'UnitRenamed', { n: 2 }],
        ]);
        expect(events.every((e) => e.streamName === stream && !Number.isNaN(Date.parse(e.recordedAt)))).toBe(true);
        expect(events.at(-1)?.checkpoint).toBe(second.checkpoint);
      });

      it('reads a stream from a version, backwards, and up to maxCount', async () => {
        const stream = streamName('slices');
        await store.appendToStream(stream, range(6).map((n) => event('CriterionScored', { n })), { expectedVersion: 'no_stream' });
        const versions = (events: RecordedEvent[]): number[] => events.map((e) => e.version);
        expect(versions(await store.readStream(stream, { fromVersion: 3 }))).toEqual([3, 4, 5]);
        expect(versions(await store.readStream(stream, { maxCount: 2 }))).toEqual([0, 1]);
        expect(versions(await store.readStream(stream, { direction: 'backwards' }))).toEqual([5, 4, 3, 2, 1, 0]);
        expect(versions(await store.readStream(stream, { direction: 'backwards', fromVersion: 3, maxCount: 2 }))).toEqual([3, 2]);
        expect(await store.readStream(stream, { fromVersion: 6 })).toEqual([]);
      });

      it('reads a missing stream as an empty list, and refuses appends that expect it to exist', async () => {
        const stream = streamName('missing');
        expect(await store.readStream(stream)).toEqual([]);
        expect(await store.readStream(stream, { direction: 'backwards' })).toEqual([]);
        const exists = await captureError(store.appendToStream(stream, [event('UnitRenamed', {})], { expectedVersion: 'exists' }));
        expect(exists).toBeInstanceOf(ConcurrencyError);
        expect(exists).toMatchObject({ expectedVersion: 'exists', actualVersion: 'no_stream', code: 'EVENT_STORE.CONCURRENCY' });
        const numbered = await captureError(store.appendToStream(stream, [event('UnitRenamed', {})], { expectedVersion: 0 }));
        expect(numbered).toMatchObject({ expectedVersion: 0, actualVersion: 'no_stream' });
        expect(await store.readStream(stream)).toEqual([]);
      });
    });

    describe('optimistic concurrency', () => {
      it('checks no_stream, exists, any and numbers, and reports expected and actual versions', async () => {
        const stream = streamName('expected');
        await store.appendToStream(stream, [event('PeriodOpened', {})], { expectedVersion: 'no_stream' });
        const again = await captureError(store.appendToStream(stream, [event('PeriodOpened', {})], { expectedVersion: 'no_stream' }));
        expect(again).toBeInstanceOf(ConcurrencyError);
        expect(again).toMatchObject({ streamName: stream, expectedVersion: 'no_stream', actualVersion: 0, category: 'conflict' });
        expect((await store.appendToStream(stream, [event('PeriodClosed', {})], { expectedVersion: 'exists' })).nextExpectedVersion).toBe(1);
        expect((await store.appendToStream(stream, [event('PeriodClosed', {})], { expectedVersion: 'any' })).nextExpectedVersion).toBe(2);
        const stale = await captureError(store.appendToStream(stream, [event('PeriodClosed', {})], { expectedVersion: 1 }));
        expect(stale).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
        expect((await store.appendToStream(stream, [event('PeriodClosed', {})], { expectedVersion: 2 })).nextExpectedVersion).toBe(3);
        const fresh = streamName('any-new');
        expect((await store.appendToStream(fresh, [event('PeriodOpened', {})], { expectedVersion: 'any' })).nextExpectedVersion).toBe(0);
      });

      it('lets exactly one of 20 concurrent appends with the same expected version succeed', async () => {
        const stream = streamName('race');
        await store.appendToStream(stream, [event('AssessmentStarted', {})], { expectedVersion: 'no_stream' });
        const contenders = range(20).map((n) => [event('SelfScoreRecorded', { contender: n, i: 0 }), event('SelfScoreRecorded', { contender: n, i: 1 })]);
        const outcomes = await Promise.allSettled(contenders.map((events) => store.appendToStream(stream, events, { expectedVersion: 0 })));

        const winners = outcomes.flatMap((o, n) => (o.status === 'fulfilled' ? [n] : []));
        const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(19);
        for (const error of losers) {
          expect(error).toBeInstanceOf(ConcurrencyError);
          expect(error).toMatchObject({ expectedVersion: 0, actualVersion: 2 });
        }
        const events = await store.readStream(stream);
        const winner = winners[0] as number;
        expect(events.map((e) => e.version)).toEqual([0, 1, 2]);
        expect(events.slice(1).map((e) => e.data)).toEqual([
          { contender: winner, i: 0 },
          { contender: winner, i: 1 },
        ]);
      });

      it('lets exactly one of 20 concurrent no_stream appends create the stream', async () => {
        const stream = streamName('create-race');
        const outcomes = await Promise.allSettled(
          range(20).map((n) => store.appendToStream(stream, [event('UnitRegistered', { n })], { expectedVersion: 'no_stream' })),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const rejected = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
        expect(rejected.every((error) => error instanceof ConcurrencyError)).toBe(true);
        expect(await store.readStream(stream)).toHaveLength(1);
      });
    });

    describe('idempotent append by event id', () => {
      it('writes nothing when the same ids are appended again, and returns the first result', async () => {
        const stream = streamName('retry');
        const events = [event('EvidenceAttached', { n: 0 }), event('EvidenceAttached', { n: 1 })];
        const first = await store.appendToStream(stream, events, { expectedVersion: 'no_stream' });
        const retried = await store.appendToStream(stream, events, { expectedVersion: 'no_stream' });
        expect(retried).toEqual(first);

        await store.appendToStream(stream, [event('EvidenceAttached', { n: 2 })], { expectedVersion: 1 });
        const lateRetry = await store.appendToStream(stream, events, { expectedVersion: 'no_stream' });
        expect(lateRetry).toEqual(first);
        expect((await store.readStream(stream)).map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
      });

      it('gives concurrent identical retries the same result and writes the events once', async () => {
        const stream = streamName('concurrent-retry');
        const events = [event('EvidenceAttached', { n: 0 }), event('EvidenceAttached', { n: 1 })];
        const results = await Promise.all(range(8).map(() => store.appendToStream(stream, events, { expectedVersion: 'no_stream' })));
        expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
        expect(results[0]?.nextExpectedVersion).toBe(1);
        expect(await store.readStream(stream)).toHaveLength(2);
      }, heavyTestTimeoutMs);

      it('writes nothing when a retry expects the version its first attempt produced (the current version)', async () => {
        const stream = streamName('retry-at-current');
        const events = [event('EvidenceAttached', { n: 0 }), event('EvidenceAttached', { n: 1 })];
        const first = await store.appendToStream(stream, events, { expectedVersion: 'no_stream' });
        // A command retried after a lost answer re-reads the stream, now at version 1, and appends there.
        expect(await store.appendToStream(stream, events, { expectedVersion: 1 })).toEqual(first);
        expect(await store.appendToStream(stream, events, { expectedVersion: 'any' })).toEqual(first);
        expect(await store.appendToStream(stream, events, { expectedVersion: 'exists' })).toEqual(first);
        expect((await store.readStream(stream)).map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }]);
        const next = await store.appendToStream(stream, [event('EvidenceAttached', { n: 2 })], { expectedVersion: 1 });
        expect(next.nextExpectedVersion).toBe(2);
      });

      it('gives concurrent identical retries at a numeric version the same result and writes the events once', async () => {
        const stream = streamName('concurrent-retry-numeric');
        await store.appendToStream(stream, [event('AssessmentStarted', {})], { expectedVersion: 'no_stream' });
        const events = [event('EvidenceAttached', { n: 1 }), event('EvidenceAttached', { n: 2 })];
        const results = await Promise.all(range(4).map(() => store.appendToStream(stream, events, { expectedVersion: 0 })));
        expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
        expect(results[0]?.nextExpectedVersion).toBe(2);
        expect(await store.readStream(stream)).toHaveLength(3);
      }, heavyTestTimeoutMs);

      it('refuses an append that repeats only some stored ids, writing none of it', async () => {
        const stream = streamName('partial');
        const [a, b, c] = [event('EvidenceAttached', { n: 'a' }), event('EvidenceAttached', { n: 'b' }), event('EvidenceAttached', { n: 'c' })];
        await store.appendToStream(stream, [a, b], { expectedVersion: 'no_stream' });
        const error = await captureError(store.appendToStream(stream, [b, c], { expectedVersion: 'any' }));
        expect(isDomainError(error) && [IdempotencyConflictError.code, ConcurrencyError.code].includes(error.code)).toBe(true);
        expect((await store.readStream(stream)).map((e) => e.data)).toEqual([{ n: 'a' }, { n: 'b' }]);
      });
    });

    describe('refusals', () => {
      it('never reports a refused append as a success: stale, early and ahead-of-the-stream versions all fail and write nothing', async () => {
        const stream = streamName('refused');
        await store.appendToStream(stream, [event('PeriodOpened', { n: 0 })], { expectedVersion: 'no_stream' });
        await store.appendToStream(stream, [event('PeriodClosed', { n: 1 }), event('PeriodClosed', { n: 2 })], { expectedVersion: 0 });
        // The refusal names the stream's real version (2), whatever the client reported with it.
        for (const expectedVersion of ['no_stream', 0, 1, 3, 7] as const) {
          const refused = await captureError(store.appendToStream(stream, [event('PeriodClosed', { n: 'refused' })], { expectedVersion }));
          expect(refused).toBeInstanceOf(ConcurrencyError);
          expect(refused).toMatchObject({ expectedVersion, actualVersion: 2 });
        }
        const fresh = streamName('refused-missing');
        expect(await captureError(store.appendToStream(fresh, [event('PeriodOpened', {})], { expectedVersion: 0 }))).toMatchObject({
          actualVersion: 'no_stream',
        });
        expect((await store.readStream(stream)).map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
        expect(await store.readStream(fresh)).toEqual([]);
      });
    });

    describe('payloads', () => {
      it('round-trips Vietnamese text unchanged, in data, metadata and stream names', async () => {
        const stream = streamName("Xã Nâm N'Jang");
        const data = {
          commune: "Xã Nâm N'Jang",
          city: 'Thành phố Gia Nghĩa',
          label: 'điểm tự chấm',
          decomposed: 'điểm tự chấm'.normalize('NFD'),
          decision: '47/QĐ-UBND',
        };
        const metadata = { ...baseMetadata(), actor: 'Nguyễn Thị Hằng' };
        await store.appendToStream(stream, [event('UnitRegistered', data, metadata)], { expectedVersion: 'no_stream' });
        const [read] = await store.readStream(stream);
        expect(read?.streamName).toBe(stream);
        expect(read?.data).toEqual(data);
        expect((read?.data as typeof data).decomposed).not.toBe(data.label);
        expect(read?.metadata.actor).toBe('Nguyễn Thị Hằng');
      });

      it('round-trips metadata: actor, correlation id, causation id, occurred-at, schema version', async () => {
        const stream = streamName('metadata');
        const metadata: EventMetadata = {
          actor: 'user:4f1c',
          correlationId: randomUUID(),
          causationId: randomUUID(),
          occurredAt: '2020-01-10T08:30:00.123Z',
          schemaVersion: 1,
        };
        const appended = event('AssessmentSubmitted', { revision: 2 }, metadata);
        await store.appendToStream(stream, [appended], { expectedVersion: 'no_stream' });
        const [read] = await store.readStream(stream);
        expect(read?.metadata).toEqual(metadata);
        expect(read?.id.toLowerCase()).toBe(appended.id.toLowerCase());
      });

      it('stores and reads a 1 MB event', async () => {
        const stream = streamName('large');
        const text = 'điểm tự chấm; '.repeat(Math.ceil(1_000_000 / Buffer.byteLength('điểm tự chấm; ')));
        const data = { evidence: text.slice(0, 1_000_000 - 2000) };
        expect(Buffer.byteLength(JSON.stringify(data))).toBeGreaterThan(990_000);
        await store.appendToStream(stream, [event('EvidenceAttached', data)], { expectedVersion: 'no_stream' });
        const [read] = await store.readStream(stream);
        expect((read?.data as typeof data).evidence).toBe(data.evidence);
      }, heavyTestTimeoutMs);

      it('appends 1,000 events at once, in order, in the stream and in the global feed', async () => {
        const before = await appendMarker();
        const stream = streamName('bulk');
        const events = range(1000).map((n) => event('CriterionScored', { n }));
        const result = await store.appendToStream(stream, events, { expectedVersion: 'no_stream' });
        expect(result.nextExpectedVersion).toBe(999);
        const read = await store.readStream(stream);
        expect(read.map((e) => (e.data as { n: number }).n)).toEqual(range(1000));
        const feed = await readAllAfter(before.checkpoint, (e) => e.streamName === stream, 1000);
        expect(feed.map((e) => e.version)).toEqual(range(1000));
      }, heavyTestTimeoutMs);
    });

    describe('the global feed', () => {
      it('pages through readAll with the returned checkpoint, and returns the given checkpoint when nothing is new', async () => {
        const before = await appendMarker();
        const stream = streamName('paging');
        const appended = await store.appendToStream(stream, range(5).map((n) => event('CriterionScored', { n })), {
          expectedVersion: 'no_stream',
        });
        const seen: RecordedEvent[] = [];
        let checkpoint: string | null = before.checkpoint;
        const deadline = Date.now() + 20_000;
        while (Date.now() < deadline) {
          const result = await store.readAll(checkpoint, 2);
          expect(result.events.length).toBeLessThanOrEqual(2);
          if (result.events.length === 0) {
            expect(result.checkpoint).toBe(checkpoint);
            if (seen.some((e) => e.checkpoint === appended.checkpoint)) break;
            // PostgreSQL shows an append once every older transaction on the server has ended.
            await new Promise((resolve) => setTimeout(resolve, 20));
            continue;
          }
          seen.push(...result.events);
          checkpoint = result.checkpoint;
        }
        expect(seen.filter((e) => e.streamName === stream).map((e) => e.version)).toEqual([0, 1, 2, 3, 4]);
        expect(store.compareCheckpoints(checkpoint as string, appended.checkpoint)).toBeGreaterThanOrEqual(0);
        const fromStart = await store.readAll(null, 1);
        expect(fromStart.events).toHaveLength(1);
      });

      it('delivers to a subscriber and resumes after the checkpoint the store kept for it', async () => {
        const start = await appendMarker();
        const stream = streamName('subscribed');
        const processorId = `contract-${randomUUID()}`;
        const seenFirst: number[] = [];
        const first = store.subscribe(processorId, async (e) => {
          if (e.streamName === stream) seenFirst.push(e.version);
        }, { pollIntervalMs: 20, startAfter: start.checkpoint });
        const a = await store.appendToStream(stream, range(3).map((n) => event('CriterionScored', { n })), { expectedVersion: 'no_stream' });
        await first.waitFor(a.checkpoint);
        await first.stop();
        expect(seenFirst).toEqual([0, 1, 2]);

        const b = await store.appendToStream(stream, range(2).map((n) => event('CriterionScored', { n })), { expectedVersion: 2 });
        const seenSecond: number[] = [];
        const second = store.subscribe(processorId, async (e) => {
          if (e.streamName === stream) seenSecond.push(e.version);
        }, { pollIntervalMs: 20, startAfter: start.checkpoint });
        await second.waitFor(b.checkpoint);
        await second.stop();
        expect(seenSecond).toEqual([3, 4]);
        expect(store.compareCheckpoints(start.checkpoint, b.checkpoint)).toBeLessThan(0);
      }, heavyTestTimeoutMs);

      it('stops a subscription whose handler throws, reports the error, and redelivers that event on restart', async () => {
        const start = await appendMarker();
        const stream = streamName('failing-subscriber');
        const processorId = `contract-${randomUUID()}`;
        const appended = await store.appendToStream(stream, range(4).map((n) => event('CriterionScored', { n })), {
          expectedVersion: 'no_stream',
        });
        const failure = new Error('handler failed on version 2');
        const errors: unknown[] = [];
        const seen: number[] = [];
        const failing = store.subscribe(
          processorId,
          async (e) => {
            if (e.streamName !== stream) return;
            if (e.version === 2) throw failure;
            seen.push(e.version);
          },
          { pollIntervalMs: 20, startAfter: start.checkpoint, onError: (error) => errors.push(error) },
        );
        await expect(failing.waitFor(appended.checkpoint, 20_000)).rejects.toThrow();
        await failing.stop();
        expect(errors).toEqual([failure]);

        const resumed = store.subscribe(processorId, async (e) => {
          if (e.streamName === stream) seen.push(e.version);
        }, { pollIntervalMs: 20, startAfter: start.checkpoint });
        await resumed.waitFor(appended.checkpoint);
        await resumed.stop();
        expect(seen).toEqual([0, 1, 2, 3]);
      }, heavyTestTimeoutMs);
    });

    describe('feed interruptions', () => {
      it('a subscription whose feed drops resumes from its checkpoint with neither a lost nor a repeated event', async () => {
        const start = await appendMarker();
        const stream = streamName('dropped-feed');
        const processorId = `contract-${randomUUID()}`;
        const delivered: number[] = [];
        const errors: unknown[] = [];
        const handler = async (e: RecordedEvent): Promise<void> => {
          if (e.streamName === stream) delivered.push(e.version);
        };
        let subscription = store.subscribe(processorId, handler, { pollIntervalMs: 20, startAfter: start.checkpoint, onError: (error) => errors.push(error) });
        const first = await store.appendToStream(stream, range(5).map((n) => event('CriterionScored', { n })), { expectedVersion: 'no_stream' });
        await subscription.waitFor(first.checkpoint);
        await options.interruptSubscriptions?.();
        const second = await store.appendToStream(stream, range(5).map((n) => event('CriterionScored', { n: 5 + n })), { expectedVersion: 4 });
        try {
          await subscription.waitFor(second.checkpoint, 20_000);
        } catch {
          // An adapter may stop instead of resuming, but then it must say so; a restart resumes.
          expect(errors).not.toEqual([]);
          await subscription.stop();
          subscription = store.subscribe(processorId, handler, { pollIntervalMs: 20, startAfter: start.checkpoint });
          await subscription.waitFor(second.checkpoint);
        }
        await subscription.stop();
        expect(delivered).toEqual(range(10));
      }, heavyTestTimeoutMs);
    });

    describe('upcasting', () => {
      it('lifts old event shapes to the current one in readStream, readAll and subscriptions (v1 → v2 → v3)', async () => {
        const before = await appendMarker();
        const stream = streamName('upcast');
        const v3 = { score: 7.5, maximum: 100 };
        const appended = await store.appendToStream(
          stream,
          [
            event('ContractScoreRecorded', { score: '7.5' }, { ...baseMetadata(), schemaVersion: 1 }),
            event('ContractScoreRecorded', { score: 7.5 }, { ...baseMetadata(), schemaVersion: 2 }),
            event('ContractScoreRecorded', v3, { ...baseMetadata(), schemaVersion: 3 }),
            event('UnitRenamed', { score: '7.5' }, { ...baseMetadata(), schemaVersion: 1 }),
          ],
          { expectedVersion: 'no_stream' },
        );
        const current = (events: readonly RecordedEvent[]): unknown[] => events.map((e) => [e.type, e.data, e.metadata.schemaVersion]);
        const expected = [
          ['ContractScoreRecorded', v3, 3],
          ['ContractScoreRecorded', v3, 3],
          ['ContractScoreRecorded', v3, 3],
          ['UnitRenamed', { score: '7.5' }, 1],
        ];
        expect(current(await store.readStream(stream))).toEqual(expected);
        expect(current(await readAllAfter(before.checkpoint, (e) => e.streamName === stream, 4))).toEqual(expected);

        const processorId = `contract-${randomUUID()}`;
        const delivered: RecordedEvent[] = [];
        const subscription = store.subscribe(processorId, async (e) => {
          if (e.streamName === stream) delivered.push(e);
        }, { pollIntervalMs: 20, startAfter: before.checkpoint });
        await subscription.waitFor(appended.checkpoint);
        await subscription.stop();
        expect(current(delivered)).toEqual(expected);
      }, heavyTestTimeoutMs);
    });

    describe('projections into a SQL read model', () => {
      let readModel: ContractReadModelDatabase;

      beforeAll(async () => {
        readModel = await (options.readModelDatabase ?? inMemoryReadModel)();
      }, 60_000);

      afterAll(async () => {
        await readModel?.dispose();
      });

      const appliedTable: SqlMigrationSet = {
        component: 'contract-read-model',
        migrations: [
          {
            version: 1,
            name: 'applied events',
            // No unique key on purpose: a double application must be visible, not rejected.
            sql: (schema) => `CREATE TABLE ${schema}.contract_applied (projection_id text NOT NULL, event_id text NOT NULL, version integer NOT NULL);`,
          },
        ],
      };

      const applyTo = (projectionId: string, stream: string) => async (events: readonly RecordedEvent[], tx: { query: SqlClient['query'] }) => {
        for (const e of events) {
          if (e.streamName !== stream) continue;
          await tx.query(`INSERT INTO ${readModel.schema}.contract_applied (projection_id, event_id, version) VALUES ($1, $2, $3)`, [
            projectionId,
            e.id,
            e.version,
          ]);
        }
      };

      const appliedVersions = async (projectionId: string): Promise<{ versions: number[]; duplicates: number }> => {
        const rows = await readModel.client.query<{ version: number; event_id: string }>(
          `SELECT version, event_id FROM ${readModel.schema}.contract_applied WHERE projection_id = $1 ORDER BY version`,
          [projectionId],
        );
        const ids = rows.rows.map((r) => r.event_id);
        return { versions: rows.rows.map((r) => Number(r.version)), duplicates: ids.length - new Set(ids).size };
      };

      it('resumes after a handler that throws mid-batch with neither a lost nor a twice-applied event', async () => {
        const start = await appendMarker();
        const stream = streamName('projected');
        await store.appendToStream(stream, range(12).map((n) => event('CriterionScored', { n })), { expectedVersion: 'no_stream' });
        const last = await store.appendToStream(stream, range(13).map((n) => event('CriterionScored', { n: 12 + n })), { expectedVersion: 11 });
        const projectionId = `crash-${randomUUID()}`;
        const apply = applyTo(projectionId, stream);
        const crash = new Error('crashed after writing, mid-batch');
        const errors: ProjectionErrorContext[] = [];

        const crashing = new ProjectionRunner({
          projectionId,
          source: store,
          database: readModel.client,
          schema: readModel.schema,
          migrations: [appliedTable],
          startAfter: start.checkpoint,
          batchSize: 10,
          maxAttempts: 1,
          pollIntervalMs: 20,
          handler: async (events, tx) => {
            await apply(events, tx);
            if (events.some((e) => e.streamName === stream && e.version === 14)) throw crash;
          },
          onError: (_error, context) => errors.push(context),
        });
        await crashing.start();
        await expect(crashing.waitFor(last.checkpoint, 20_000)).rejects.toThrow();
        await crashing.stop();
        expect(crashing.state).toBe('failed');
        expect(crashing.failure).toBe(crash);
        expect(errors).toEqual([{ projectionId, attempt: 1, willRetry: false }]);
        // The batch holding version 14 was rolled back with its checkpoint: only whole batches remain.
        const afterCrash = await appliedVersions(projectionId);
        expect(afterCrash.duplicates).toBe(0);
        expect(afterCrash.versions).toEqual(range(afterCrash.versions.length));
        expect(afterCrash.versions.length).toBeLessThanOrEqual(14);

        const restarted = new ProjectionRunner({
          projectionId,
          source: store,
          database: readModel.client,
          schema: readModel.schema,
          migrations: [appliedTable],
          startAfter: start.checkpoint,
          batchSize: 10,
          pollIntervalMs: 20,
          handler: apply,
        });
        await restarted.start();
        await restarted.waitFor(last.checkpoint);
        await restarted.stop();
        expect(restarted.state).toBe('stopped');
        expect(await appliedVersions(projectionId)).toEqual({ versions: range(25), duplicates: 0 });
      }, heavyTestTimeoutMs);

      it('a long run of events the store hides stalls neither readAll, nor a subscription, nor a projection', async () => {
        const before = await appendMarker();
        await options.appendHiddenEvents?.(2500);
        const after = await appendMarker();
        let checkpoint: string | null = before.checkpoint;
        let found = false;
        // The feed may show an append late (PostgreSQL waits for older transactions): poll, as readers do.
        const deadline = Date.now() + 20_000;
        while (!found && Date.now() < deadline) {
          const page: { events: readonly RecordedEvent[]; checkpoint: string | null } = await store.readAll(checkpoint, 10);
          found = page.events.some((e) => e.checkpoint === after.checkpoint);
          expect(page.checkpoint === null || checkpoint === null || store.compareCheckpoints(page.checkpoint, checkpoint) >= 0).toBe(true);
          if (page.checkpoint === checkpoint) await new Promise((resolve) => setTimeout(resolve, 20));
          checkpoint = page.checkpoint;
        }
        expect(found).toBe(true);
        const subscription = store.subscribe(`contract-${randomUUID()}`, async () => undefined, { pollIntervalMs: 20, startAfter: before.checkpoint });
        await subscription.waitFor(after.checkpoint, 20_000);
        await subscription.stop();
        const runner = new ProjectionRunner({
          projectionId: `hidden-${randomUUID()}`,
          source: store,
          database: readModel.client,
          schema: readModel.schema,
          migrations: [],
          startAfter: before.checkpoint,
          batchSize: 10,
          pollIntervalMs: 20,
          handler: async () => undefined,
        });
        try {
          await runner.start();
          await runner.waitFor(after.checkpoint, 20_000);
        } finally {
          await runner.stop();
        }
      }, heavyTestTimeoutMs);

      it('retries a batch whose handler failed once, applying every event exactly once', async () => {
        const start = await appendMarker();
        const stream = streamName('projected-retry');
        const last = await store.appendToStream(stream, range(15).map((n) => event('CriterionScored', { n })), { expectedVersion: 'no_stream' });
        const projectionId = `retry-${randomUUID()}`;
        const apply = applyTo(projectionId, stream);
        let failures = 0;
        const errors: ProjectionErrorContext[] = [];
        const runner = new ProjectionRunner({
          projectionId,
          source: store,
          database: readModel.client,
          schema: readModel.schema,
          migrations: [appliedTable],
          startAfter: start.checkpoint,
          batchSize: 4,
          retryDelayMs: 10,
          pollIntervalMs: 20,
          handler: async (events, tx) => {
            await apply(events, tx);
            if (failures === 0 && events.some((e) => e.streamName === stream && e.version === 9)) {
              failures += 1;
              throw new Error('transient');
            }
          },
          onError: (_error, context) => errors.push(context),
        });
        await runner.start();
        await runner.waitFor(last.checkpoint);
        await runner.stop();
        expect(errors).toEqual([{ projectionId, attempt: 1, willRetry: true }]);
        expect(await appliedVersions(projectionId)).toEqual({ versions: range(15), duplicates: 0 });
      }, heavyTestTimeoutMs);
    });

    describe('late commits', () => {
      it(
        `a subscriber polling during ${lateCommit.writers} writers × ${lateCommit.transactionsPerWriter} transactions, ` +
          'some committing late, sees every event exactly once and each stream in version order',
        async () => {
          const start = await appendMarker();
          const processorId = `late-${randomUUID()}`;
            const delivered: { id: string; streamName: string; version: number }[] = [];
          const errors: unknown[] = [];
          const subscription = store.subscribe(
            processorId,
            async (e) => {
              if (e.streamName.startsWith('late-')) delivered.push({ id: e.id, streamName: e.streamName, version: e.version });
            },
            { pollIntervalMs: 5, batchSize: 50, startAfter: start.checkpoint, onError: (error) => errors.push(error) },
          );
          const written = await runLateCommitWriters(store, injector, lateCommit);
          await subscription.waitFor(written.lastCheckpoint, 60_000);
          await subscription.stop();
          expect(errors).toEqual([]);
          expect(written.events.size).toBe(lateCommitEventCount(lateCommit));
          expect(auditDelivery(written, delivered)).toEqual([]);
          expect(injector.delayedCommits).toBeGreaterThan(0);
        },
        heavyTestTimeoutMs,
      );
    });

    async function appendMarker(): Promise<AppendResult> {
      return store.appendToStream(streamName('marker'), [event('ContractMarkerRecorded', {})], { expectedVersion: 'no_stream' });
    }

    async function readAllAfter(checkpoint: string, keep: (e: RecordedEvent) => boolean, wanted: number): Promise<RecordedEvent[]> {
      const kept: RecordedEvent[] = [];
      let from: string | null = checkpoint;
      const deadline = Date.now() + 30_000;
      while (kept.length < wanted && Date.now() < deadline) {
        const page = await store.readAll(from, 500);
        kept.push(...page.events.filter(keep));
        from = page.checkpoint;
        if (page.events.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return kept;
    }
  });
}

function streamName(kind: string): string {
  return `contract-${kind}-${randomUUID()}`;
}

function baseMetadata(): EventMetadata {
  return {
    actor: 'user:contract',
    correlationId: randomUUID(),
    causationId: randomUUID(),
    occurredAt: '2020-01-10T00:00:00.000Z',
    schemaVersion: 1,
  };
}

function event(type: string, data: unknown, metadata: EventMetadata = baseMetadata()): NewEvent {
  return { id: randomUUID(), type, data, metadata };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

async function captureError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the operation to fail');
}

async function inMemoryReadModel(): Promise<ContractReadModelDatabase> {
  const client = await PgliteSqlClient.create();
  return { client, schema: 'contract_read_model', dispose: () => client.close() };
}
