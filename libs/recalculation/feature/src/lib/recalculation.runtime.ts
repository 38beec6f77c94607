import { RECALCULATION_QUEUE, recalculationRuns, type RunProgress } from '@tieuchi/recalculation/data-access';
import { CommandExecutor, ProjectionHost, runnerHosting, systemClock, type Clock } from '@tieuchi/shared/application';
import type { EventStore, SqlClient } from '@tieuchi/shared/event-store';
import { DomainError } from '@tieuchi/shared/kernel';
import { addQueueSource, jobOutcomesTotal } from '@tieuchi/shared/observability';
import { createHash } from 'node:crypto';
import type { BullMqJobQueue, BullMqJobQueueOptions } from './job-queue/bullmq-job-queue';
import { InProcessJobQueue } from './job-queue/in-process-job-queue';
import type { JobQueue, QueuedJob } from './job-queue/job-queue.port';
import { RecalculateAssessmentProcessor } from './jobs/recalculate-assessment/recalculate-assessment.processor';
import { recalculationDispatcher } from './projections/recalculation-dispatcher/recalculation-dispatcher.projection';

export interface RecalculationRuntimeOptions {
  readonly eventStore: EventStore;
  readonly database: SqlClient;
  readonly queue: JobQueue;
  readonly clock?: Clock;
  /** Run the dispatcher in this process (one is active at a time; others stand by); false only applies its tables. Default true. */
  readonly dispatcher?: boolean;
  /** Take jobs in this process. Default true. */
  readonly worker?: boolean;
  readonly pollIntervalMs?: number;
}

/**
 * Dispatcher, queue and processor wired together; the Nest module, a worker process and the tests
 * all start recalculation through this, so they run the same code.
 */
export class RecalculationRuntime {
  readonly dispatcher: ProjectionHost;
  readonly processor: RecalculateAssessmentProcessor;
  private removeQueueSource: () => void = () => undefined;

  constructor(private readonly options: RecalculationRuntimeOptions) {
    const executor = new CommandExecutor(options.eventStore, options.clock ?? systemClock);
    this.processor = new RecalculateAssessmentProcessor(executor, options.database, options.queue);
    const queue = options.queue;
    // Every process holding the queue reports its depth, the API too (its metrics are the ones usually scraped).
    if (queue.kind === 'bullmq') {
      const { bullQueue } = queue as BullMqJobQueue;
      this.removeQueueSource = addQueueSource(async () => [{ queue: RECALCULATION_QUEUE, counts: await bullQueue.getJobCounts() }]);
    }
    this.dispatcher = new ProjectionHost({
      name: 'RecalculationDispatcher',
      run: options.dispatcher !== false,
      ...runnerHosting(options.eventStore, options.database, () => recalculationDispatcher(queue, options.pollIntervalMs)),
    });
  }

  get queue(): JobQueue {
    return this.options.queue;
  }

  async start(): Promise<void> {
    await this.dispatcher.start();
    if (this.options.worker === false) return;
    const queueName = RECALCULATION_QUEUE;
    await this.options.queue.startWorker(async (job) => {
      try {
        await this.processor.run(job);
        jobOutcomesTotal.inc({ queue: queueName, name: job.name, outcome: 'completed' });
      } catch (error) {
        jobOutcomesTotal.inc({ queue: queueName, name: job.name, outcome: 'failed' });
        throw error;
      }
    });
    // An in-process queue forgets its jobs on a crash; the read model still lists them as unsettled.
    if (this.options.queue.kind === 'in_process' && this.options.dispatcher !== false) {
      const unsettled = await recalculationRuns.unsettledJobs(this.options.database).catch(() => []);
      await this.options.queue.enqueue(unsettled.map((row) => row.job as QueuedJob));
    }
  }

  async stop(): Promise<void> {
    this.removeQueueSource();
    await this.dispatcher.stop();
    await this.options.queue.close();
  }

  async progress(runId: string): Promise<RunProgress> {
    const progress = await recalculationRuns.progress(this.options.database, runId);
    if (!progress) throw runNotFound(runId);
    return progress;
  }

  /** A period's runs with their progress, oldest first. */
  async runsOf(periodId: string): Promise<RunProgress[]> {
    const runs = await recalculationRuns.runs(this.options.database, periodId);
    const progress = await Promise.all(runs.map((run) => recalculationRuns.progress(this.options.database, run.runId)));
    return progress.filter((run): run is RunProgress => run !== null);
  }

  /** Puts the run's failed jobs back in the queue; returns how many. */
  async retryFailed(runId: string): Promise<number> {
    if (!(await recalculationRuns.run(this.options.database, runId))) throw runNotFound(runId);
    const failed = await recalculationRuns.failedJobs(this.options.database, runId);
    // Marked queued first, so a retried job that finishes at once is not overwritten afterwards.
    await recalculationRuns.requeueJobs(
      this.options.database,
      failed.map((row) => row.jobId),
    );
    try {
      await this.options.queue.retry(failed.map((row) => row.job as QueuedJob));
    } catch (error) {
      const message = `RECALCULATION.RETRY_NOT_ENQUEUED: ${error instanceof Error ? error.message : String(error)}`;
      await recalculationRuns.settleJobs(
        this.options.database,
        failed.map((row) => ({ ...row, status: 'failed' as const, outcome: null, error: message, attempts: 0 })),
      );
      throw error;
    }
    return failed.length;
  }
}

export function runNotFound(runId: string): DomainError {
  return new DomainError('RECALCULATION.RUN_NOT_FOUND', 'not_found', `There is no recalculation run "${runId}".`, 'runId');
}

export interface QueueConfig {
  readonly redisUrl: string | undefined;
  /** Identifies the deployment's store, so a shared Redis keeps deployments apart. */
  readonly storeIdentity: string;
}

/** BullMQ when Redis is configured (loaded only then), else the in-process queue (embedded mode). */
export function createJobQueue(config: QueueConfig, overrides: Partial<BullMqJobQueueOptions> = {}): JobQueue {
  if (!config.redisUrl) return new InProcessJobQueue(overrides.retryPolicy, overrides.concurrency);
  const { BullMqJobQueue } = require('./job-queue/bullmq-job-queue') as typeof import('./job-queue/bullmq-job-queue');
  return new BullMqJobQueue({ redisUrl: config.redisUrl, prefix: queuePrefix(config.storeIdentity), ...overrides });
}

export function queuePrefix(storeIdentity: string): string {
  return `tieuchi-${createHash('sha256').update(storeIdentity).digest('hex').slice(0, 10)}`;
}
