import { randomUUID } from 'node:crypto';
import {
  ANY,
  AccessDeniedError,
  BACKWARDS,
  DeadlineExceededError,
  END,
  ErrorType,
  FORWARDS,
  MaxAppendSizeExceededError,
  NO_STREAM,
  STREAM_EXISTS,
  StreamDeletedError as StreamDeletedErrorFromClient,
  TimeoutError,
  UnavailableError,
  UnknownError,
  excludeSystemEvents,
  type EventData,
} from '@kurrent/kurrentdb-client';
import type { ErrorCategory } from '@tieuchi/shared/kernel';
import type { EventMetadata } from '@tieuchi/shared/kernel';
import {
  ConcurrencyError,
  EventStoreAccessDeniedError,
  EventStoreUnavailableError,
  EventTooLargeError,
  InvalidCheckpointError,
  InvalidEventError,
  ReaderStoppedError,
  StreamDeletedError,
  SubscriptionDroppedError,
  WaitTimeoutError,
} from '../event-store.errors';
import type { NewEvent, RecordedEvent } from '../event-store.port';
import { UpcasterRegistry } from '../upcaster-registry';
import { FakeKurrentDbClient } from './kurrentdb-client.fake';
import { KurrentDbEventStore, createKurrentDbEventStore } from './kurrentdb-event-store';

const metadata: EventMetadata = {
  actor: 'user:lan',
  correlationId: 'c0a80001-0000-4000-8000-000000000001',
  causationId: 'c0a80001-0000-4000-8000-000000000002',
  occurredAt: '2026-03-04T05:06:07.000Z',
  schemaVersion: 1,
};

function newEvent(type = 'AssessmentSubmitted', data: unknown = { score: 1 }, overrides: Partial<EventMetadata> = {}): NewEvent {
  return { id: randomUUID(), type, data, metadata: { ...metadata, ...overrides } };
}

// The HTTP answer each category gets (libs/shared/http's problem-details; kept here to avoid the dependency).
function statusFor(category: ErrorCategory): number {
  const statuses: Partial<Record<ErrorCategory, number>> = { conflict: 409, gone: 410, too_large: 413, unavailable: 503, internal: 500 };
  return statuses[category] ?? 0;
}

function appendCalls(client: FakeKurrentDbClient): { stream: string; events: EventData[]; streamState: unknown }[] {
  return client.calls
    .filter((call) => call.method === 'appendToStream')
    .map((call) => {
      const [stream, events, options] = call.args as [string, EventData[], { streamState?: unknown }];
      return { stream, events, streamState: options.streamState };
    });
}

describe('KurrentDbEventStore (client stubbed)', () => {
  let client: FakeKurrentDbClient;
  let store: KurrentDbEventStore;

  beforeEach(() => {
    client = new FakeKurrentDbClient({ now: () => new Date('2026-01-02T03:04:05.000Z') });
    store = new KurrentDbEventStore(client);
  });

  afterEach(async () => {
    await store.close();
  });

  describe('appendToStream', () => {
    it.each([
      ['no_stream', NO_STREAM],
      ['any', ANY],
    ] as const)('sends expectedVersion %p as stream state %p', async (expectedVersion, streamState) => {
      await store.appendToStream('s-1', [newEvent()], { expectedVersion });
      expect(appendCalls(client)[0]?.streamState).toBe(streamState);
    });

    it('sends a numeric expectedVersion as a bigint revision and "exists" as STREAM_EXISTS', async () => {
      await store.appendToStream('s-1', [newEvent(), newEvent()], { expectedVersion: 'no_stream' });
      await store.appendToStream('s-1', [newEvent()], { expectedVersion: 1 });
      await store.appendToStream('s-1', [newEvent()], { expectedVersion: 'exists' });
      expect(appendCalls(client).map((call) => call.streamState)).toEqual([NO_STREAM, 1n, STREAM_EXISTS]);
    });

    it('returns nextExpectedVersion from nextExpectedRevision and the checkpoint from the position', async () => {
      const result = await store.appendToStream('s-1', [newEvent(), newEvent(), newEvent()], { expectedVersion: 'no_stream' });
      const last = client.streamEvents('s-1').at(-1)!;
      expect(result).toEqual({ nextExpectedVersion: 2, checkpoint: `${last.position.commit}:${last.position.prepare}` });
    });

    it('takes a single-event write position as reported, without reading back', async () => {
      client.appendPositionReport = 'write-span';
      const result = await store.appendToStream('s-1', [newEvent()], { expectedVersion: 'no_stream' });
      const stored = client.streamEvents('s-1')[0]!;
      expect(result.checkpoint).toBe(`${stored.position.commit}:${stored.position.prepare}`);
      expect(client.calls.filter((call) => call.method === 'readStream')).toHaveLength(0);
    });

    it("uses the last event's own position for a multi-event write, whatever the write reports", async () => {
      client.appendPositionReport = 'write-span';
      const result = await store.appendToStream('s-1', [newEvent(), newEvent(), newEvent()], { expectedVersion: 'no_stream' });
      const [first, , last] = client.streamEvents('s-1');
      expect(first!.position).not.toEqual(last!.position);
      expect(result.checkpoint).toBe(`${last!.position.commit}:${last!.position.prepare}`);
      const [read] = await store.readStream('s-1', { direction: 'backwards', maxCount: 1 });
      expect(read?.checkpoint).toBe(result.checkpoint);
    });

    it('awaits the beforeAppend hook before sending each append', async () => {
      const order: string[] = [];
      const hooked = new KurrentDbEventStore(client, {
        beforeAppend: async () => {
          order.push(`hook:${client.streamEvents('s-1').length}`);
        },
      });
      await hooked.appendToStream('s-1', [newEvent()], { expectedVersion: 'no_stream' });
      await hooked.appendToStream('s-1', [newEvent()], { expectedVersion: 0 });
      expect(order).toEqual(['hook:0', 'hook:1']);
      await hooked.close();
    });

    it('passes our event ids, types, data and metadata to the client', async () => {
      const event = newEvent('CriterionScored', { criterion: 'Cổng dịch vụ công trực tuyến', điểm: 9.5 });
      await store.appendToStream('s-1', [event], { expectedVersion: 'any' });
      const sent = appendCalls(client)[0]?.events[0];
      expect(sent).toMatchObject({ id: event.id, type: 'CriterionScored', contentType: 'application/json', data: event.data });
      expect(sent?.metadata).toEqual({
        ...metadata,
        $correlationId: metadata.correlationId,
        $causationId: metadata.causationId,
      });
    });

    it('recovers the checkpoint from the stored event when the server reports no position (idempotent retry)', async () => {
      const events = [newEvent(), newEvent()];
      const first = await store.appendToStream('s-1', events, { expectedVersion: 'no_stream' });
      client.appendPositionReport = 'none';
      const retry = await store.appendToStream('s-1', events, { expectedVersion: 'no_stream' });
      expect(retry).toEqual(first);
      expect(client.streamEvents('s-1')).toHaveLength(2);
    });

    it('translates WrongExpectedVersionError into ConcurrencyError (existing stream)', async () => {
      await store.appendToStream('s-1', [newEvent(), newEvent(), newEvent()], { expectedVersion: 'no_stream' });
      const error = await store.appendToStream('s-1', [newEvent()], { expectedVersion: 0 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConcurrencyError);
      expect(error).toMatchObject({ code: 'EVENT_STORE.CONCURRENCY', streamName: 's-1', expectedVersion: 0, actualVersion: 2 });
    });

    it('translates "their no stream" into actual no_stream', async () => {
      const error = await store.appendToStream('missing', [newEvent()], { expectedVersion: 3 }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ expectedVersion: 3, actualVersion: 'no_stream' });
      const exists = await store.appendToStream('missing', [newEvent()], { expectedVersion: 'exists' }).catch((caught: unknown) => caught);
      expect(exists).toMatchObject({ expectedVersion: 'exists', actualVersion: 'no_stream' });
    });

    it('translates a no_stream expectation against an existing stream', async () => {
      await store.appendToStream('s-1', [newEvent()], { expectedVersion: 'no_stream' });
      const error = await store.appendToStream('s-1', [newEvent()], { expectedVersion: 'no_stream' }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ expectedVersion: 'no_stream', actualVersion: 0 });
    });

    it.each([
      ['UnavailableError', new UnavailableError(), EventStoreUnavailableError, 503],
      ['NotLeaderError', Object.assign(new UnknownError(undefined, 'not leader'), { type: ErrorType.NOT_LEADER }), EventStoreUnavailableError, 503],
      ['TimeoutError', new TimeoutError(undefined, 'timeout'), EventStoreUnavailableError, 503],
      ['StreamDeletedError', StreamDeletedErrorFromClient.fromStreamName('s-1'), StreamDeletedError, 410],
      ['AccessDeniedError', new AccessDeniedError(undefined, 'denied'), EventStoreAccessDeniedError, 500],
      ['MaxAppendSizeExceededError', MaxAppendSizeExceededError.fromMaxAppendSize(1_048_576), EventTooLargeError, 413],
      // BatchAppend statuses client 1.3.1 does not unpack (unpackError.js: "Could not recognize ...").
      ['UnknownError of MaximumAppendEventSizeExceeded', new UnknownError(undefined, 'Could not recognize MaximumAppendEventSizeExceeded'), EventTooLargeError, 413],
      ['UnknownError of a busy node', new UnknownError(undefined, 'Could not recognize Server Is Busy'), EventStoreUnavailableError, 503],
      ['UnknownError of a node not ready', new UnknownError(undefined, 'Could not recognize Server Is Not Ready'), EventStoreUnavailableError, 503],
    ] as const)('maps the client %s of an append to a typed port error (HTTP %p)', async (_name, raw, typed, status) => {
      client.failNextAppend = raw;
      // One send: a timed-out write would otherwise be sent again (and succeed here).
      const once = new KurrentDbEventStore(client, { appendAttempts: 1 });
      const error = await once.appendToStream('s-1', [newEvent()], { expectedVersion: 'any' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(typed);
      expect(statusFor((error as EventStoreUnavailableError).category)).toBe(status);
    });

    it('answers an append over the server\'s size limits as too large (413), writing nothing', async () => {
      const limited = new FakeKurrentDbClient({ maxAppendEventSize: 4096, maxAppendSize: 10_000 });
      const onLimited = new KurrentDbEventStore(limited);
      const big = { ...newEvent(), data: { evidence: 'đ'.repeat(3000) } };
      const oneTooLarge = await onLimited.appendToStream('s-1', [big], { expectedVersion: 'no_stream' }).catch((caught: unknown) => caught);
      expect(oneTooLarge).toBeInstanceOf(EventTooLargeError);
      const small = (): NewEvent => ({ ...newEvent(), data: { evidence: 'x'.repeat(3000) } });
      const allTooLarge = await onLimited.appendToStream('s-1', [small(), small(), small(), small()], { expectedVersion: 'no_stream' }).catch((caught: unknown) => caught);
      expect(allTooLarge).toBeInstanceOf(EventTooLargeError);
      expect(await onLimited.readStream('s-1')).toEqual([]);
      await onLimited.close();
    });

    it('lets an error the client does not classify through unchanged', async () => {
      const odd = new Error('socket hang up');
      client.failNextAppend = odd;
      await expect(store.appendToStream('s-1', [newEvent()], { expectedVersion: 'any' })).rejects.toBe(odd);
    });

    it('maps read failures too: a tombstoned stream is gone, an unreachable server unavailable', async () => {
      await store.appendToStream('s-1', [newEvent()], { expectedVersion: 'no_stream' });
      await client.tombstoneStream('s-1');
      await expect(store.readStream('s-1')).rejects.toBeInstanceOf(StreamDeletedError);
      await expect(store.appendToStream('s-1', [newEvent()], { expectedVersion: 'any' })).rejects.toBeInstanceOf(StreamDeletedError);
      client.failNextRead = new UnavailableError();
      await expect(store.readAll(null, 10)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });

    it('reads a soft-deleted stream as empty, and continues its versions when it is written again', async () => {
      await store.appendToStream('s-1', [newEvent(), newEvent()], { expectedVersion: 'no_stream' });
      await client.deleteStream('s-1');
      expect(await store.readStream('s-1')).toEqual([]);
      const again = await store.appendToStream('s-1', [newEvent()], { expectedVersion: 'no_stream' });
      expect(again.nextExpectedVersion).toBe(2);
      expect((await store.readStream('s-1')).map((event) => event.version)).toEqual([2]);
    });

    it.each(['batch', 'unary'] as const)('treats an append answered { success: false } (throwOnAppendFailure=false, %s path) as a conflict at the stream\'s real version, never a write', async (appendPath) => {
      const lenient = new FakeKurrentDbClient({ throwOnAppendFailure: false, appendPath });
      const onLenient = new KurrentDbEventStore(lenient);
      await onLenient.appendToStream('s-1', [newEvent(), newEvent(), newEvent()], { expectedVersion: 'no_stream' });
      const stale = await onLenient.appendToStream('s-1', [newEvent()], { expectedVersion: 0 }).catch((caught: unknown) => caught);
      expect(stale).toBeInstanceOf(ConcurrencyError);
      expect(stale).toMatchObject({ expectedVersion: 0, actualVersion: 2 });
      expect(await onLenient.readStream('s-1')).toHaveLength(3);
      const missing = await onLenient.appendToStream('s-2', [newEvent()], { expectedVersion: 0 }).catch((caught: unknown) => caught);
      expect(missing).toMatchObject({ expectedVersion: 0, actualVersion: 'no_stream' });
      await onLenient.close();
    });

    it('refuses a connection string that sets throwOnAppendFailure=false', () => {
      expect(() => new KurrentDbEventStore('kurrentdb://localhost:2113?tls=false&throwOnAppendFailure=false')).toThrow(/throwOnAppendFailure/);
      expect(() => new KurrentDbEventStore('kurrentdb://localhost:2113?ThrowOnAppendFailure=FALSE')).toThrow(InvalidEventError);
    });

    it('sends an identical write again when the server dropped it unanswered, and gets the first result', async () => {
      const slow = new FakeKurrentDbClient({ writeTimeoutMs: 20, indexDelayMs: 30 });
      const onSlow = new KurrentDbEventStore(slow);
      const events = [newEvent(), newEvent()];
      const results = await Promise.all([0, 1, 2].map(() => onSlow.appendToStream('s-1', events, { expectedVersion: 'no_stream' })));
      expect(new Set(results.map((result) => result.checkpoint)).size).toBe(1);
      expect(slow.streamEvents('s-1')).toHaveLength(2);
      expect(slow.calls.filter((call) => call.method === 'appendToStream').length).toBeGreaterThan(3);
      await onSlow.close();
    });

    it('gives up after its attempts with EVENT_STORE.UNAVAILABLE when the server keeps timing out', async () => {
      const onFlaky = new KurrentDbEventStore(client, { appendAttempts: 2 });
      const deadline = (): DeadlineExceededError => new DeadlineExceededError(undefined, 'deadline');
      let sends = 0;
      const send = client.appendToStream.bind(client);
      client.appendToStream = async (...args) => {
        sends += 1;
        client.failNextAppend = deadline();
        return send(...args);
      };
      await expect(onFlaky.appendToStream('s-1', [newEvent()], { expectedVersion: 'any' })).rejects.toBeInstanceOf(EventStoreUnavailableError);
      expect(sends).toBe(2);
    });

    it('detects a retry at the current version before sending it, which the server would write again', async () => {
      const events = [newEvent(), newEvent()];
      const first = await store.appendToStream('s-1', events, { expectedVersion: 'no_stream' });
      const sent = appendCalls(client).length;
      expect(await store.appendToStream('s-1', events, { expectedVersion: 1 })).toEqual(first);
      expect(appendCalls(client)).toHaveLength(sent);
      expect(client.streamEvents('s-1')).toHaveLength(2);
    });

    it('validates the append before calling the server', async () => {
      await expect(store.appendToStream('s-1', [], { expectedVersion: 'any' })).rejects.toThrow(InvalidEventError);
      await expect(store.appendToStream('s-1', [newEvent()], { expectedVersion: -1 })).rejects.toThrow(InvalidEventError);
      await expect(store.appendToStream('s-1', [newEvent('not-pascal')], { expectedVersion: 'any' })).rejects.toThrow(InvalidEventError);
      expect(appendCalls(client)).toHaveLength(0);
    });
  });

  describe('readStream', () => {
    it('reads a missing stream (StreamNotFoundError) as an empty list', async () => {
      await expect(store.readStream('nobody-wrote-here')).resolves.toEqual([]);
    });

    it('maps stored events, metadata and Vietnamese text back unchanged', async () => {
      const event = newEvent('CriterionScored', { note: 'Đạt yêu cầu – Sở Thông tin và Truyền thông' }, { schemaVersion: 2 });
      const { checkpoint } = await store.appendToStream('s-1', [event], { expectedVersion: 'no_stream' });
      const [read] = await store.readStream('s-1');
      expect(read).toEqual<RecordedEvent>({
        id: event.id,
        streamName: 's-1',
        version: 0,
        type: 'CriterionScored',
        data: event.data,
        metadata: { ...metadata, schemaVersion: 2 },
        recordedAt: '2026-01-02T03:04:05.000Z',
        checkpoint,
      });
    });

    it('forwards direction, fromVersion and maxCount to the client', async () => {
      await store.appendToStream('s-1', [newEvent(), newEvent(), newEvent(), newEvent()], { expectedVersion: 'no_stream' });
      client.calls.length = 0;
      const forwards = await store.readStream('s-1', { fromVersion: 1, maxCount: 2 });
      const backwards = await store.readStream('s-1', { direction: 'backwards', maxCount: 3 });
      const backwardsFrom = await store.readStream('s-1', { direction: 'backwards', fromVersion: 1 });
      expect(forwards.map((event) => event.version)).toEqual([1, 2]);
      expect(backwards.map((event) => event.version)).toEqual([3, 2, 1]);
      expect(backwardsFrom.map((event) => event.version)).toEqual([1, 0]);
      const options = client.calls.filter((call) => call.method === 'readStream').map((call) => call.args[1]);
      expect(options).toEqual([
        { direction: FORWARDS, fromRevision: 1n, maxCount: 2 },
        { direction: BACKWARDS, fromRevision: END, maxCount: 3 },
        { direction: BACKWARDS, fromRevision: 1n },
      ]);
    });

    it('reads events written by other tools, deriving missing metadata from the record', async () => {
      const foreign = client.store('legacy-1', 'SomethingHappened', { a: 1 }, { $correlationId: 'corr-x' });
      const [read] = await store.readStream('legacy-1');
      expect(read?.metadata).toEqual({
        actor: 'unknown',
        correlationId: 'corr-x',
        causationId: foreign.id,
        occurredAt: '2026-01-02T03:04:05.000Z',
        schemaVersion: 1,
      });
    });

    it('rejects a negative fromVersion', async () => {
      await expect(store.readStream('s-1', { fromVersion: -1 })).rejects.toMatchObject({ category: 'validation', field: 'fromVersion' });
    });
  });

  describe('readAll', () => {
    it('skips system events, the metadata stream and checkpoint streams', async () => {
      client.store('$stats-127.0.0.1:2113', '$statsCollected', {});
      const a = newEvent();
      await store.appendToStream('s-1', [a], { expectedVersion: 'no_stream' });
      client.store('$$s-1', '$metadata', { $maxCount: 10 });
      client.store('tieuchi-checkpoint-projector', 'CheckpointStored', { checkpoint: '1:1' });
      client.store('s-3', '$>', '0@s-1');
      const b = newEvent();
      await store.appendToStream('s-2', [b], { expectedVersion: 'no_stream' });

      const { events } = await store.readAll(null, 10);
      expect(events.map((event) => event.id)).toEqual([a.id, b.id]);
    });

    it('asks the server to filter system events as well', async () => {
      await store.readAll(null, 5);
      const [options] = client.calls.find((call) => call.method === 'readAll')!.args as [{ filter: unknown }];
      expect(options.filter).toEqual(excludeSystemEvents());
    });

    it('continues after the checkpoint without repeating the event at it (reads are inclusive)', async () => {
      const events = Array.from({ length: 5 }, () => newEvent());
      await store.appendToStream('s-1', events, { expectedVersion: 'no_stream' });
      const first = await store.readAll(null, 2);
      const second = await store.readAll(first.checkpoint, 2);
      const third = await store.readAll(second.checkpoint, 2);
      const fourth = await store.readAll(third.checkpoint, 2);
      expect([...first.events, ...second.events, ...third.events].map((event) => event.id)).toEqual(events.map((event) => event.id));
      expect(third.events).toHaveLength(1);
      expect(third.checkpoint).toBe(third.events[0]?.checkpoint);
      expect(fourth).toEqual({ events: [], checkpoint: third.checkpoint });
    });

    it('fills a batch across pages of hidden events', async () => {
      const a = newEvent();
      await store.appendToStream('s-1', [a], { expectedVersion: 'no_stream' });
      for (let index = 0; index < 5; index += 1) client.store('tieuchi-checkpoint-p', 'CheckpointStored', { checkpoint: '1:1' });
      const b = newEvent();
      await store.appendToStream('s-2', [b], { expectedVersion: 'no_stream' });
      const { events } = await store.readAll(null, 2);
      expect(events.map((event) => event.id)).toEqual([a.id, b.id]);
    });

    it('moves its checkpoint past a run of hidden events, examining a bounded number per call', async () => {
      const bounded = new KurrentDbEventStore(client, { readAllScanLimit: 10 });
      const a = await bounded.appendToStream('s-1', [newEvent()], { expectedVersion: 'no_stream' });
      for (let index = 0; index < 25; index += 1) client.store('tieuchi-checkpoint-p', 'CheckpointStored', { checkpoint: '1:1' });
      const b = newEvent();
      await bounded.appendToStream('s-2', [b], { expectedVersion: 'no_stream' });
      const checkpoints: (string | null)[] = [];
      let checkpoint: string | null = a.checkpoint;
      let found: readonly RecordedEvent[] = [];
      while (found.length === 0 && checkpoints.length < 10) {
        const page = await bounded.readAll(checkpoint, 5);
        found = page.events;
        checkpoint = page.checkpoint;
        checkpoints.push(checkpoint);
      }
      expect(found.map((event) => event.id)).toEqual([b.id]);
      // 25 hidden events at 10 a call: two calls return nothing but a checkpoint further on.
      expect(checkpoints).toHaveLength(3);
      expect(new Set(checkpoints).size).toBe(3);
    });

    it('returns the checkpoint passed in when nothing is read', async () => {
      await expect(store.readAll(null, 10)).resolves.toEqual({ events: [], checkpoint: null });
      await expect(store.readAll('5:5', 10)).resolves.toEqual({ events: [], checkpoint: '5:5' });
    });

    it('rejects a malformed checkpoint and a non-positive batch size', async () => {
      await expect(store.readAll('7', 10)).rejects.toThrow(InvalidCheckpointError);
      await expect(store.readAll(null, 0)).rejects.toMatchObject({ category: 'validation', field: 'batchSize' });
    });

    it('orders checkpoints it issued', async () => {
      const first = await store.appendToStream('s-1', [newEvent()], { expectedVersion: 'no_stream' });
      const second = await store.appendToStream('s-1', [newEvent()], { expectedVersion: 0 });
      expect(store.compareCheckpoints(first.checkpoint, second.checkpoint)).toBeLessThan(0);
      expect(store.compareCheckpoints(second.checkpoint, first.checkpoint)).toBeGreaterThan(0);
      expect(store.compareCheckpoints(first.checkpoint, first.checkpoint)).toBe(0);
      expect(() => store.compareCheckpoints('x', first.checkpoint)).toThrow(InvalidCheckpointError);
    });
  });

  describe('upcasting', () => {
    it('applies the registry on readStream and readAll', async () => {
      const upcasters = new UpcasterRegistry().register<{ score: number }, { score: number; max: number }>({
        type: 'CriterionScored',
        fromSchemaVersion: 1,
        upcast: (data) => ({ ...data, max: 10 }),
      });
      const upcasting = new KurrentDbEventStore(client, { upcasters });
      await upcasting.appendToStream('s-1', [newEvent('CriterionScored', { score: 7 })], { expectedVersion: 'no_stream' });
      const [fromStream] = await upcasting.readStream('s-1');
      const { events } = await upcasting.readAll(null, 10);
      for (const event of [fromStream, events[0]]) {
        expect(event).toMatchObject({ data: { score: 7, max: 10 }, metadata: { schemaVersion: 2 } });
      }
      await upcasting.close();
    });
  });

  describe('subscribe', () => {
    it('delivers events in order, skipping system events, and waits for a checkpoint', async () => {
      const seen: RecordedEvent[] = [];
      const subscription = store.subscribe('projector', async (event) => {
        seen.push(event);
      });
      await store.appendToStream('s-1', [newEvent(), newEvent()], { expectedVersion: 'no_stream' });
      client.store('$stats', '$statsCollected', {});
      const { checkpoint } = await store.appendToStream('s-2', [newEvent()], { expectedVersion: 'no_stream' });
      await subscription.waitFor(checkpoint, 1000);
      await subscription.stop();
      expect(seen.map((event) => [event.streamName, event.version])).toEqual([
        ['s-1', 0],
        ['s-1', 1],
        ['s-2', 0],
      ]);
    });

    it('keeps the checkpoint in its own stream and resumes after it without redelivery', async () => {
      const first = await store.appendToStream('s-1', [newEvent(), newEvent()], { expectedVersion: 'no_stream' });
      const seen: string[] = [];
      const handler = async (event: RecordedEvent): Promise<void> => {
        seen.push(`${event.streamName}@${event.version}`);
      };
      const before = store.subscribe('projector', handler);
      await before.waitFor(first.checkpoint, 1000);
      await before.stop();

      const stored = client.streamEvents('tieuchi-checkpoint-projector').at(-1);
      expect(stored?.data).toEqual({ checkpoint: first.checkpoint });
      expect(client.calls.find((call) => call.method === 'setStreamMetadata')?.args.slice(0, 2)).toEqual([
        'tieuchi-checkpoint-projector',
        { maxCount: 1 },
      ]);

      const second = await store.appendToStream('s-1', [newEvent()], { expectedVersion: 1 });
      const after = store.subscribe('projector', handler);
      await after.waitFor(second.checkpoint, 1000);
      await after.stop();
      expect(seen).toEqual(['s-1@0', 's-1@1', 's-1@2']);
      const resumedFrom = client.calls.filter((call) => call.method === 'subscribeToAll').at(-1)?.args[0] as { fromPosition: unknown };
      expect(resumedFrom.fromPosition).toEqual(client.streamEvents('s-1')[1]?.position);
    });

    it('starts after startAfter when the processor has no checkpoint, and ignores it once it has one', async () => {
      const early = await store.appendToStream('s-1', [newEvent(), newEvent()], { expectedVersion: 'no_stream' });
      const late = await store.appendToStream('s-1', [newEvent()], { expectedVersion: 1 });
      const seen: number[] = [];
      const handler = async (event: RecordedEvent): Promise<void> => {
        seen.push(event.version);
      };
      const first = store.subscribe('projector', handler, { startAfter: early.checkpoint });
      await first.waitFor(late.checkpoint, 1000);
      await first.stop();
      const again = store.subscribe('projector', handler, { startAfter: null });
      const later = await store.appendToStream('s-1', [newEvent()], { expectedVersion: 2 });
      await again.waitFor(later.checkpoint, 1000);
      await again.stop();
      expect(seen).toEqual([2, 3]);
    });

    it('stops when the handler throws, reports it, and redelivers that event on restart', async () => {
      const [a, b, c] = [newEvent(), newEvent(), newEvent()];
      const last = await store.appendToStream('s-1', [a!, b!, c!], { expectedVersion: 'no_stream' });
      const errors: unknown[] = [];
      const failing = store.subscribe(
        'projector',
        async (event) => {
          if (event.id === b!.id) throw new Error('projection failed');
        },
        { onError: (error) => errors.push(error) },
      );
      await expect(failing.waitFor(last.checkpoint, 1000)).rejects.toThrow(ReaderStoppedError);
      await failing.stop();
      expect(errors).toEqual([new Error('projection failed')]);

      const seen: string[] = [];
      const resumed = store.subscribe('projector', async (event) => {
        seen.push(event.id);
      });
      await resumed.waitFor(last.checkpoint, 1000);
      await resumed.stop();
      expect(seen).toEqual([b!.id, c!.id]);
    });

    it.each([
      ['throws the refusal', true],
      ['answers it { success: false } (throwOnAppendFailure=false)', false],
    ] as const)('refuses to move a checkpoint another processor with the same id has moved, when the client %s', async (_how, throwOnAppendFailure) => {
      client = new FakeKurrentDbClient({ throwOnAppendFailure });
      store = new KurrentDbEventStore(client);
      await store.appendToStream('s-1', [newEvent()], { expectedVersion: 'no_stream' });
      const a = store.subscribe('projector', async () => undefined);
      const errors: unknown[] = [];
      // b loads the checkpoint stream before a writes it, then both try to move it.
      const b = store.subscribe('projector', async () => new Promise((resolve) => setTimeout(resolve, 20)), {
        onError: (error) => errors.push(error),
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await Promise.all([a.stop(), b.stop()]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(ConcurrencyError);
      expect(errors[0]).toMatchObject({ streamName: 'tieuchi-checkpoint-projector', expectedVersion: 'no_stream', actualVersion: 0 });
    });

    it.each([
      ['fails (connection lost)', new UnavailableError()],
      ['simply ends (server restart)', null],
    ] as const)('resubscribes from the last handled event when the feed %s, neither losing nor repeating one', async (_how, drop) => {
      const resilient = new KurrentDbEventStore(client, { resubscribeDelayMs: 1 });
      const seen: number[] = [];
      const errors: unknown[] = [];
      const subscription = resilient.subscribe('projector', async (event) => void seen.push(event.version), { onError: (error) => errors.push(error) });
      const first = await resilient.appendToStream('s-1', [newEvent(), newEvent()], { expectedVersion: 'no_stream' });
      await subscription.waitFor(first.checkpoint, 1000);
      client.dropSubscriptions(drop);
      const second = await resilient.appendToStream('s-1', [newEvent(), newEvent()], { expectedVersion: 1 });
      await subscription.waitFor(second.checkpoint, 2000);
      await subscription.stop();
      expect(seen).toEqual([0, 1, 2, 3]);
      expect(errors).toEqual([]);
      const subscribed = client.calls.filter((call) => call.method === 'subscribeToAll');
      expect(subscribed).toHaveLength(2);
      // It resumes after the last event it examined: the second handled one, or a hidden one after it.
      const resumedAt = (subscribed[1]?.args[0] as { fromPosition: { commit: bigint } }).fromPosition.commit;
      const [, handled, next] = client.streamEvents('s-1');
      expect(resumedAt >= (handled?.position.commit ?? 0n) && resumedAt < (next?.position.commit ?? 0n)).toBe(true);
    });

    it('reports a checkpoint stream it cannot read as a typed error, not a raw client one', async () => {
      const errors: unknown[] = [];
      client.failNextRead = new UnavailableError();
      const subscription = store.subscribe('projector', async () => undefined, { onError: (error) => errors.push(error) });
      await expect(subscription.waitFor('999999:999999', 1000)).rejects.toBeInstanceOf(ReaderStoppedError);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(EventStoreUnavailableError);
      await subscription.stop();
    });

    it('stops loudly with EVENT_STORE.SUBSCRIPTION_DROPPED when resubscribing keeps failing', async () => {
      const fragile = new KurrentDbEventStore(client, { resubscribeDelayMs: 1, resubscribeAttempts: 3 });
      const errors: unknown[] = [];
      const subscribe = client.subscribeToAll.bind(client);
      client.subscribeToAll = (options) => {
        const live = subscribe(options);
        setTimeout(() => client.dropSubscriptions(new UnavailableError()), 1);
        return live;
      };
      const subscription = fragile.subscribe('projector', async () => undefined, { onError: (error) => errors.push(error) });
      await expect(subscription.waitFor('999999:999999', 2000)).rejects.toBeInstanceOf(ReaderStoppedError);
      expect(client.calls.filter((call) => call.method === 'subscribeToAll')).toHaveLength(4);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(SubscriptionDroppedError);
      expect(errors[0]).toMatchObject({ code: 'EVENT_STORE.SUBSCRIPTION_DROPPED', attempts: 3 });
      await subscription.stop();
    });

    it('stops even when unsubscribing does not end the iteration', async () => {
      client.unsubscribeLeavesIterationOpen = true;
      const { checkpoint } = await store.appendToStream('s-1', [newEvent()], { expectedVersion: 'no_stream' });
      const subscription = store.subscribe('projector', async () => undefined);
      await subscription.waitFor(checkpoint, 1000);
      await expect(subscription.stop()).resolves.toBeUndefined();
    });

    it('times out waitFor with a typed error, and rejects malformed checkpoints', async () => {
      const subscription = store.subscribe('projector', async () => undefined);
      await expect(subscription.waitFor('999999:999999', 20)).rejects.toThrow(WaitTimeoutError);
      await expect(subscription.waitFor('nope', 20)).rejects.toThrow(InvalidCheckpointError);
      await subscription.stop();
    });

    it('createKurrentDbEventStore wraps a caller-owned client the same way', async () => {
      const created = await createKurrentDbEventStore({ client });
      await created.appendToStream('s-1', [newEvent()], { expectedVersion: 'no_stream' });
      await created.close();
      expect(client.streamEvents('s-1')).toHaveLength(1);
      expect(client.disposed).toBe(false);
    });

    it('close() stops live subscriptions and leaves a client it does not own undisposed', async () => {
      const subscription = store.subscribe('projector', async () => undefined);
      await store.close();
      await expect(subscription.waitFor('999999:999999', 1000)).rejects.toThrow(ReaderStoppedError);
      expect(client.disposed).toBe(false);
    });
  });
});
