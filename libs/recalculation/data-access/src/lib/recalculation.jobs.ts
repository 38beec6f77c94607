import type { RecalculationCause } from '@tieuchi/assessment/domain';
import { assertNever } from '@tieuchi/shared/kernel';
import { createHash } from 'node:crypto';

// Queue and job names are persisted in Redis (and in the read model): never rename them.
export const RECALCULATION_QUEUE = 'recalculation';
export type QueueName = typeof RECALCULATION_QUEUE;

/** Recomputes one assessment under the framework version a period now pins. */
export interface RecalculateAssessmentJob {
  readonly name: 'recalculate-assessment';
  readonly data: {
    readonly runId: string;
    readonly periodId: string;
    readonly unitCode: string;
    readonly streamName: string;
    readonly frameworkId: string;
    /** The version the period pins after the amendment; the assessment's own version is the old one. */
    readonly toVersion: number;
    readonly cause: RecalculationCause;
    /**
     * The stream names of the run's jobs enqueued with this one (the run's assessments in name
     * order, a few hundred at a time): a process reads their kept inputs together, once. Jobs
     * recorded without it read only their own.
     */
    readonly batch?: JobBatch;
  };
}

/** A run's jobs whose assessments' stream names fall in [first, last]. */
export interface JobBatch {
  readonly first: string;
  readonly last: string;
}

/** Jobs per batch: one read of kept inputs each, small enough to hold a few batches in memory. */
export const JOBS_PER_BATCH = 200;

/** The batch of each of a run's jobs, given their stream names in the order they are enqueued (sorted). */
export function jobBatches(sortedStreamNames: readonly string[], perBatch = JOBS_PER_BATCH): JobBatch[] {
  const batches: JobBatch[] = [];
  for (let start = 0; start < sortedStreamNames.length; start += perBatch) {
    const members = sortedStreamNames.slice(start, start + perBatch);
    const batch = { first: members[0] ?? '', last: members.at(-1) ?? '' };
    for (let i = 0; i < members.length; i += 1) batches.push(batch);
  }
  return batches;
}

/** Every job of the system; the exhaustive map below says which queue carries each. */
export type JobDefinition = RecalculateAssessmentJob;
export type JobName = JobDefinition['name'];
export type JobData<N extends JobName> = Extract<JobDefinition, { name: N }>['data'];

export function queueOf(name: JobName): QueueName {
  switch (name) {
    case 'recalculate-assessment':
      return RECALCULATION_QUEUE;
    default:
      return assertNever(name, 'job name');
  }
}

/** Attempts and backoff of each job: the same in BullMQ and in the in-process queue. */
export interface RetryPolicy {
  readonly attempts: number;
  /** Exponential: the n-th retry waits delayMs × 2^(n−1). */
  readonly backoffDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 5, backoffDelayMs: 1_000 };

/**
 * Deterministic, so that an enqueue repeated after a crash or a Redis outage adds nothing twice and
 * a retried job appends nothing twice. BullMQ job ids may not contain ':'.
 */
export function recalculationJobId(sourceEventId: string, streamName: string): string {
  return `recalc-${createHash('sha256').update(`${sourceEventId}\n${streamName}`).digest('hex').slice(0, 40)}`;
}

/** A run is one amendment applied to one period: its id derives from the triggering event. */
export function recalculationRunId(sourceEventId: string): string {
  return `run-${createHash('sha256').update(sourceEventId).digest('hex').slice(0, 24)}`;
}
