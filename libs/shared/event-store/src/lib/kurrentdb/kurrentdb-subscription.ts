import { START, excludeSystemEvents, type AllStreamResolvedEvent } from '@kurrent/kurrentdb-client';
import type { RecordedEvent, Subscription, SubscriptionHandler } from '../event-store.port';
import { CheckpointWaiters } from '../reader/checkpoint-waiters';
import { compareKurrentDbPositions, decodeKurrentDbCheckpoint, encodeKurrentDbCheckpoint, type KurrentDbPosition } from './kurrentdb-checkpoint';
import type { KurrentDbAllSubscription, KurrentDbClientLike } from './kurrentdb-client.port';
import { kurrentDbPositionOf } from './kurrentdb-event-mapper';
import type { KurrentDbProcessorCheckpointStore } from './kurrentdb-processor-checkpoint.store';

export interface KurrentDbSubscriptionDeps {
  readonly client: KurrentDbClientLike;
  readonly checkpoints: KurrentDbProcessorCheckpointStore;
  readonly handler: SubscriptionHandler;
  /** Null for events the subscriber must not see (system events, checkpoint streams). */
  readonly toRecordedEvent: (resolved: AllStreamResolvedEvent) => RecordedEvent | null;
  readonly onError?: (error: unknown) => void;
  /** Where to start when the processor has no stored checkpoint yet (null: the beginning of $all). */
  readonly startAfter: KurrentDbPosition | null;
}

const DEFAULT_WAIT_TIMEOUT_MS = 30_000;

function compareCheckpoints(a: string, b: string): number {
  return compareKurrentDbPositions(decodeKurrentDbCheckpoint(a), decodeKurrentDbCheckpoint(b));
}

/**
 * A catch-up subscription to `$all` from the processor's stored checkpoint. KurrentDB has no
 * transaction spanning the handler's side effects and the checkpoint, so the checkpoint is saved
 * after every handled event: a crash redelivers at most the event that was in flight.
 */
export class KurrentDbSubscription implements Subscription {
  private readonly waiters = new CheckpointWaiters(compareCheckpoints);
  private processed: KurrentDbPosition | null = null;
  private stopping = false;
  private signalStop: () => void = () => undefined;
  private readonly stopped = new Promise<IteratorReturnResult<undefined>>((resolve) => {
    this.signalStop = () => resolve({ done: true, value: undefined });
  });
  private readonly done: Promise<void>;

  constructor(private readonly deps: KurrentDbSubscriptionDeps) {
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.signalStop();
    await this.done;
  }

  async waitFor(checkpoint: string, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS): Promise<void> {
    return this.waiters.waitFor(checkpoint, timeoutMs);
  }

  private advance(position: KurrentDbPosition): void {
    this.processed = position;
    this.waiters.advance(encodeKurrentDbCheckpoint(position));
  }

  private async run(): Promise<void> {
    const { client, checkpoints, handler, toRecordedEvent } = this.deps;
    let failure: unknown = undefined;
    let live: KurrentDbAllSubscription | undefined;
    let iterator: AsyncIterator<AllStreamResolvedEvent> | undefined;
    try {
      const from = (await checkpoints.load()) ?? this.deps.startAfter;
      if (from) this.advance(from);
      if (this.stopping) return;
      // Filtering system events on the server saves shipping $stats and friends to every subscriber.
      live = client.subscribeToAll({ fromPosition: from ?? START, filter: excludeSystemEvents() });
      iterator = live[Symbol.asyncIterator]();
      // Racing the stop signal: a cancelled gRPC stream is not guaranteed to end the iteration.
      for (;;) {
        const next = await Promise.race([iterator.next(), this.stopped]);
        if (next.done || this.stopping) break;
        const resolved = next.value;
        const position = kurrentDbPositionOf(resolved);
        // The server starts after the given position; the guard keeps a replayed event from being applied twice.
        if (!position || (this.processed && compareKurrentDbPositions(position, this.processed) <= 0)) continue;
        const event = toRecordedEvent(resolved);
        if (event) {
          await handler(event);
          await checkpoints.save(position);
        }
        this.advance(position);
      }
    } catch (error) {
      if (!this.stopping) {
        failure = error;
        this.deps.onError?.(error);
      }
    } finally {
      await live?.unsubscribe().catch(() => undefined);
      // Not awaited: with a read still pending, return() settles only once the stream ends.
      void iterator?.return?.().catch(() => undefined);
      this.waiters.stop(failure);
    }
  }
}
