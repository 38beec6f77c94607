import { randomUUID } from 'node:crypto';
import {
  ANY,
  BACKWARDS,
  DeadlineExceededError,
  END,
  MaxAppendSizeExceededError,
  NO_STREAM,
  STREAM_EXISTS,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type EventData,
} from '@kurrent/kurrentdb-client';
import { FakeKurrentDbClient } from './kurrentdb-client.fake';

/*
 * Each rule of the fake, with the KurrentDB server code it models, quoted from tag v25.1.4
 * (src/KurrentDB.Core/Services/Storage/ReaderIndex/IndexWriter.cs, CheckCommit, and
 * StorageWriterService.cs), or the client 1.3.1 behaviour. If the fake drifts from these, the
 * adapter's tests over it stop proving anything about a real server.
 */

function events(count: number, ids: readonly string[] = []): EventData[] {
  return Array.from({ length: count }, (_, i) => jsonEvent({ id: ids[i] ?? randomUUID(), type: 'CriterionScored', data: { i } }));
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of iterable) all.push(item);
  return all;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

describe('FakeKurrentDbClient: IndexWriter.CheckCommit event-id idempotence', () => {
  let client: FakeKurrentDbClient;

  beforeEach(() => {
    client = new FakeKurrentDbClient();
  });

  it('"// expectedVersion == currentVersion" → CommitDecision.Ok: the same ids are written again (kurrent-io/KurrentDB#1898)', async () => {
    const batch = events(2);
    await client.appendToStream('s', batch, { streamState: NO_STREAM });
    const again = await client.appendToStream('s', batch, { streamState: 1n });
    expect(again).toMatchObject({ success: true, nextExpectedRevision: 3n });
    expect(client.streamEvents('s').map((record) => record.id)).toEqual([...batch, ...batch].map((event) => event.id));
  });

  it('"if (expectedVersion < curVersion)": the same ids stored at expected+1… are answered as already written (Idempotent)', async () => {
    const batch = events(2);
    await client.appendToStream('s', batch, { streamState: NO_STREAM });
    await client.appendToStream('s', events(1), { streamState: 1n });
    expect(await client.appendToStream('s', batch, { streamState: NO_STREAM })).toMatchObject({ success: true, nextExpectedRevision: 1n });
    expect(client.streamEvents('s')).toHaveLength(3);
  });

  it('below the end, other ids fail with WrongExpectedVersion, and only some of them with CorruptedIdempotency (answered the same)', async () => {
    const batch = events(2);
    await client.appendToStream('s', batch, { streamState: NO_STREAM });
    await client.appendToStream('s', events(1), { streamState: 1n });
    expect(await failure(client.appendToStream('s', events(1), { streamState: 0n }))).toBeInstanceOf(WrongExpectedVersionError);
    // StorageWriterService: "in case of corrupted idempotency (part of transaction is ok, other is different)"
    const partial = [batch[0] as EventData, ...events(1)];
    expect(await failure(client.appendToStream('s', partial, { streamState: NO_STREAM }))).toBeInstanceOf(WrongExpectedVersionError);
    expect(client.streamEvents('s')).toHaveLength(3);
  });

  it('"if (expectedVersion > curVersion)" → WrongExpectedVersion, even when the ids are stored', async () => {
    const batch = events(2);
    await client.appendToStream('s', batch, { streamState: NO_STREAM });
    const error = await failure(client.appendToStream('s', batch, { streamState: 5n }));
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ expectedState: 5n, actualState: 1n });
  });

  it('any / stream_exists: "_committedEvents.TryGetRecord(eventId, ...)", a bounded cache of recent writes, is the only id check', async () => {
    const small = new FakeKurrentDbClient({ idempotencyCacheSize: 3, standardProjections: false });
    const batch = events(2);
    await small.appendToStream('s', batch, { streamState: ANY });
    expect(await small.appendToStream('s', batch, { streamState: STREAM_EXISTS })).toMatchObject({ nextExpectedRevision: 1n });
    expect(small.streamEvents('s')).toHaveLength(2);
    await small.appendToStream('s', events(3), { streamState: ANY });
    // The first ids have left the cache: the same write now goes through a second time.
    await small.appendToStream('s', batch, { streamState: ANY });
    expect(small.streamEvents('s')).toHaveLength(7);
  });

  it('"just drop the write and wait for the client to retry": an identical write while the first is indexed times out', async () => {
    const slow = new FakeKurrentDbClient({ indexDelayMs: 30, writeTimeoutMs: 40 });
    const batch = events(2);
    const first = slow.appendToStream('s', batch, { streamState: NO_STREAM });
    const dropped = failure(slow.appendToStream('s', batch, { streamState: NO_STREAM }));
    expect(await first).toMatchObject({ success: true, nextExpectedRevision: 1n });
    expect(await dropped).toBeInstanceOf(DeadlineExceededError);
    // The same write again, once indexed, is answered as already written.
    expect(await slow.appendToStream('s', batch, { streamState: NO_STREAM })).toMatchObject({ success: true, nextExpectedRevision: 1n });
    expect(slow.streamEvents('s')).toHaveLength(2);
  });

  it('keeps a write invisible to reads until it is indexed', async () => {
    const slow = new FakeKurrentDbClient({ indexDelayMs: 30 });
    const written = slow.appendToStream('s', events(1), { streamState: NO_STREAM });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await expect(collect(slow.readStream('s'))).rejects.toBeInstanceOf(StreamNotFoundError);
    await written;
    expect(await collect(slow.readStream('s'))).toHaveLength(1);
  });

  it('answers a refusal as { success: false } when built with throwOnAppendFailure=false (client append.js)', async () => {
    const lenient = new FakeKurrentDbClient({ throwOnAppendFailure: false, appendPath: 'unary' });
    await lenient.appendToStream('s', events(3), { streamState: NO_STREAM });
    expect(await lenient.appendToStream('s', events(1), { streamState: NO_STREAM })).toEqual({
      success: false,
      nextExpectedRevision: 2n,
      position: undefined,
    });
    expect(await lenient.appendToStream('t', events(1), { streamState: 0n })).toMatchObject({ success: false, nextExpectedRevision: -1n });
  });

  it('batchAppend.js, the path of a client without credentials, reports "BigInt(wrongExpectedVersion.hasCurrentStreamRevision())": 1, not the revision', async () => {
    const lenient = new FakeKurrentDbClient({ throwOnAppendFailure: false });
    await lenient.appendToStream('s', events(3), { streamState: NO_STREAM });
    expect(await lenient.appendToStream('s', events(1), { streamState: 0n })).toEqual({ success: false, nextExpectedRevision: 1n, position: undefined });
    expect(await lenient.appendToStream('t', events(1), { streamState: 0n })).toMatchObject({ success: false, nextExpectedRevision: -1n });
  });

  it('"Event.SizeOnDisk(...) > maxAppendEventSize" and "clientWriteRequest.Size > _maxAppendSize" refuse an append on receipt (Streams.BatchAppend.cs)', async () => {
    const limited = new FakeKurrentDbClient({ maxAppendEventSize: 1000, maxAppendSize: 2500 });
    const sized = (bytes: number): EventData => jsonEvent({ type: 'E', data: { t: 'x'.repeat(bytes - 10) } });
    // data + metadata + twice the type's length: {"t":"…"} is 8 bytes of JSON around the text, "E" counts 2.
    await limited.appendToStream('s', [sized(1000)], { streamState: NO_STREAM });
    const event = await failure(limited.appendToStream('s', [sized(1001)], { streamState: ANY }));
    // Client 1.3.1 does not unpack MaximumAppendEventSizeExceeded: "Could not recognize " + status message.
    expect(event).toBeInstanceOf(UnknownError);
    expect((event as Error).message).toBe('Could not recognize MaximumAppendEventSizeExceeded');
    const whole = await failure(limited.appendToStream('s', [sized(900), sized(900), sized(900)], { streamState: ANY }));
    expect(whole).toBeInstanceOf(MaxAppendSizeExceededError);
    expect(limited.streamEvents('s')).toHaveLength(1);
  });

  it('answers ids as the server stores them: lowercase GUIDs, whatever case was sent', async () => {
    const id = randomUUID().toUpperCase();
    await client.appendToStream('s', events(1, [id]), { streamState: NO_STREAM });
    const [read] = await collect(client.readStream('s'));
    expect(read?.event?.id).toBe(id.toLowerCase());
  });
});

describe('FakeKurrentDbClient: deleted streams', () => {
  it('soft delete: reads answer not found, a new write recreates the stream and its revisions continue', async () => {
    const client = new FakeKurrentDbClient();
    await client.appendToStream('s', events(2), { streamState: NO_STREAM });
    await client.deleteStream('s');
    await expect(collect(client.readStream('s'))).rejects.toBeInstanceOf(StreamNotFoundError);
    // "if (expectedVersion is ExpectedVersion.StreamExists) { if (await IsSoftDeleted(...)) return new(CommitDecision.Deleted, ...)"
    expect(await failure(client.appendToStream('s', events(1), { streamState: STREAM_EXISTS }))).toBeInstanceOf(StreamDeletedError);
    expect(await client.appendToStream('s', events(1), { streamState: NO_STREAM })).toMatchObject({ nextExpectedRevision: 2n });
    expect((await collect(client.readStream('s'))).map((resolved) => resolved.event?.revision)).toEqual([2n]);
  });

  it('tombstone: "case EventNumber.DeletedStream: return new(CommitDecision.Deleted, ...)" for any write; reads fail too', async () => {
    const client = new FakeKurrentDbClient();
    await client.appendToStream('s', events(1), { streamState: NO_STREAM });
    await client.tombstoneStream('s');
    expect(await failure(client.appendToStream('s', events(1), { streamState: ANY }))).toBeInstanceOf(StreamDeletedError);
    await expect(collect(client.readStream('s'))).rejects.toBeInstanceOf(StreamDeletedError);
  });
});

describe('FakeKurrentDbClient: $all', () => {
  it('holds the standard projections\' $> links ($ce-, $et-, $streams) after each event, as docker-compose runs them', async () => {
    const client = new FakeKurrentDbClient();
    await client.appendToStream('assessment-1', events(1), { streamState: NO_STREAM });
    const all = await collect(client.readAll());
    expect(all.map((resolved) => [resolved.event?.streamId, resolved.event?.type])).toEqual([
      ['assessment-1', 'CriterionScored'],
      ['$ce-assessment', '$>'],
      ['$et-CriterionScored', '$>'],
      ['$streams', '$>'],
    ]);
    expect(all[1]?.event?.data).toBe('0@assessment-1');
  });

  it('counts maxCount in matching events on a filtered read, and filters on stream names by prefix', async () => {
    const client = new FakeKurrentDbClient();
    for (const stream of ['a-1', 'b-1', 'a-2']) await client.appendToStream(stream, events(1), { streamState: NO_STREAM });
    const user = await collect(client.readAll({ maxCount: 2, filter: excludeSystemEvents() }));
    expect(user.map((resolved) => resolved.event?.streamId)).toEqual(['a-1', 'b-1']);
    const prefixed = await collect(client.readAll({ filter: streamNameFilter({ prefixes: ['a-'] }) }));
    expect(prefixed.map((resolved) => resolved.event?.streamId)).toEqual(['a-1', 'a-2']);
  });

  it('filters on the event type or the stream name (filterOn), by prefixes or by an unanchored regex, in reads and subscriptions alike', async () => {
    const client = new FakeKurrentDbClient();
    await client.appendToStream('assessment-1', [jsonEvent({ type: 'AssessmentStarted', data: {} }), jsonEvent({ type: 'CriterionScored', data: {} })], {
      streamState: NO_STREAM,
    });
    await client.appendToStream('unit-1', [jsonEvent({ type: 'UnitRegistered', data: {} })], { streamState: NO_STREAM });
    const typed = await collect(client.readAll({ filter: eventTypeFilter({ prefixes: ['Assessment', 'Unit'] }) }));
    expect(typed.map((resolved) => resolved.event?.type)).toEqual(['AssessmentStarted', 'UnitRegistered']);
    // An event-type filter never looks at stream names, and a regex matches anywhere in the name.
    expect(await collect(client.readAll({ filter: eventTypeFilter({ prefixes: ['assessment-'] }) }))).toEqual([]);
    const named = await collect(client.readAll({ filter: streamNameFilter({ regex: 't-1$' }) }));
    expect(named.map((resolved) => resolved.event?.streamId)).toEqual(['assessment-1', 'assessment-1', 'unit-1']);
    const live = client.subscribeToAll({ filter: eventTypeFilter({ prefixes: ['Unit'] }) });
    const first = await live[Symbol.asyncIterator]().next();
    expect(first.value?.event?.type).toBe('UnitRegistered');
    await live.unsubscribe();
  });

  it('reads in pages fetched as they are consumed, so a write made during a read can show up in it', async () => {
    const client = new FakeKurrentDbClient({ readPageSize: 2, standardProjections: false });
    await client.appendToStream('s', events(3), { streamState: NO_STREAM });
    const seen: AllStreamResolvedEvent[] = [];
    for await (const resolved of client.readStream('s')) {
      seen.push(resolved);
      if (seen.length === 1) await client.appendToStream('s', events(1), { streamState: 2n });
    }
    expect(seen.map((resolved) => resolved.event?.revision)).toEqual([0n, 1n, 2n, 3n]);
    const backwards = await collect(client.readStream('s', { direction: BACKWARDS, fromRevision: END, maxCount: 3 }));
    expect(backwards.map((resolved) => resolved.event?.revision)).toEqual([3n, 2n, 1n]);
  });

  it('ends a live subscription as a dropped connection (an error) or a restarted server (the stream just ends)', async () => {
    const client = new FakeKurrentDbClient();
    await client.appendToStream('s', events(1), { streamState: NO_STREAM });
    const failed = collect(client.subscribeToAll()).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 5));
    client.dropSubscriptions(new UnavailableError());
    expect(await failed).toBeInstanceOf(UnavailableError);
    const ended = collect(client.subscribeToAll());
    await new Promise((resolve) => setTimeout(resolve, 5));
    client.dropSubscriptions(null);
    expect((await ended).length).toBeGreaterThan(0);
  });
});
