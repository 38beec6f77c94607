import {
  BACKWARDS,
  END,
  FORWARDS,
  ErrorType,
  KurrentDBClient,
  START,
  excludeSystemEvents,
  type AllStreamResolvedEvent,
  type ReadPosition,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { DomainError } from '@tieuchi/shared/kernel';
import { InvalidEventError } from '../event-store.errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  ReadAllResult,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionHandler,
} from '../event-store.port';
import { validateAppend } from '../event-validation';
import type { UpcasterRegistry } from '../upcaster-registry';
import {
  compareKurrentDbPositions,
  decodeKurrentDbCheckpoint,
  encodeKurrentDbCheckpoint,
  isKnownKurrentDbPosition,
  type KurrentDbPosition,
} from './kurrentdb-checkpoint';
import type { KurrentDbClientLike } from './kurrentdb-client.port';
import { kurrentDbErrorType, toPortError } from './kurrentdb-errors';
import { fromKurrentDbResolvedEvent, kurrentDbPositionOf, toKurrentDbEventData } from './kurrentdb-event-mapper';
import { KurrentDbProcessorCheckpointStore } from './kurrentdb-processor-checkpoint.store';
import { isStreamNotFoundError, refusedAppendError, toKurrentDbStreamState, toVersionNumber } from './kurrentdb-stream-state';
import { KurrentDbSubscription } from './kurrentdb-subscription';

export type { KurrentDbClientLike } from './kurrentdb-client.port';

export interface KurrentDbEventStoreOptions {
  /** Lifts old event shapes on read; without one, events read as stored. */
  readonly upcasters?: UpcasterRegistry;
  /**
   * Streams holding subscription checkpoints are named `${prefix}${processorId}`. They are user
   * streams (KurrentDB reserves `$` names for admins), so readAll and subscribe hide them.
   */
  readonly checkpointStreamPrefix?: string;
  /**
   * Test hook, awaited before each append is sent. The contract suite's late-commit test delays
   * some writers with it; KurrentDB serializes writes on the server, so there is no commit to hold.
   */
  readonly beforeAppend?: () => Promise<void>;
  /** Sends of one append when the server drops it unanswered (DeadlineExceeded); default 3. */
  readonly appendAttempts?: number;
  /** Events one readAll call examines at most, hidden ones included; default 1000. */
  readonly readAllScanLimit?: number;
  /** Consecutive failed resubscriptions after which a dropped subscription stops and reports; default 8. */
  readonly resubscribeAttempts?: number;
  /** First wait before resubscribing, doubled after each failure up to 30 s; default 200 ms. */
  readonly resubscribeDelayMs?: number;
}

/**
 * `throwOnAppendFailure=false` makes the client resolve a refused append as `{ success: false }`.
 * The adapter treats that as a conflict anyway, but refuses the setting so no other code using
 * the same connection string can mistake a refusal for a write.
 */
function refuseUnsafeConnectionSettings(connectionString: string): void {
  const query = connectionString.split('?')[1] ?? '';
  for (const pair of query.split('&')) {
    const [key, value] = pair.split('=');
    if (key?.toLowerCase() === 'throwonappendfailure' && value?.toLowerCase() === 'false') {
      throw new InvalidEventError(
        'KURRENTDB_CONNECTION_STRING must not set throwOnAppendFailure=false: a refused append would read as a success',
        'KURRENTDB_CONNECTION_STRING',
      );
    }
  }
}

export const DEFAULT_KURRENTDB_CHECKPOINT_STREAM_PREFIX = 'tieuchi-checkpoint-';

function checkInteger(value: number, field: string, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new InvalidEventError(`${field} must be an integer >= ${min}, got ${value}`, field);
  }
}

/**
 * The event store port on KurrentDB (formerly EventStoreDB). Pass a connection string
 * (`kurrentdb://host:2113?tls=false`) to let the store own its client, or a client you own
 * (the real KurrentDBClient or a test fake); `close()` disposes only a client the store created.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly client: KurrentDbClientLike;
  private readonly ownsClient: boolean;
  private readonly checkpointStreamPrefix: string;
  private readonly hiddenStreamPrefixes: readonly string[];
  private readonly subscriptions = new Set<Subscription>();
  private readonly appendAttempts: number;
  private readonly readAllScanLimit: number;
  private readonly resubscribe: { readonly attempts: number; readonly initialDelayMs: number };

  constructor(
    connection: string | KurrentDbClientLike,
    private readonly options: KurrentDbEventStoreOptions = {},
  ) {
    this.ownsClient = typeof connection === 'string';
    if (typeof connection === 'string') refuseUnsafeConnectionSettings(connection);
    this.client = typeof connection === 'string' ? KurrentDBClient.connectionString(connection) : connection;
    this.appendAttempts = options.appendAttempts ?? 3;
    this.readAllScanLimit = options.readAllScanLimit ?? 1000;
    this.resubscribe = { attempts: options.resubscribeAttempts ?? 8, initialDelayMs: options.resubscribeDelayMs ?? 200 };
    this.checkpointStreamPrefix = options.checkpointStreamPrefix ?? DEFAULT_KURRENTDB_CHECKPOINT_STREAM_PREFIX;
    this.hiddenStreamPrefixes = [this.checkpointStreamPrefix];
  }

  async appendToStream(streamName: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    validateAppend(streamName, events, options.expectedVersion);
    const streamState = toKurrentDbStreamState(options.expectedVersion);
    await this.options.beforeAppend?.();
    const data = events.map(toKurrentDbEventData);
    for (let attempt = 1; ; attempt += 1) {
      try {
        const earlier = await this.findRetriedAppend(streamName, events, options.expectedVersion);
        if (earlier) return earlier;
        const result = await this.client.appendToStream(streamName, data, { streamState });
        // A client built with throwOnAppendFailure=false answers a conflict instead of throwing it.
        if (!result.success) throw await refusedAppendError(this.client, streamName, options.expectedVersion, result.nextExpectedRevision);
        const nextExpectedVersion = toVersionNumber(result.nextExpectedRevision);
        const position =
          events.length === 1 && isKnownKurrentDbPosition(result.position)
            ? result.position
            : await this.positionOfRevision(streamName, result.nextExpectedRevision);
        return { nextExpectedVersion, checkpoint: encodeKurrentDbCheckpoint(position) };
      } catch (error) {
        // The server drops an identical write while the first is being indexed and never answers
        // it (DeadlineExceeded after its write timeout). Sending the same ids at the same expected
        // version again is safe: it is written at most once, and then answered as already written.
        const type = kurrentDbErrorType(error);
        if ((type === ErrorType.DEADLINE_EXCEEDED || type === ErrorType.TIMEOUT) && attempt < this.appendAttempts) continue;
        throw toPortError(error, `an append to ${streamName}`, streamName);
      }
    }
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.fromVersion !== undefined) checkInteger(options.fromVersion, 'fromVersion', 0);
    if (options.maxCount !== undefined) checkInteger(options.maxCount, 'maxCount', 0);
    const direction = options.direction === 'backwards' ? BACKWARDS : FORWARDS;
    const fromRevision = options.fromVersion !== undefined ? BigInt(options.fromVersion) : direction === BACKWARDS ? END : START;
    if (options.maxCount === 0) return [];
    const events: RecordedEvent[] = [];
    try {
      const reads = this.client.readStream(streamName, {
        direction,
        fromRevision,
        ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
      });
      for await (const resolved of reads) {
        const event = this.toRecordedEvent(resolved, []);
        if (event) events.push(event);
      }
    } catch (error) {
      // A soft-deleted stream reads as not found too: it is empty until written again.
      if (isStreamNotFoundError(error)) return [];
      throw toPortError(error, `a read of ${streamName}`, streamName);
    }
    return events;
  }

  async readAll(fromCheckpoint: string | null, batchSize: number): Promise<ReadAllResult> {
    checkInteger(batchSize, 'batchSize', 1);
    let after: KurrentDbPosition | null = fromCheckpoint === null ? null : decodeKurrentDbCheckpoint(fromCheckpoint);
    const events: RecordedEvent[] = [];
    // Hidden events (checkpoint streams, links the filter lets through) can fill a page; keep
    // reading until the batch is full or $all ends, but examine a bounded number per call and
    // return a checkpoint past the hidden ones, so that a long run of them costs a reader some
    // calls and never the same scan again.
    const examineAtMost = Math.max(batchSize, this.readAllScanLimit);
    let examined = 0;
    try {
      while (events.length < batchSize && examined < examineAtMost) {
        const from: ReadPosition = after ?? START;
        // fromPosition is inclusive for reads, so ask for one more to make up for the event already seen.
        const maxCount = Math.min(batchSize - events.length, examineAtMost - examined) + (after ? 1 : 0);
        let read = 0;
        let progressed = false;
        // The server counts maxCount in events that pass the filter, so system events cost nothing here.
        for await (const resolved of this.client.readAll({ fromPosition: from, maxCount, filter: excludeSystemEvents() })) {
          read += 1;
          const position = kurrentDbPositionOf(resolved);
          if (!position || (after && compareKurrentDbPositions(position, after) <= 0)) continue;
          after = position;
          progressed = true;
          examined += 1;
          const event = this.toRecordedEvent(resolved, this.hiddenStreamPrefixes);
          if (event) events.push(event);
          if (events.length === batchSize || examined >= examineAtMost) break;
        }
        if (read < maxCount || !progressed) break;
      }
    } catch (error) {
      throw toPortError(error, 'a read of $all');
    }
    return { events, checkpoint: after ? encodeKurrentDbCheckpoint(after) : fromCheckpoint };
  }

  subscribe(processorId: string, handler: SubscriptionHandler, options: SubscribeOptions = {}): Subscription {
    const checkpoints = new KurrentDbProcessorCheckpointStore(this.client, `${this.checkpointStreamPrefix}${processorId}`);
    const subscription = new KurrentDbSubscription({
      client: this.client,
      checkpoints,
      handler,
      toRecordedEvent: (resolved) => this.toRecordedEvent(resolved, this.hiddenStreamPrefixes),
      startAfter: options.startAfter ? decodeKurrentDbCheckpoint(options.startAfter) : null,
      processorId,
      resubscribeAttempts: this.resubscribe.attempts,
      resubscribeDelayMs: this.resubscribe.initialDelayMs,
      ...(options.onError ? { onError: options.onError } : {}),
    });
    this.subscriptions.add(subscription);
    return {
      stop: async () => {
        this.subscriptions.delete(subscription);
        await subscription.stop();
      },
      waitFor: (checkpoint, timeoutMs) => subscription.waitFor(checkpoint, timeoutMs),
    };
  }

  compareCheckpoints(a: string, b: string): number {
    return compareKurrentDbPositions(decodeKurrentDbCheckpoint(a), decodeKurrentDbCheckpoint(b));
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    this.subscriptions.clear();
    if (this.ownsClient) await this.client.dispose();
  }

  private toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent, hidden: readonly string[]): RecordedEvent | null {
    const event = fromKurrentDbResolvedEvent(resolved, hidden);
    return event && this.options.upcasters ? this.options.upcasters.upcast(event) : event;
  }

  /**
   * An earlier append of exactly these events that ends where this one expects the stream to be.
   * The server checks ids only for writes expected below the stream's end: at the end it writes
   * them again (IndexWriter.CheckCommit, kurrent-io/KurrentDB#1898), so a retry that read the
   * stream after its first attempt landed would duplicate it. Costs one short read per append.
   * Events appended by others after the first attempt put it out of this check's reach (the
   * executor's Idempotency-Key check covers that case for commands).
   */
  private async findRetriedAppend(streamName: string, events: readonly NewEvent[], expected: AppendOptions['expectedVersion']): Promise<AppendResult | null> {
    if (expected === 'no_stream' || (typeof expected === 'number' && expected < events.length - 1)) return null;
    const fromRevision = typeof expected === 'number' ? BigInt(expected) : END;
    const stored: (ResolvedEvent | AllStreamResolvedEvent)[] = [];
    try {
      for await (const resolved of this.client.readStream(streamName, { direction: BACKWARDS, fromRevision, maxCount: events.length })) {
        stored.push(resolved);
      }
    } catch (error) {
      if (isStreamNotFoundError(error)) return null;
      throw error;
    }
    const ids = stored.map((resolved) => resolved.event?.id.toLowerCase()).reverse();
    if (ids.length !== events.length || events.some((event, i) => event.id.toLowerCase() !== ids[i])) return null;
    const last = stored[0];
    const position = last ? kurrentDbPositionOf(last) : undefined;
    if (!last?.event || !position) return null;
    if (typeof expected === 'number' && last.event.revision !== BigInt(expected)) return null;
    return { nextExpectedVersion: toVersionNumber(last.event.revision), checkpoint: encodeKurrentDbCheckpoint(position) };
  }

  /**
   * The checkpoint must equal the last event's own `$all` position, which is what readers compare
   * against. The server reports one position per write, which matches the event only for a
   * single-event write, and none for an idempotent retry; otherwise the stored event is asked.
   */
  private async positionOfRevision(streamName: string, revision: bigint): Promise<KurrentDbPosition> {
    for await (const resolved of this.client.readStream(streamName, { fromRevision: revision, maxCount: 1 })) {
      const position = kurrentDbPositionOf(resolved);
      if (position) return position;
    }
    throw new DomainError(
      'EVENT_STORE.POSITION_UNAVAILABLE',
      'internal',
      `KurrentDB reported no $all position for revision ${revision} of ${streamName}`,
    );
  }
}

export type CreateKurrentDbEventStoreOptions = KurrentDbEventStoreOptions &
  (
    | {
        /** e.g. AppConfig.kurrentdbConnectionString: `kurrentdb://localhost:2113?tls=false` */
        readonly connectionString: string;
      }
    | {
        /** A client the caller owns; it stays open when the store closes. */
        readonly client: KurrentDbClientLike;
      }
  );

/** The `kurrentdb` adapter, shaped like the SQL adapters' factories. Connecting is lazy: no I/O here. */
export async function createKurrentDbEventStore(options: CreateKurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
  return new KurrentDbEventStore('client' in options ? options.client : options.connectionString, options);
}
