import { defaultRetryPolicy, type RetryPolicy } from '@tieuchi/recalculation/data-access';
import type { JobHandler, JobQueue, QueuedJob } from './job-queue.port';

interface Entry {
  readonly job: QueuedJob;
  state: 'waiting' | 'delayed' | 'active' | 'completed' | 'failed';
  attemptsMade: number;
  error: string | null;
  timer: NodeJS.Timeout | null;
}

/**
 * The embedded-mode queue: the same dedupe by job id, attempts and exponential backoff as the
 * BullMQ queue, in memory. What it loses on a crash the runtime re-enqueues at start from the
 * run read model (jobs not settled yet), so one process keeps the same guarantees.
 */
export class InProcessJobQueue implements JobQueue {
  readonly kind = 'in_process';
  private readonly entries = new Map<string, Entry>();
  private readonly waiting: Entry[] = [];
  private handler: JobHandler | null = null;
  private active = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly retryPolicy: RetryPolicy = defaultRetryPolicy,
    private readonly concurrency = 4,
  ) {}

  async enqueue(jobs: readonly QueuedJob[]): Promise<void> {
    for (const job of jobs) {
      if (this.entries.has(job.jobId)) continue;
      const entry: Entry = { job, state: 'waiting', attemptsMade: 0, error: null, timer: null };
      this.entries.set(job.jobId, entry);
      this.waiting.push(entry);
    }
    this.pump();
  }

  async retry(jobs: readonly QueuedJob[]): Promise<void> {
    for (const job of jobs) {
      const entry = this.entries.get(job.jobId);
      if (!entry) {
        await this.enqueue([job]);
      } else if (entry.state === 'failed') {
        entry.state = 'waiting';
        entry.attemptsMade = 0;
        entry.error = null;
        this.waiting.push(entry);
      }
    }
    this.pump();
  }

  async startWorker(handler: JobHandler): Promise<void> {
    this.handler = handler;
    this.pump();
  }

  /** The state of a job, for tests and diagnostics. */
  stateOf(jobId: string): { state: Entry['state']; attemptsMade: number; error: string | null } | undefined {
    const entry = this.entries.get(jobId);
    return entry && { state: entry.state, attemptsMade: entry.attemptsMade, error: entry.error };
  }

  /** Resolves when nothing is waiting, delayed or active. */
  async idle(): Promise<void> {
    if (this.isIdle()) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.entries.values()) if (entry.timer) clearTimeout(entry.timer);
    while (this.active > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  private isIdle(): boolean {
    return this.active === 0 && this.waiting.length === 0 && ![...this.entries.values()].some((e) => e.state === 'delayed');
  }

  private pump(): void {
    const handler = this.handler;
    if (!handler || this.closed) return;
    while (this.active < this.concurrency) {
      const entry = this.waiting.shift();
      if (!entry) break;
      this.active += 1;
      void this.runOnce(handler, entry).finally(() => {
        this.active -= 1;
        this.pump();
        if (this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
  }

  private async runOnce(handler: JobHandler, entry: Entry): Promise<void> {
    entry.state = 'active';
    entry.attemptsMade += 1;
    const finalAttempt = entry.attemptsMade >= this.retryPolicy.attempts;
    try {
      await handler({ ...entry.job, attempt: entry.attemptsMade, finalAttempt });
      entry.state = 'completed';
    } catch (error) {
      entry.error = error instanceof Error ? error.message : String(error);
      if (finalAttempt || this.closed) {
        entry.state = 'failed';
        return;
      }
      entry.state = 'delayed';
      entry.timer = setTimeout(
        () => {
          entry.timer = null;
          entry.state = 'waiting';
          this.waiting.push(entry);
          this.pump();
        },
        this.retryPolicy.backoffDelayMs * 2 ** (entry.attemptsMade - 1),
      );
    }
  }
}
