import {
  ANY,
  BACKWARDS,
  DeadlineExceededError,
  END,
  EVENT_TYPE,
  MaxAppendSizeExceededError,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamDeletedError,
  StreamNotFoundError,
  UnknownError,
  WrongExpectedVersionError,
  type AllStreamJSONRecordedEvent,
  type AllStreamResolvedEvent,
  type AppendResult,
  type AppendStreamState,
  type AppendToStreamOptions,
  type EventData,
  type Filter,
  type JSONType,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SetStreamMetadataOptions,
  type StreamMetadata,
  type SubscribeToAllOptions,
} from '@kurrent/kurrentdb-client';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KurrentDbAllSubscription, KurrentDbClientLike } from './kurrentdb-client.port';

type StoredRecord = AllStreamJSONRecordedEvent;

interface FakeStream {
  /** Every event ever written, including those a soft delete hides (revisions continue after it). */
  readonly records: StoredRecord[];
  /** The last revision readers can see: a write is visible once "indexed", after `indexDelayMs`. */
  indexedLast: bigint;
  /** Soft delete: reads start at this revision ($tb in the stream's metadata). */
  truncateBefore: bigint;
  softDeleted: boolean;
  tombstoned: boolean;
}

type CommitDecision =
  | { readonly kind: 'ok' }
  | { readonly kind: 'wrong-expected-version' }
  | { readonly kind: 'deleted' }
  | { readonly kind: 'idempotent' | 'idempotent-not-ready'; readonly start: bigint; readonly end: bigint };

type WriteOutcome =
  | { readonly kind: 'answered'; readonly result: AppendResult }
  | { readonly kind: 'dropped' }
  | { readonly kind: 'indexing'; readonly answer: Promise<AppendResult> };

export interface FakeKurrentDbClientOptions {
  /**
   * The server's write timeout (2 s by default): a write the server drops without answering
   * (an identical retry of a write still being indexed) fails with DeadlineExceededError after it.
   */
  readonly writeTimeoutMs?: number;
  /** How long a write stays committed but not indexed (invisible to reads, "not ready" for retries). */
  readonly indexDelayMs?: number;
  /** The connection string's `throwOnAppendFailure`: false resolves `{ success: false }` on a conflict. */
  readonly throwOnAppendFailure?: boolean;
  /**
   * Which client 1.3.1 path sends appends: `batch` (BatchAppend) whenever the client has no
   * credentials and the server supports it, as with docker-compose's insecure node; `unary`
   * (Append) with credentials. They differ in the revision a `{ success: false }` answer reports.
   */
  readonly appendPath?: 'batch' | 'unary';
  /** docker-compose runs the standard projections, which fill $all with `$>` links ($ce-, $et-, $streams). */
  readonly standardProjections?: boolean;
  /** The real client streams reads in pages over its own connection; pages are read lazily. */
  readonly readPageSize?: number;
  /** The server's committed-events cache, the only id check for `any` / `stream_exists` writes. */
  readonly idempotencyCacheSize?: number;
  /** The server's MaxAppendSize, bytes of one whole append (TFConsts.ChunkSize, 256 MiB, by default). */
  readonly maxAppendSize?: number;
  /** The server's MaxAppendEventSize, bytes of one event (TFConsts.MaxLogRecordSize, 16 MiB, by default). */
  readonly maxAppendEventSize?: number;
  /** The server's clock, stamping each event's `created`; the real time unless a test fixes it. */
  readonly now?: () => Date;
}

function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  return a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;
}

function compileFilter(filter: Filter | undefined): ((record: StoredRecord) => boolean) | undefined {
  if (!filter) return undefined;
  const field = (record: StoredRecord): string => (filter.filterOn === EVENT_TYPE ? record.type : record.streamId);
  if ('regex' in filter) {
    const regex = new RegExp(filter.regex);
    return (record) => regex.test(field(record));
  }
  return (record) => filter.prefixes.some((prefix) => field(record).startsWith(prefix));
}

const NOT_FOUND = -1n;

/**
 * An in-memory stand-in for KurrentDBClient 1.3.1 talking to a single KurrentDB 25.1 node, as
 * strict as the server where the adapter's promises depend on it (IndexWriter.CheckCommit's
 * partial event-id idempotence, dropped "not ready" retries, soft delete and tombstones, `$all`
 * full of system events and links, filtered reads counting matches, lowercase ids, paged reads).
 * Each rule is pinned by kurrentdb-client.fake.unit.spec.ts, which quotes the server.
 */
export class FakeKurrentDbClient implements KurrentDbClientLike {
  readonly log: StoredRecord[] = [];
  readonly calls: { readonly method: string; readonly args: readonly unknown[] }[] = [];
  /**
   * What an append reports as its position: the last event's, none, or one spanning the write
   * (last commit, first prepare), which no single event carries. An idempotent write reports none.
   */
  appendPositionReport: 'last-event' | 'none' | 'write-span' = 'last-event';
  /** When set, the next append fails with this error before reaching the "server". */
  failNextAppend: Error | undefined;
  /** When set, the next read (stream or $all) fails with this error once iterated. */
  failNextRead: Error | undefined;
  /** When true, unsubscribe() leaves a pending iteration hanging, as a cancelled gRPC stream may. */
  unsubscribeLeavesIterationOpen = false;
  disposed = false;
  readonly throwOnAppendFailure: boolean;
  private readonly appendPath: 'batch' | 'unary';
  private readonly writeTimeoutMs: number;
  private readonly maxAppendSize: number;
  private readonly maxAppendEventSize: number;
  private readonly indexDelayMs: number;
  private readonly standardProjections: boolean;
  private readonly readPageSize: number;
  private readonly idempotencyCacheSize: number;
  private readonly now: () => Date;
  private readonly streams = new Map<string, FakeStream>();
  /** IndexWriter._committedEvents: id → where it was written, bounded, oldest dropped first. */
  private readonly committedEvents = new Map<string, { readonly streamId: string; readonly revision: bigint }>();
  private readonly subscriptions = new Set<{ drop(error: Error | null): void }>();
  private nextPosition = 1000n;
  private writeQueue: Promise<unknown> = Promise.resolve();
  private readonly wakeups = new Set<() => void>();

  constructor(options: FakeKurrentDbClientOptions = {}) {
    this.writeTimeoutMs = options.writeTimeoutMs ?? 2000;
    this.maxAppendSize = options.maxAppendSize ?? 256 * 1024 * 1024;
    this.maxAppendEventSize = options.maxAppendEventSize ?? 16 * 1024 * 1024;
    this.indexDelayMs = options.indexDelayMs ?? 2;
    this.throwOnAppendFailure = options.throwOnAppendFailure ?? true;
    this.appendPath = options.appendPath ?? 'batch';
    this.standardProjections = options.standardProjections ?? true;
    this.readPageSize = options.readPageSize ?? 32;
    this.idempotencyCacheSize = options.idempotencyCacheSize ?? 10_000;
    this.now = options.now ?? (() => new Date());
  }

  /** The stream's events as stored, hidden or not (for assertions). */
  streamEvents(streamName: string): StoredRecord[] {
    return [...(this.streams.get(streamName)?.records ?? [])];
  }

  /** Writes at once, without the adapter: a system event, or an event from another writer. */
  store(streamName: string, type: string, data: JSONType, metadata?: JSONType, id: string = randomUUID()): StoredRecord {
    const [record] = this.write(streamName, [{ id, type, data, metadata }]);
    this.index(record as StoredRecord);
    return record as StoredRecord;
  }

  /** Soft delete (DeleteStream): reads answer "not found"; a later write recreates the stream, revisions continuing. */
  async deleteStream(streamName: string): Promise<void> {
    const stream = this.streams.get(streamName);
    if (!stream || stream.tombstoned) throw StreamDeletedError.fromStreamName(streamName);
    stream.truncateBefore = BigInt(stream.records.length);
    stream.softDeleted = true;
    this.store(`$$${streamName}`, '$metadata', { $tb: Number(stream.truncateBefore) });
  }

  /** Hard delete (TombstoneStream): every later read or write of the stream fails with StreamDeletedError. */
  async tombstoneStream(streamName: string): Promise<void> {
    const stream = this.stream(streamName);
    stream.tombstoned = true;
    this.store(streamName, '$streamDeleted', {});
  }

  /**
   * Ends every live subscription as a lost connection, a server restart or a slow consumer does:
   * with an error, or (null) by simply ending the gRPC stream.
   */
  dropSubscriptions(error: Error | null): void {
    for (const subscription of [...this.subscriptions]) subscription.drop(error);
  }

  async appendToStream(streamName: string, events: EventData[], options: AppendToStreamOptions = {}): Promise<AppendResult> {
    this.calls.push({ method: 'appendToStream', args: [streamName, events, options] });
    const failure = this.failNextAppend;
    if (failure) {
      this.failNextAppend = undefined;
      throw failure;
    }
    this.checkAppendSize(events);
    // The server's writer is single-threaded: checks and writes happen one request at a time.
    const turn = this.writeQueue.then(() => this.commit(streamName, events, options.streamState ?? ANY));
    this.writeQueue = turn.catch(() => undefined);
    const outcome = await turn;
    switch (outcome.kind) {
      case 'dropped':
        await sleep(this.writeTimeoutMs);
        throw new DeadlineExceededError(undefined, 'Deadline exceeded: the server did not answer the write');
      case 'indexing':
        return outcome.answer;
      case 'answered':
        return outcome.result;
    }
  }

  readStream(streamName: string, options: ReadStreamOptions = {}): AsyncIterable<AllStreamResolvedEvent> {
    this.calls.push({ method: 'readStream', args: [streamName, options] });
    const failure = this.takeReadFailure();
    const backwards = options.direction === BACKWARDS;
    const from = options.fromRevision ?? (backwards ? END : START);
    const maxCount = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    return this.streamPages(streamName, failure, backwards, from, maxCount);
  }

  private async *streamPages(
    streamName: string,
    failure: Error | undefined,
    backwards: boolean,
    from: bigint | typeof START | typeof END,
    maxCount: number,
  ): AsyncGenerator<AllStreamResolvedEvent> {
    const pageSize = this.readPageSize;
    if (failure) throw failure;
    const stream = this.streams.get(streamName);
    if (stream?.tombstoned) throw StreamDeletedError.fromStreamName(streamName);
    const visible = (): StoredRecord[] =>
      stream ? stream.records.filter((record) => record.revision >= stream.truncateBefore && record.revision <= stream.indexedLast) : [];
    if (visible().length === 0) throw new StreamNotFoundError(undefined, streamName);
    let yielded = 0;
    let next: bigint | undefined = from === START || from === END ? undefined : from;
    while (yielded < maxCount) {
      // Each page is read when asked for, so writes made meanwhile may show up in later pages.
      const records = visible();
      const ordered = backwards ? records.reverse() : records;
      const cursor = next;
      const page = ordered
        .filter((record) => cursor === undefined || (backwards ? record.revision <= cursor : record.revision >= cursor))
        .slice(0, Math.min(pageSize, maxCount - yielded));
      if (page.length === 0) return;
      for (const record of page) yield { event: record, commitPosition: record.position.commit };
      yielded += page.length;
      const last = page.at(-1) as StoredRecord;
      next = backwards ? last.revision - 1n : last.revision + 1n;
      if (next < 0n) return;
      await sleep(0);
    }
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<AllStreamResolvedEvent> {
    this.calls.push({ method: 'readAll', args: [options] });
    const failure = this.takeReadFailure();
    const from = options.fromPosition ?? START;
    const maxCount = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const matches = compileFilter(options.filter);
    return this.allPages(failure, from, maxCount, matches);
  }

  private async *allPages(
    failure: Error | undefined,
    from: ReadAllOptions['fromPosition'],
    maxCount: number,
    matches: ((record: StoredRecord) => boolean) | undefined,
  ): AsyncGenerator<AllStreamResolvedEvent> {
    const pageSize = this.readPageSize;
    if (failure) throw failure;
    if (from === END || from === undefined) return;
    let index = from === START ? 0 : this.log.findIndex((record) => comparePositions(record.position, from) >= 0);
    if (index < 0) return;
    let yielded = 0;
    // A filtered read counts matching events only: maxCount is a number of matches, not of events scanned.
    while (yielded < maxCount) {
      let inPage = 0;
      while (inPage < pageSize && yielded < maxCount) {
        const record = this.log[index];
        if (!record || !this.isIndexed(record)) return;
        index += 1;
        if (matches && !matches(record)) continue;
        yield { event: record, commitPosition: record.position.commit };
        inPage += 1;
        yielded += 1;
      }
      await sleep(0);
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): KurrentDbAllSubscription {
    this.calls.push({ method: 'subscribeToAll', args: [options] });
    const from = options.fromPosition ?? START;
    const matches = compileFilter(options.filter);
    const self = { log: this.log, wakeups: this.wakeups, subscriptions: this.subscriptions, isIndexed: (record: StoredRecord) => this.isIndexed(record) };
    let open = true;
    let dropped: { readonly error: Error | null } | undefined;
    let wake: (() => void) | undefined;
    const handle = {
      drop(error: Error | null): void {
        dropped = { error };
        wake?.();
      },
    };
    this.subscriptions.add(handle);
    const iterate = async function* (): AsyncGenerator<AllStreamResolvedEvent> {
      try {
        // Subscriptions start after the given position, unlike reads.
        let index = from === START ? 0 : from === END ? self.log.length : self.log.findIndex((record) => comparePositions(record.position, from) > 0);
        if (index < 0) index = self.log.length;
        while (open) {
          if (dropped) {
            if (dropped.error) throw dropped.error;
            return;
          }
          const record = self.log[index];
          if (record && self.isIndexed(record)) {
            index += 1;
            if (!matches || matches(record)) yield { event: record, commitPosition: record.position.commit };
            continue;
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
            self.wakeups.add(resolve);
          });
          if (wake) self.wakeups.delete(wake);
        }
      } finally {
        self.subscriptions.delete(handle);
      }
    };
    const iterator = iterate();
    return {
      [Symbol.asyncIterator]: () => iterator,
      unsubscribe: async () => {
        if (this.unsubscribeLeavesIterationOpen) return;
        open = false;
        wake?.();
      },
    };
  }

  async setStreamMetadata(streamName: string, metadata: StreamMetadata, options?: SetStreamMetadataOptions): Promise<AppendResult> {
    this.calls.push({ method: 'setStreamMetadata', args: [streamName, metadata, options] });
    const record = this.store(`$$${streamName}`, '$metadata', { ...metadata });
    return { success: true, nextExpectedRevision: record.revision, position: record.position };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.dropSubscriptions(null);
  }

  /**
   * Streams.BatchAppend.cs refuses an append on receipt: an event whose `Event.SizeOnDisk` (data +
   * metadata bytes + twice the type's length) exceeds MaxAppendEventSize, or a whole append over
   * MaxAppendSize. Client 1.3.1 knows the second status (MaxAppendSizeExceededError) but not the
   * first, which it raises as `UnknownError("Could not recognize MaximumAppendEventSizeExceeded")`.
   */
  private checkAppendSize(events: readonly EventData[]): void {
    let total = 0;
    for (const event of events) {
      const bytes = (value: unknown): number => (value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value), 'utf8'));
      const size = bytes(event.data) + bytes(event.metadata) + event.type.length * 2;
      if (size > this.maxAppendEventSize) throw new UnknownError(undefined, 'Could not recognize MaximumAppendEventSizeExceeded');
      total += size;
    }
    if (total > this.maxAppendSize) throw MaxAppendSizeExceededError.fromMaxAppendSize(this.maxAppendSize);
  }

  private async commit(
    streamName: string,
    events: readonly EventData[],
    expected: AppendStreamState,
  ): Promise<WriteOutcome> {
    const stream = this.streams.get(streamName);
    if (stream?.tombstoned) throw StreamDeletedError.fromStreamName(streamName);
    const ids = events.map((event) => event.id.toLowerCase());
    const current = stream && stream.records.length > 0 ? BigInt(stream.records.length - 1) : NOT_FOUND;
    const decision = this.checkCommit(streamName, stream, current, expected, ids);
    switch (decision.kind) {
      case 'deleted':
        throw StreamDeletedError.fromStreamName(streamName);
      case 'wrong-expected-version': {
        if (this.throwOnAppendFailure) {
          throw new WrongExpectedVersionError(undefined, { streamName, expected, current: current === NOT_FOUND ? NO_STREAM : current });
        }
        // append.js reports the current revision (-1 for none); batchAppend.js reports
        // `BigInt(wrongExpectedVersion.hasCurrentStreamRevision())`: 1 for any existing stream.
        const reported = current === NOT_FOUND ? -1n : this.appendPath === 'batch' ? 1n : current;
        return { kind: 'answered', result: { success: false, nextExpectedRevision: reported, position: undefined } };
      }
      case 'idempotent-not-ready':
        // StorageWriterService: "just drop the write and wait for the client to retry".
        return { kind: 'dropped' };
      case 'idempotent':
        return { kind: 'answered', result: { success: true, nextExpectedRevision: decision.end, position: undefined } };
      case 'ok': {
        if (stream?.softDeleted) stream.softDeleted = false;
        const written = this.write(
          streamName,
          events.map((event) => ({ id: event.id, type: event.type, data: event.data as JSONType, metadata: event.metadata as JSONType | undefined })),
        );
        const last = written.at(-1);
        if (!last) return { kind: 'answered', result: { success: true, nextExpectedRevision: current, position: undefined } };
        // The answer comes once the write is indexed; the writer meanwhile takes the next request.
        const answer = sleep(this.indexDelayMs).then(() => {
          this.index(last);
          return { success: true, nextExpectedRevision: last.revision, position: this.reportedPosition(written) };
        });
        return { kind: 'indexing', answer };
      }
    }
  }

  /** IndexWriter.CheckCommit of KurrentDB v25.1.4, for one stream. */
  private checkCommit(
    streamName: string,
    stream: FakeStream | undefined,
    current: bigint,
    expected: AppendStreamState,
    ids: readonly string[],
  ): CommitDecision {
    const expectedNumber = expected === NO_STREAM ? NOT_FOUND : typeof expected === 'bigint' ? expected : undefined;
    if (current === NOT_FOUND) {
      return expected === ANY || expected === NO_STREAM ? { kind: 'ok' } : { kind: 'wrong-expected-version' };
    }
    if (expected === STREAM_EXISTS && stream?.softDeleted) return { kind: 'deleted' };
    if (expected === ANY || expected === STREAM_EXISTS) {
      // "idempotency checks" against _committedEvents, a bounded cache of recent writes
      let start: bigint | undefined;
      let end: bigint | undefined;
      for (const id of ids) {
        const known = this.committedEvents.get(id);
        if (known && known.streamId === streamName) {
          start ??= known.revision;
          end = known.revision;
          continue;
        }
        return start === undefined ? { kind: 'ok' } : { kind: 'wrong-expected-version' };
      }
      if (start === undefined || end === undefined) return { kind: 'ok' };
      return { kind: this.isReplicated(stream, end) ? 'idempotent' : 'idempotent-not-ready', start, end };
    }
    if (expectedNumber === undefined) return { kind: 'wrong-expected-version' };
    if (expectedNumber < current) {
      // Below the end: the ids must be the stored events at expected+1… (ReadPrepare), in order
      let revision = expectedNumber;
      for (const [i, id] of ids.entries()) {
        revision += 1n;
        if (stream?.records[Number(revision)]?.id === id) continue;
        if (i === 0 && expected === NO_STREAM && stream?.softDeleted) return { kind: 'ok' };
        return { kind: 'wrong-expected-version' };
      }
      if (ids.length === 0) return { kind: 'wrong-expected-version' };
      return { kind: this.isReplicated(stream, revision) ? 'idempotent' : 'idempotent-not-ready', start: expectedNumber + 1n, end: revision };
    }
    // After the end: WrongExpectedVersion. "// expectedVersion == currentVersion": Ok, with no look
    // at the ids at all (kurrent-io/KurrentDB#1898).
    return expectedNumber > current ? { kind: 'wrong-expected-version' } : { kind: 'ok' };
  }

  private isReplicated(stream: FakeStream | undefined, revision: bigint): boolean {
    return (stream?.indexedLast ?? NOT_FOUND) >= revision;
  }

  private stream(streamName: string): FakeStream {
    let stream = this.streams.get(streamName);
    if (!stream) {
      stream = { records: [], indexedLast: NOT_FOUND, truncateBefore: 0n, softDeleted: false, tombstoned: false };
      this.streams.set(streamName, stream);
    }
    return stream;
  }

  private write(streamName: string, events: readonly { id: string; type: string; data: JSONType; metadata: JSONType | undefined }[]): StoredRecord[] {
    const stream = this.stream(streamName);
    return events.map((event) => {
      const position = { commit: this.nextPosition, prepare: this.nextPosition };
      this.nextPosition += 100n;
      const record: StoredRecord = {
        streamId: streamName,
        // The server keeps a Guid and answers with its lowercase form, whatever case was sent.
        id: event.id.toLowerCase(),
        isJson: true,
        revision: BigInt(stream.records.length),
        type: event.type,
        created: this.now(),
        data: event.data,
        metadata: event.metadata,
        position,
      };
      stream.records.push(record);
      this.log.push(record);
      this.committedEvents.delete(record.id);
      this.committedEvents.set(record.id, { streamId: streamName, revision: record.revision });
      if (this.committedEvents.size > this.idempotencyCacheSize) {
        const oldest = this.committedEvents.keys().next().value;
        if (oldest !== undefined) this.committedEvents.delete(oldest);
      }
      return record;
    });
  }

  /** Makes the stream visible up to `record`, then lets the standard projections link it. */
  private index(record: StoredRecord): void {
    const stream = this.stream(record.streamId);
    if (stream.indexedLast < record.revision) stream.indexedLast = record.revision;
    if (this.standardProjections && !record.streamId.startsWith('$') && !record.type.startsWith('$')) {
      const category = record.streamId.split('-')[0] ?? record.streamId;
      const links: [string, string][] = [
        [`$ce-${category}`, `${record.revision}@${record.streamId}`],
        [`$et-${record.type}`, `${record.revision}@${record.streamId}`],
      ];
      if (record.revision === 0n) links.push(['$streams', `0@${record.streamId}`]);
      for (const [linkStream, target] of links) {
        const [link] = this.write(linkStream, [{ id: randomUUID(), type: '$>', data: target, metadata: undefined }]);
        if (link) this.stream(linkStream).indexedLast = link.revision;
      }
    }
    for (const wake of this.wakeups) wake();
  }

  private isIndexed(record: StoredRecord): boolean {
    return (this.streams.get(record.streamId)?.indexedLast ?? NOT_FOUND) >= record.revision;
  }

  private takeReadFailure(): Error | undefined {
    const failure = this.failNextRead;
    this.failNextRead = undefined;
    return failure;
  }

  private reportedPosition(written: readonly StoredRecord[]): Position | undefined {
    const first = written[0];
    const last = written.at(-1);
    if (!first || !last || this.appendPositionReport === 'none') return undefined;
    if (this.appendPositionReport === 'write-span') return { commit: last.position.commit, prepare: first.position.prepare };
    return last.position;
  }
}
