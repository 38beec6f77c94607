import {
  ANY,
  BACKWARDS,
  END,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamJSONRecordedEvent,
  type AllStreamResolvedEvent,
  type AppendResult,
  type AppendToStreamOptions,
  type EventData,
  type JSONType,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SetStreamMetadataOptions,
  type StreamMetadata,
  type SubscribeToAllOptions,
} from '@kurrent/kurrentdb-client';
import { randomUUID } from 'node:crypto';
import type { KurrentDbAllSubscription, KurrentDbClientLike } from './kurrentdb-client.port';

type StoredRecord = AllStreamJSONRecordedEvent;

function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  return a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;
}

/**
 * An in-memory stand-in for KurrentDBClient at the method level, for unit tests: it keeps one log
 * ($all) and per-stream revisions, enforces stream state and event-id idempotence the way the
 * server does for the cases the adapter relies on, and records every call.
 */
export class FakeKurrentDbClient implements KurrentDbClientLike {
  readonly log: StoredRecord[] = [];
  readonly calls: { readonly method: string; readonly args: readonly unknown[] }[] = [];
  /**
   * What an append reports as its position: the last event's, none (as for an idempotent retry),
   * or one spanning the write (last commit, first prepare), which no single event carries.
   */
  appendPositionReport: 'last-event' | 'none' | 'write-span' = 'last-event';
  /** When set, the next append fails with this error before touching the log. */
  failNextAppend: Error | undefined;
  /** When true, unsubscribe() leaves a pending iteration hanging, as a cancelled gRPC stream may. */
  unsubscribeLeavesIterationOpen = false;
  disposed = false;
  private nextPosition = 1000n;
  private readonly wakeups = new Set<() => void>();

  streamEvents(streamName: string): StoredRecord[] {
    return this.log.filter((record) => record.streamId === streamName);
  }

  /** Writes without the adapter, e.g. a system event or an event from another writer. */
  store(streamName: string, type: string, data: JSONType, metadata?: JSONType, id: string = randomUUID()): StoredRecord {
    const revision = BigInt(this.streamEvents(streamName).length);
    const position = { commit: this.nextPosition, prepare: this.nextPosition };
    this.nextPosition += 100n;
    const record: StoredRecord = {
      streamId: streamName,
      id,
      isJson: true,
      revision,
      type,
      created: new Date('2026-01-02T03:04:05.000Z'),
      data,
      metadata,
      position,
    };
    this.log.push(record);
    for (const wake of this.wakeups) wake();
    return record;
  }

  async appendToStream(streamName: string, events: EventData[], options: AppendToStreamOptions = {}): Promise<AppendResult> {
    this.calls.push({ method: 'appendToStream', args: [streamName, events, options] });
    const failure = this.failNextAppend;
    if (failure) {
      this.failNextAppend = undefined;
      throw failure;
    }
    const existing = this.streamEvents(streamName);
    const first = events[0];
    const retried = first ? existing.findIndex((record) => record.id === first.id) : -1;
    if (retried >= 0) {
      const last = existing[retried + events.length - 1];
      // The server calls this corrupted idempotency and answers with a wrong expected version.
      if (!last || existing.slice(retried, retried + events.length).some((record, i) => record.id !== events[i]?.id)) {
        throw new WrongExpectedVersionError(undefined, { streamName, expected: options.streamState ?? ANY, current: BigInt(existing.length - 1) });
      }
      return { success: true, nextExpectedRevision: last.revision, position: this.reportedPosition(existing.slice(retried, retried + events.length)) };
    }
    const current = existing.length === 0 ? NO_STREAM : BigInt(existing.length - 1);
    const expected = options.streamState ?? ANY;
    const matches =
      expected === ANY ||
      (expected === NO_STREAM && current === NO_STREAM) ||
      (expected === STREAM_EXISTS && current !== NO_STREAM) ||
      expected === current;
    if (!matches) throw new WrongExpectedVersionError(undefined, { streamName, expected, current });
    const written = events.map((event) => this.store(streamName, event.type, event.data as JSONType, event.metadata as JSONType | undefined, event.id));
    const last = written.at(-1);
    if (!last) return { success: true, nextExpectedRevision: current === NO_STREAM ? -1n : current };
    return { success: true, nextExpectedRevision: last.revision, position: this.reportedPosition(written) };
  }

  private reportedPosition(written: readonly StoredRecord[]): Position | undefined {
    const first = written[0];
    const last = written.at(-1);
    if (!first || !last || this.appendPositionReport === 'none') return undefined;
    if (this.appendPositionReport === 'write-span') return { commit: last.position.commit, prepare: first.position.prepare };
    return last.position;
  }

  readStream(streamName: string, options: ReadStreamOptions = {}): AsyncIterable<AllStreamResolvedEvent> {
    this.calls.push({ method: 'readStream', args: [streamName, options] });
    const records = this.streamEvents(streamName);
    const backwards = options.direction === BACKWARDS;
    const from = options.fromRevision ?? (backwards ? END : START);
    const maxCount = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const ordered = backwards ? [...records].reverse() : records;
    const selected = ordered
      .filter((record) => from === START || from === END || (backwards ? record.revision <= from : record.revision >= from))
      .slice(0, maxCount);
    return (async function* () {
      if (records.length === 0) throw new StreamNotFoundError(undefined, streamName);
      for (const record of selected) yield { event: record, commitPosition: record.position.commit };
    })();
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<AllStreamResolvedEvent> {
    this.calls.push({ method: 'readAll', args: [options] });
    const from = options.fromPosition ?? START;
    const maxCount = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const filter = options.filter && 'regex' in options.filter ? new RegExp(options.filter.regex) : undefined;
    const selected = this.log
      .filter((record) => from === START || (from !== END && comparePositions(record.position, from) >= 0))
      .filter((record) => !filter || filter.test(record.type))
      .slice(0, maxCount);
    return (async function* () {
      for (const record of selected) yield { event: record, commitPosition: record.position.commit };
    })();
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): KurrentDbAllSubscription {
    this.calls.push({ method: 'subscribeToAll', args: [options] });
    const from = options.fromPosition ?? START;
    const filter = options.filter && 'regex' in options.filter ? new RegExp(options.filter.regex) : undefined;
    const log = this.log;
    const wakeups = this.wakeups;
    let open = true;
    let wake: (() => void) | undefined;
    const iterate = async function* (): AsyncGenerator<AllStreamResolvedEvent> {
      // Subscriptions start after the given position, unlike reads.
      let index = from === START ? 0 : log.findIndex((record) => from !== END && comparePositions(record.position, from) > 0);
      if (index < 0) index = log.length;
      while (open) {
        const record = log[index];
        if (record) {
          index += 1;
          if (!filter || filter.test(record.type)) yield { event: record, commitPosition: record.position.commit };
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          wakeups.add(resolve);
        });
        if (wake) wakeups.delete(wake);
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
  }
}
