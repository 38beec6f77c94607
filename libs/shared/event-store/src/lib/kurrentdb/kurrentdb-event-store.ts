import {
  BACKWARDS,
  END,
  FORWARDS,
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
import { fromKurrentDbResolvedEvent, kurrentDbPositionOf, toKurrentDbEventData } from './kurrentdb-event-mapper';
import { KurrentDbProcessorCheckpointStore } from './kurrentdb-processor-checkpoint.store';
import {
  isStreamNotFoundError,
  isWrongExpectedVersionError,
  toKurrentDbConcurrencyError,
  toKurrentDbStreamState,
  toVersionNumber,
} from './kurrentdb-stream-state';
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

  constructor(
    connection: string | KurrentDbClientLike,
    private readonly options: KurrentDbEventStoreOptions = {},
  ) {
    this.ownsClient = typeof connection === 'string';
    this.client = typeof connection === 'string' ? KurrentDBClient.connectionString(connection) : connection;
    this.checkpointStreamPrefix = options.checkpointStreamPrefix ?? DEFAULT_KURRENTDB_CHECKPOINT_STREAM_PREFIX;
    this.hiddenStreamPrefixes = [this.checkpointStreamPrefix];
  }

  async appendToStream(streamName: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    validateAppend(streamName, events, options.expectedVersion);
    const streamState = toKurrentDbStreamState(options.expectedVersion);
    await this.options.beforeAppend?.();
    let result;
    try {
      result = await this.client.appendToStream(streamName, events.map(toKurrentDbEventData), { streamState });
    } catch (error) {
      if (isWrongExpectedVersionError(error)) throw toKurrentDbConcurrencyError(error, streamName);
      throw error;
    }
    const nextExpectedVersion = toVersionNumber(result.nextExpectedRevision);
    const position =
      events.length === 1 && isKnownKurrentDbPosition(result.position)
        ? result.position
        : await this.positionOfRevision(streamName, result.nextExpectedRevision);
    return { nextExpectedVersion, checkpoint: encodeKurrentDbCheckpoint(position) };
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
      if (isStreamNotFoundError(error)) return [];
      throw error;
    }
    return events;
  }

  async readAll(fromCheckpoint: string | null, batchSize: number): Promise<ReadAllResult> {
    checkInteger(batchSize, 'batchSize', 1);
    let after: KurrentDbPosition | null = fromCheckpoint === null ? null : decodeKurrentDbCheckpoint(fromCheckpoint);
    const events: RecordedEvent[] = [];
    // Hidden events (checkpoint streams) can fill a page, so keep reading until the batch is full or $all ends.
    while (events.length < batchSize) {
      const from: ReadPosition = after ?? START;
      // fromPosition is inclusive for reads, so ask for one more to make up for the event already seen.
      const maxCount = batchSize - events.length + (after ? 1 : 0);
      let read = 0;
      let progressed = false;
      for await (const resolved of this.client.readAll({ fromPosition: from, maxCount, filter: excludeSystemEvents() })) {
        read += 1;
        const position = kurrentDbPositionOf(resolved);
        if (!position || (after && compareKurrentDbPositions(position, after) <= 0)) continue;
        after = position;
        progressed = true;
        const event = this.toRecordedEvent(resolved, this.hiddenStreamPrefixes);
        if (event) events.push(event);
        if (events.length === batchSize) break;
      }
      if (read < maxCount || !progressed) break;
    }
    const last = events.at(-1);
    return { events, checkpoint: last ? last.checkpoint : fromCheckpoint };
  }

  subscribe(processorId: string, handler: SubscriptionHandler, options: SubscribeOptions = {}): Subscription {
    const checkpoints = new KurrentDbProcessorCheckpointStore(this.client, `${this.checkpointStreamPrefix}${processorId}`);
    const subscription = new KurrentDbSubscription({
      client: this.client,
      checkpoints,
      handler,
      toRecordedEvent: (resolved) => this.toRecordedEvent(resolved, this.hiddenStreamPrefixes),
      startAfter: options.startAfter ? decodeKurrentDbCheckpoint(options.startAfter) : null,
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
