import type { RecalculationCause } from '@tieuchi/assessment/domain';
import { assertNever } from '@tieuchi/shared/kernel';
import { createHash } from 'node:crypto';

// Queue and job names are persisted in Redis (and in the read model): never rename them.
export const RECALCULATION_QUEUE = 'recalculation';
export type QueueName = typeof RECALCULATION_QUEUE;

/** What a run recalculates under: the version its period now pins and why. */
export interface RunTarget {
  readonly runId: string;
  readonly periodId: string;
  readonly frameworkId: string;
  /** The version the period pins after the amendment; the assessments' own version is the old one. */
  readonly toVersion: number;
  readonly cause: RecalculationCause;
}

/** One assessment of a run: its stream and unit. */
export interface RunAssessment {
  readonly streamName: string;
  readonly unitCode: string;
}

/**
 * Recomputes a few hundred of a run's assessments, in stream-name order: how a run is queued. Each
 * assessment keeps its own job id, row and outcome; one that fails in its batch goes on as a
 * recalculate-assessment job of its own, so the others are neither failed nor redone with it.
 */
export interface RecalculateBatchJob {
  readonly name: 'recalculate-batch';
  readonly data: RunTarget & { readonly assessments: readonly (RunAssessment & { readonly jobId: string })[] };
}

/** Recomputes one assessment (its job id is the one it has in its batch): one that failed in its batch, a retry by command, an in-process restart. */
export interface RecalculateAssessmentJob {
  readonly name: 'recalculate-assessment';
  readonly data: RunTarget &
    RunAssessment & {
      /** Attempts it already had in its batch, counted in the attempts a failure reports. */
      readonly attemptsBefore?: number;
    };
}

/** Assessments per batch job: one read of their kept inputs, their appends grouped into a few statements. */
export const ASSESSMENTS_PER_BATCH = 200;

/** A run's assessments, sorted by stream name, cut into consecutive batches. */
export function batchesOf<T>(sorted: readonly T[], perBatch = ASSESSMENTS_PER_BATCH): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < sorted.length; start += perBatch) batches.push(sorted.slice(start, start + perBatch));
  return batches;
}

/** Every job of the system; the exhaustive map below says which queue carries each. */
export type JobDefinition = RecalculateBatchJob | RecalculateAssessmentJob;
export type JobName = JobDefinition['name'];
export type JobData<N extends JobName> = Extract<JobDefinition, { name: N }>['data'];

export function queueOf(name: JobName): QueueName {
  switch (name) {
    case 'recalculate-batch':
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

/** The queue job of a run's batch, named by the batch's first assessment. */
export function recalculationBatchJobId(sourceEventId: string, firstStreamName: string): string {
  return `recalc-batch-${createHash('sha256').update(`${sourceEventId}\n${firstStreamName}`).digest('hex').slice(0, 40)}`;
}

/** A run is one amendment applied to one period: its id derives from the triggering event. */
export function recalculationRunId(sourceEventId: string): string {
  return `run-${createHash('sha256').update(sourceEventId).digest('hex').slice(0, 24)}`;
}
