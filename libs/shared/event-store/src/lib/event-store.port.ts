import type { EventMetadata } from '@tieuchi/shared/kernel';

/**
 * What the caller believes about the stream before appending:
 * a number (the version of the stream's last event; the first event is version 0),
 * `no_stream` (must not exist yet), `exists` (must have at least one event), `any` (no check).
 */
export type ExpectedVersion = number | 'no_stream' | 'exists' | 'any';

/** An event to append. The id makes the append idempotent: the same ids never write twice. */
export interface NewEvent<TData = unknown> {
  readonly id: string;
  readonly type: string;
  readonly data: TData;
  readonly metadata: EventMetadata;
}

/** An event as stored. `checkpoint` is opaque: pass it back to `readAll` to continue after it. */
export interface RecordedEvent<TData = unknown> {
  readonly id: string;
  readonly streamName: string;
  /** Position in its stream, from 0. */
  readonly version: number;
  readonly type: string;
  readonly data: TData;
  readonly metadata: EventMetadata;
  /** When the store recorded it (ISO-8601); `metadata.occurredAt` is when the command was issued. */
  readonly recordedAt: string;
  readonly checkpoint: string;
}

export interface AppendOptions {
  readonly expectedVersion: ExpectedVersion;
}

export interface AppendResult {
  /** The version of the stream's last event after the append: pass it as the next expectedVersion. */
  readonly nextExpectedVersion: number;
  /** Checkpoint of the last appended event, so a caller can wait for projections to reach it. */
  readonly checkpoint: string;
}

export interface ReadStreamOptions {
  /** Inclusive; defaults to 0 forwards and to the last event backwards. */
  readonly fromVersion?: number;
  readonly direction?: 'forwards' | 'backwards';
  readonly maxCount?: number;
}

export interface ReadAllResult {
  readonly events: readonly RecordedEvent[];
  /**
   * Where the next read continues: the last event's checkpoint, or further when the store read
   * past events it hides (KurrentDB's system and checkpoint events), or the one passed in when
   * nothing was read. A reader keeps it even when `events` is empty, so it never rescans them.
   */
  readonly checkpoint: string | null;
}

/** Handles one event of a subscription. Throwing stops the subscription; the event is retried on restart. */
export type SubscriptionHandler = (event: RecordedEvent) => Promise<void>;

export interface SubscribeOptions {
  /**
   * Where a processor with no stored checkpoint starts: after this checkpoint (null or omitted =
   * from the beginning of the feed). Ignored once the store holds a checkpoint for the processor.
   */
  readonly startAfter?: string | null;
  readonly batchSize?: number;
  /** Polling interval in ms when no notification arrives (polling is the truth, notifications a hint). */
  readonly pollIntervalMs?: number;
  /**
   * Called when the handler throws, or when the subscription cannot go on (a feed it could not
   * resume, a lost lock); the subscription stops after it. A store resumes a briefly dropped feed
   * by itself where it can (KurrentDB), so this is the loud end, not a hint.
   */
  readonly onError?: (error: unknown) => void;
}

export interface Subscription {
  /** Resolves once the current batch has finished and the subscription has stopped. */
  stop(): Promise<void>;
  /** Resolves when the subscription has processed everything up to `checkpoint`. */
  waitFor(checkpoint: string, timeoutMs?: number): Promise<void>;
}

/**
 * The event store port (ARCHITECTURE.md §2). One interface, three adapters (postgres, pglite,
 * kurrentdb), one contract suite that every adapter passes.
 */
export interface EventStore {
  appendToStream(streamName: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /** A stream that does not exist reads as an empty list. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** The global, gap-free ordered feed ("$all"), after `fromCheckpoint` (null = from the start). */
  readAll(fromCheckpoint: string | null, batchSize: number): Promise<ReadAllResult>;
  /**
   * Delivers every event after the processor's stored checkpoint, in global order, at least once
   * per crash and exactly once otherwise; the store keeps the checkpoint under `processorId`.
   */
  subscribe(processorId: string, handler: SubscriptionHandler, options?: SubscribeOptions): Subscription;
  /**
   * Orders two checkpoints of this store: negative when `a` comes before `b` in the global feed,
   * 0 when equal, positive after. Checkpoints stay opaque to callers; only the store that issued
   * them can compare them (a projection runner needs this to answer "has it caught up?").
   */
  compareCheckpoints(a: string, b: string): number;
  close(): Promise<void>;
}

/**
 * Optional capability of a store: a hint that events may have been appended (LISTEN/NOTIFY on
 * PostgreSQL). Readers still poll, because a hint can be lost; it only shortens the wait.
 */
export interface AppendNotifier {
  /** Registers a listener; returns the function that removes it. */
  onAppended(listener: () => void): () => void;
}

export function isAppendNotifier(value: unknown): value is AppendNotifier {
  return typeof value === 'object' && value !== null && typeof (value as Partial<AppendNotifier>).onAppended === 'function';
}
