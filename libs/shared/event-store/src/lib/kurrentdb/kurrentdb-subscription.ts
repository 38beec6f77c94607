import { START, excludeSystemEvents, type AllStreamResolvedEvent } from '@kurrent/kurrentdb-client';
import { SubscriptionDroppedError } from '../event-store.errors';
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
  readonly processorId: string;
  /** Consecutive resubscriptions that may fail (no event delivered in between) before it gives up. */
  readonly resubscribeAttempts: number;
  /** First wait before resubscribing; doubled after each consecutive failure, at most 30 s. */
  readonly resubscribeDelayMs: number;
}

const MAX_RESUBSCRIBE_DELAY_MS = 30_000;

/** The feed ended or failed under the subscription (network loss, server restart, slow consumer). */
interface FeedDropped {
  readonly error: unknown;
  readonly delivered: number;
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
    const { checkpoints, processorId, resubscribeAttempts, resubscribeDelayMs } = this.deps;
    let failure: unknown = undefined;
    try {
      const from = (await checkpoints.load()) ?? this.deps.startAfter;
      if (from) this.advance(from);
      let failedAttempts = 0;
      // A dropped feed resumes from the last handled event, so nothing is lost and the position
      // guard in follow() keeps anything replayed from being handled twice.
      while (!this.stopping) {
        const dropped = await this.follow(from);
        if (!dropped) break;
        failedAttempts = dropped.delivered > 0 ? 1 : failedAttempts + 1;
        if (failedAttempts > resubscribeAttempts) throw new SubscriptionDroppedError(processorId, resubscribeAttempts, dropped.error);
        const delay = Math.min(resubscribeDelayMs * 2 ** (failedAttempts - 1), MAX_RESUBSCRIBE_DELAY_MS);
        await Promise.race([new Promise((resolve) => setTimeout(resolve, delay)), this.stopped]);
      }
    } catch (error) {
      if (!this.stopping) {
        failure = error;
        this.deps.onError?.(error);
      }
    } finally {
      this.waiters.stop(failure);
    }
  }

  /**
   * Follows one live subscription until stop() (undefined) or until the feed fails or ends on
   * its own (FeedDropped). Handler and checkpoint failures are thrown: they stop the subscription.
   */
  private async follow(initial: KurrentDbPosition | null): Promise<FeedDropped | undefined> {
    const { client, checkpoints, handler, toRecordedEvent } = this.deps;
    const from = this.processed ?? initial;
    let live: KurrentDbAllSubscription | undefined;
    let iterator: AsyncIterator<AllStreamResolvedEvent> | undefined;
    let delivered = 0;
    try {
      // Filtering system events on the server saves shipping $stats and friends to every subscriber.
      live = client.subscribeToAll({ fromPosition: from ?? START, filter: excludeSystemEvents() });
      iterator = live[Symbol.asyncIterator]();
      // Racing the stop signal: a cancelled gRPC stream is not guaranteed to end the iteration.
      for (;;) {
        let next: IteratorResult<AllStreamResolvedEvent>;
        try {
          next = await Promise.race([iterator.next(), this.stopped]);
        } catch (error) {
          return this.stopping ? undefined : { error, delivered };
        }
        if (this.stopping) return undefined;
        if (next.done) return { error: new Error('the subscription ended without being stopped'), delivered };
        const resolved = next.value;
        const position = kurrentDbPositionOf(resolved);
        // The server starts after the given position; the guard keeps a replayed event from being applied twice.
        if (!position || (this.processed && compareKurrentDbPositions(position, this.processed) <= 0)) continue;
        const event = toRecordedEvent(resolved);
        if (event) {
          await handler(event);
          await checkpoints.save(position);
        }
        delivered += 1;
        this.advance(position);
      }
    } finally {
      await live?.unsubscribe().catch(() => undefined);
      // Not awaited: with a read still pending, return() settles only once the stream ends.
      void iterator?.return?.().catch(() => undefined);
    }
  }
}
