import { ReaderStoppedError, WaitTimeoutError } from '../event-store.errors';

interface Waiter {
  readonly target: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  readonly timer: NodeJS.Timeout;
}

/** The `waitFor(checkpoint)` bookkeeping shared by subscriptions and projection runners. */
export class CheckpointWaiters {
  private current: string | null = null;
  private failure: ReaderStoppedError | null = null;
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly compare: (a: string, b: string) => number) {}

  get checkpoint(): string | null {
    return this.current;
  }

  advance(checkpoint: string | null): void {
    this.current = checkpoint;
    if (checkpoint === null) return;
    for (const waiter of this.waiters) {
      if (this.compare(checkpoint, waiter.target) >= 0) this.settle(waiter, null);
    }
  }

  /** Rejects current and future waiters that the reader has not reached. */
  stop(failure?: unknown): void {
    for (const waiter of this.waiters) this.settle(waiter, new ReaderStoppedError(waiter.target, failure));
    this.failure = new ReaderStoppedError('', failure);
  }

  /** A reader that stopped can be started again (a projection runner after stop()). */
  restart(): void {
    this.failure = null;
  }

  waitFor(target: string, timeoutMs: number): Promise<void> {
    this.compare(target, target); // rejects a malformed target now rather than on every advance
    if (this.current !== null && this.compare(this.current, target) >= 0) return Promise.resolve();
    if (this.failure) return Promise.reject(new ReaderStoppedError(target, this.failure.failure));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        target,
        resolve,
        reject,
        timer: setTimeout(() => this.settle(waiter, new WaitTimeoutError(target, timeoutMs)), timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  private settle(waiter: Waiter, error: Error | null): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
    if (error) waiter.reject(error);
    else waiter.resolve();
  }
}
