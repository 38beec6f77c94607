import type { ReadAllResult, RecordedEvent, SubscribeOptions, Subscription, SubscriptionHandler } from '../event-store.port';
import { LockLostError } from '../event-store.errors';
import { CheckpointWaiters } from './checkpoint-waiters';
import { WakeSignal } from './wake-signal';

/** Where a subscription keeps its checkpoint between runs. */
export interface SubscriptionCheckpointStore {
  load(processorId: string): Promise<string | null>;
  save(processorId: string, checkpoint: string): Promise<void>;
}

export interface ExclusiveLock {
  readonly lost: boolean;
  release(): Promise<void>;
}

export interface PollingSubscriptionSource {
  readAll(fromCheckpoint: string | null, batchSize: number): Promise<ReadAllResult>;
  compareCheckpoints(a: string, b: string): number;
  readonly checkpoints: SubscriptionCheckpointStore;
  /** One active subscription per processor id; null while another holder has it (standby). */
  tryLock(processorId: string): Promise<ExclusiveLock | null>;
  /** Optional wake-up hint; polling remains the truth. */
  onAppended?(listener: () => void): () => void;
}

const defaults = { batchSize: 100, pollIntervalMs: 500 };
const defaultWaitTimeoutMs = 30_000;

/**
 * A subscription that polls the global feed from its stored checkpoint. The checkpoint is saved
 * after each batch (and up to the last handled event when the handler throws), so events are
 * delivered exactly once unless the process dies between a handler and the save.
 */
export class PollingSubscription implements Subscription {
  private readonly signal = new WakeSignal();
  private readonly waiters: CheckpointWaiters;
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(
    private readonly source: PollingSubscriptionSource,
    private readonly processorId: string,
    private readonly handler: SubscriptionHandler,
    private readonly options: SubscribeOptions = {},
  ) {
    this.waiters = new CheckpointWaiters((a, b) => source.compareCheckpoints(a, b));
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.signal.wake();
    await this.done;
  }

  waitFor(checkpoint: string, timeoutMs = defaultWaitTimeoutMs): Promise<void> {
    return this.waiters.waitFor(checkpoint, timeoutMs);
  }

  private async run(): Promise<void> {
    const batchSize = this.options.batchSize ?? defaults.batchSize;
    const pollIntervalMs = this.options.pollIntervalMs ?? defaults.pollIntervalMs;
    const unsubscribe = this.source.onAppended?.(() => this.signal.wake());
    let lock: ExclusiveLock | null = null;
    try {
      while (!this.stopped && !lock) {
        lock = await this.source.tryLock(this.processorId);
        if (!lock) await this.signal.wait(pollIntervalMs);
      }
      if (!lock) return;
      let checkpoint = (await this.source.checkpoints.load(this.processorId)) ?? this.options.startAfter ?? null;
      this.waiters.advance(checkpoint);
      while (!this.stopped) {
        if (lock.lost) throw new LockLostError(this.processorId);
        const { events } = await this.source.readAll(checkpoint, batchSize);
        const handled = await this.handleBatch(events);
        if (handled.checkpoint !== null && handled.checkpoint !== checkpoint) {
          await this.source.checkpoints.save(this.processorId, handled.checkpoint);
          checkpoint = handled.checkpoint;
          this.waiters.advance(checkpoint);
        }
        if (handled.failed) throw handled.error;
        if (events.length < batchSize) await this.signal.wait(pollIntervalMs);
      }
      this.waiters.stop();
    } catch (error) {
      this.waiters.stop(error);
      this.options.onError?.(error);
    } finally {
      unsubscribe?.();
      await lock?.release();
    }
  }

  private async handleBatch(events: readonly RecordedEvent[]): Promise<{ checkpoint: string | null; failed: boolean; error?: unknown }> {
    let checkpoint: string | null = null;
    for (const event of events) {
      if (this.stopped) break;
      try {
        await this.handler(event);
      } catch (error) {
        return { checkpoint, failed: true, error };
      }
      checkpoint = event.checkpoint;
    }
    return { checkpoint, failed: false };
  }
}
