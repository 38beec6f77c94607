import { randomUUID } from 'node:crypto';
import { createPgliteEventStore, createPostgresEventStore, openKurrentDbEventStore, type EventStore } from '@tieuchi/shared/event-store';
import { FakeKurrentDbClient } from '@tieuchi/shared/event-store/testing';
import { useTestSchema } from '@tieuchi/shared/testing';
import { DomainError, type DomainEvent } from '@tieuchi/shared/kernel';
import { CommandExecutor, type StreamDecision } from './command-executor';
import type { RequestContext } from './request-context';

type TallyEvent = DomainEvent<'Counted', { n: number }>;
interface Tally {
  readonly seen: readonly number[];
}

const initialTally = (): Tally => ({ seen: [] });
const evolveTally = (state: Tally, event: TallyEvent): Tally => ({ seen: [...state.seen, event.data.n] });
const clock = { now: () => new Date('2020-01-10T00:00:00.000Z') };
const context = (extra: Partial<RequestContext> = {}): RequestContext => ({ actor: 'user:1', correlationId: randomUUID(), ...extra });

/** Counts the next number after everything folded so far: it is wrong unless the fold is the whole stream. */
const countNext = (streamName: string): StreamDecision<Tally, TallyEvent> => ({
  streamName,
  initialState: initialTally,
  evolve: evolveTally,
  decide: (state) => [{ type: 'Counted', data: { n: state.seen.length } }],
});

describe('CommandExecutor over a real event store', () => {
  let store: EventStore;

  beforeAll(async () => {
    store = await createPgliteEventStore();
  }, 60_000);

  afterAll(async () => {
    await store?.close();
  });

  it('folds only the events after its last fold, and still sees what other processes appended since', async () => {
    const streamName = `tally-${randomUUID()}`;
    const here = new CommandExecutor(store, clock);
    const elsewhere = new CommandExecutor(store, clock);
    expect(await here.loadState(streamName, initialTally, evolveTally)).toEqual({ state: { seen: [] }, version: -1 });

    await here.execute(countNext(streamName), context());
    await here.execute(countNext(streamName), context());
    await elsewhere.execute(countNext(streamName), context());
    const outcome = await here.execute(countNext(streamName), context());

    expect(outcome.version).toBe(3);
    expect(outcome.events).toEqual([{ type: 'Counted', data: { n: 3 } }]);
    const full = await here.load(streamName, initialTally, evolveTally);
    expect(await here.loadState(streamName, initialTally, evolveTally)).toEqual({ state: full.state, version: full.version });
    expect(full.state.seen).toEqual([0, 1, 2, 3]);
  });

  it('compares If-Match with the stream as stored, not with the version it folded last', async () => {
    const streamName = `tally-${randomUUID()}`;
    const here = new CommandExecutor(store, clock);
    await here.execute(countNext(streamName), context());
    await new CommandExecutor(store, clock).execute(countNext(streamName), context());

    const stale = await here.execute(countNext(streamName), context({ ifMatch: 0 })).catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(DomainError);
    expect(stale).toMatchObject({ code: 'REQUEST.STALE_VERSION', category: 'precondition' });
    expect((await here.execute(countNext(streamName), context({ ifMatch: 1 }))).version).toBe(2);
    expect((await store.readStream(streamName)).map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
  });

  it('lets exactly one of concurrent commands on one version append; the others get a conflict and nothing is overwritten', async () => {
    const streamName = `tally-${randomUUID()}`;
    const here = new CommandExecutor(store, clock);
    await here.execute(countNext(streamName), context());
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => here.execute(countNext(streamName), context({ ifMatch: 0 }))));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'REQUEST.STALE_VERSION' });
    }
    expect((await here.loadState(streamName, initialTally, evolveTally)).state.seen).toEqual([0, 1]);
  });
});

/** Counts twice, unless it has counted before: a command that refuses once its events are stored. */
const countTwiceOnce = (streamName: string): StreamDecision<Tally, TallyEvent> => ({
  streamName,
  initialState: initialTally,
  evolve: evolveTally,
  decide: (state) => {
    if (state.seen.includes(100)) throw new DomainError('TALLY.ALREADY_COUNTED', 'conflict', 'counted already');
    return [
      { type: 'Counted', data: { n: 100 } },
      { type: 'Counted', data: { n: 101 } },
    ];
  },
});

type TestSchema = ReturnType<ReturnType<typeof useTestSchema>>;
const adapters: [string, (schema: TestSchema) => Promise<EventStore>][] = [
  ['pglite', async () => createPgliteEventStore()],
  ['postgres', async (schema) => createPostgresEventStore({ connectionString: schema.connectionString, schema: schema.name })],
  // As strict as KurrentDB 25.1, which writes the same ids again when a retry expects the current version.
  ['kurrentdb (strict fake)', async () => openKurrentDbEventStore(new FakeKurrentDbClient({ writeTimeoutMs: 50 }))],
];

describe.each(adapters)('CommandExecutor: an Idempotency-Key retry is exactly-once on %s', (_adapter, create) => {
  const schema = useTestSchema('executor_retry');
  let store: EventStore;

  beforeAll(async () => {
    store = await create(schema());
  }, 60_000);

  afterAll(async () => {
    await store?.close();
  });

  const keyed = (idempotencyKey: string, extra: Partial<RequestContext> = {}): RequestContext => context({ idempotencyKey, ...extra });

  it('answers a retry whose first answer was lost with the first outcome, appending nothing', async () => {
    const streamName = `tally-${randomUUID()}`;
    await new CommandExecutor(store, clock).execute(countNext(streamName), context());
    const key = `retry-${randomUUID()}`;
    const first = await new CommandExecutor(store, clock).execute(countTwiceOnce(streamName), keyed(key));
    // Another process, or this one after a restart, gets the same request again.
    const retried = await new CommandExecutor(store, clock).execute(countTwiceOnce(streamName), keyed(key));
    expect(retried).toEqual(first);
    expect(first).toMatchObject({ version: 2, events: [{ type: 'Counted', data: { n: 100 } }, { type: 'Counted', data: { n: 101 } }] });
    expect((await store.readStream(streamName)).map((e) => e.data)).toEqual([{ n: 0 }, { n: 100 }, { n: 101 }]);
  });

  it('gives retries sent while the first attempt is still running its outcome, appending once', async () => {
    const streamName = `tally-${randomUUID()}`;
    await new CommandExecutor(store, clock).execute(countNext(streamName), context());
    const key = `retry-${randomUUID()}`;
    // A client that gave up waiting sends the request again to other API instances; on KurrentDB the
    // copies that reach the server while the first write is indexed are dropped there and resent.
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => new CommandExecutor(store, clock).execute(countTwiceOnce(streamName), keyed(key))));
    expect(new Set(outcomes.map((outcome) => JSON.stringify(outcome))).size).toBe(1);
    expect(outcomes[0]).toMatchObject({ version: 2 });
    expect((await store.readStream(streamName)).map((e) => e.data)).toEqual([{ n: 0 }, { n: 100 }, { n: 101 }]);
  });

  it('recognises its stored events after other writers moved the stream on, and despite the If-Match of the first attempt', async () => {
    const streamName = `tally-${randomUUID()}`;
    const executor = new CommandExecutor(store, clock);
    await executor.execute(countNext(streamName), context());
    const key = `retry-${randomUUID()}`;
    const first = await executor.execute(countTwiceOnce(streamName), keyed(key, { ifMatch: 0 }));
    await new CommandExecutor(store, clock).execute(countNext(streamName), context());
    await new CommandExecutor(store, clock).execute(countNext(streamName), context());
    expect(await executor.execute(countTwiceOnce(streamName), keyed(key, { ifMatch: 0 }))).toEqual(first);
    expect((await store.readStream(streamName)).map((e) => e.data)).toEqual([{ n: 0 }, { n: 100 }, { n: 101 }, { n: 3 }, { n: 4 }]);
  });

  it('still decides afresh for another key, or another actor with the same key', async () => {
    const streamName = `tally-${randomUUID()}`;
    const executor = new CommandExecutor(store, clock);
    const key = `retry-${randomUUID()}`;
    await executor.execute(countNext(streamName), keyed(key));
    expect((await executor.execute(countNext(streamName), keyed(`other-${randomUUID()}`))).version).toBe(1);
    expect((await executor.execute(countNext(streamName), keyed(key, { actor: 'user:2' }))).version).toBe(2);
  });
});
