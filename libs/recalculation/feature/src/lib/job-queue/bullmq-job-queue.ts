import { RECALCULATION_QUEUE, defaultRetryPolicy, queueOf, type RetryPolicy } from '@tieuchi/recalculation/data-access';
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { JobAttempt, JobHandler, JobQueue, QueuedJob } from './job-queue.port';

export interface BullMqJobQueueOptions {
  readonly redisUrl: string;
  /** Namespaces the keys, so deployments (and test databases) sharing a Redis never see each other's jobs. */
  readonly prefix: string;
  readonly retryPolicy?: RetryPolicy;
  readonly concurrency?: number;
  /** An enqueue that takes longer fails, so the dispatcher's transaction is never held open by Redis. */
  readonly enqueueTimeoutMs?: number;
  /** Lock renewal of active jobs; a worker killed mid-job leaves a stalled job another worker takes after it. */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
}

// Completed jobs are kept a day so that an enqueue replayed after a crash still finds their id.
const keepCompletedSeconds = 24 * 3600;

export class BullMqJobQueue implements JobQueue {
  readonly kind = 'bullmq';
  readonly retryPolicy: RetryPolicy;
  private readonly producer: Redis;
  private readonly queue: Queue;
  private worker: Worker | null = null;
  private workerConnection: Redis | null = null;

  constructor(private readonly options: BullMqJobQueueOptions) {
    this.retryPolicy = options.retryPolicy ?? defaultRetryPolicy;
    // BullMQ needs the offline queue at start-up; enqueue checks the connection itself and times out,
    // so commands never pile up while Redis is down.
    this.producer = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
    this.producer.on('error', () => undefined);
    this.queue = new Queue(RECALCULATION_QUEUE, {
      connection: this.producer,
      prefix: options.prefix,
      skipWaitingForReady: true,
      defaultJobOptions: {
        attempts: this.retryPolicy.attempts,
        backoff: { type: 'exponential', delay: this.retryPolicy.backoffDelayMs },
        removeOnComplete: { age: keepCompletedSeconds },
        removeOnFail: false,
      },
    });
    this.queue.on('error', () => undefined);
  }

  /** The BullMQ queue, for bull-board and diagnostics. */
  get bullQueue(): Queue {
    return this.queue;
  }

  async enqueue(jobs: readonly QueuedJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.ensureConnected();
    for (const job of jobs) if (queueOf(job.name) !== RECALCULATION_QUEUE) throw new Error(`job ${job.name} belongs to another queue`);
    await withTimeout(
      this.queue.addBulk(jobs.map((job) => ({ name: job.name, data: job.data, opts: { jobId: job.jobId } }))),
      this.options.enqueueTimeoutMs ?? 5_000,
      'enqueue',
    );
  }

  async retry(jobs: readonly QueuedJob[]): Promise<void> {
    await this.ensureConnected();
    const missing: QueuedJob[] = [];
    for (const job of jobs) {
      const found = await this.queue.getJob(job.jobId);
      if (!found) missing.push(job);
      else if ((await this.queue.getJobState(job.jobId)) === 'failed') await (found as Job).retry('failed', { resetAttemptsMade: true });
    }
    await this.enqueue(missing);
  }

  async startWorker(handler: JobHandler): Promise<void> {
    const attempts = this.retryPolicy.attempts;
    this.workerConnection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    this.workerConnection.on('error', () => undefined);
    this.worker = new Worker(
      RECALCULATION_QUEUE,
      async (job: Job) => {
        const attempt = job.attemptsMade + 1;
        const jobAttempt = { jobId: job.id ?? '', name: job.name, data: job.data, attempt, finalAttempt: attempt >= (job.opts.attempts ?? attempts) } as JobAttempt;
        await handler(jobAttempt);
      },
      {
        connection: this.workerConnection,
        prefix: this.options.prefix,
        concurrency: this.options.concurrency ?? 16,
        lockDuration: this.options.lockDurationMs ?? 30_000,
        stalledInterval: this.options.stalledIntervalMs ?? 30_000,
        maxStalledCount: 3,
      },
    );
    this.worker.on('error', () => undefined);
  }

  async close(): Promise<void> {
    await this.worker?.close().catch(() => undefined);
    await this.queue.close().catch(() => undefined);
    this.workerConnection?.disconnect();
    this.producer.disconnect();
  }

  private async ensureConnected(timeoutMs = 2_000): Promise<void> {
    const status = (): string => this.producer.status;
    const deadline = Date.now() + timeoutMs;
    while (status() !== 'ready' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    if (status() !== 'ready') throw new Error(`Redis is not reachable (connection ${status()})`);
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
