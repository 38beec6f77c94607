import type { JobData, JobName, RetryPolicy } from '@tieuchi/recalculation/data-access';

/** A job as enqueued: its deterministic id makes a repeated enqueue a no-op. */
export type QueuedJob = { [N in JobName]: { readonly jobId: string; readonly name: N; readonly data: JobData<N> } }[JobName];

/** One attempt at a job, as a processor sees it in BullMQ and in the in-process queue alike. */
export type JobAttempt = QueuedJob & {
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** No retry follows if this attempt throws: the job is then failed until retried by command. */
  readonly finalAttempt: boolean;
};

export type JobHandler = (job: JobAttempt) => Promise<void>;

/**
 * Where jobs wait: BullMQ on Redis, or in-process without Redis (embedded mode). Both dedupe by
 * job id, retry with exponential backoff and keep failed jobs until they are retried.
 */
export interface JobQueue {
  readonly kind: 'bullmq' | 'in_process';
  readonly retryPolicy: RetryPolicy;
  /** Throws when the queue cannot take the jobs (Redis down): the caller must not record them as enqueued. */
  enqueue(jobs: readonly QueuedJob[]): Promise<void>;
  /** Puts failed jobs back to wait; jobs the queue no longer knows are enqueued again from `jobs`. */
  retry(jobs: readonly QueuedJob[]): Promise<void>;
  /** Starts taking jobs with `handler` (one worker per process). */
  startWorker(handler: JobHandler): Promise<void>;
  /** Stops the worker after its current jobs and closes connections. */
  close(): Promise<void>;
}
