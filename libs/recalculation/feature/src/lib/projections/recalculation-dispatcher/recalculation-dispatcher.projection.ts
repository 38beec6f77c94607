import { type AssessmentEvent, type AssessmentFacts, changesAnswers, foldAssessmentFacts, type RecalculationCause, statusAfter } from '@tieuchi/assessment/domain';
import type { PeriodEvent } from '@tieuchi/period/domain';
import {
  batchesOf,
  type KeptAssessment,
  RECALCULATION_SCHEMA,
  recalculationBatchJobId,
  recalculationJobId,
  recalculationMigrations,
  recalculationRunId,
  recalculationRuns,
  type StoredRunJob,
} from '@tieuchi/recalculation/data-access';
import type { HostedRunnerOptions } from '@tieuchi/shared/application';
import { BACKGROUND_GATHER_MS, type RecordedEvent, type SqlExecutor } from '@tieuchi/shared/event-store';
import type { JobQueue, QueuedJob } from '../../job-queue/job-queue.port';

export const RECALCULATION_DISPATCHER_ID = 'recalculation-dispatcher';

/**
 * The trigger is FrameworkVersionPinned on the period stream, not FrameworkAmended: an amendment
 * applies to a period only when the period pins the new version (a published 2018 period must not
 * move because 2019's thresholds changed), and the pin names the amendment (framework id, version,
 * decision) — so each run is one amendment × one period and its cause points at the pin event.
 */
export function recalculationDispatchHandler(queue: JobQueue) {
  return async (events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> => {
    let assessmentEvents: (RecordedEvent & AssessmentEvent)[] = [];
    for (const event of events) {
      if (event.streamName.startsWith('assessment-')) {
        assessmentEvents.push(event as RecordedEvent & AssessmentEvent);
      } else if (event.streamName.startsWith('period-')) {
        // A pin ranks what the assessments are at that point of the feed: keep them first.
        await keepAssessments(tx, assessmentEvents);
        assessmentEvents = [];
        await dispatchPeriodEvent(tx, queue, event as RecordedEvent & PeriodEvent);
      }
    }
    await keepAssessments(tx, assessmentEvents);
  };
}

/**
 * Folds a run of assessment events into what is kept per assessment, in one read and one write
 * for the whole run (catching up the national history is 2.3 million events), and settles the
 * jobs whose ScoresRecalculated are among them. The status is kept apart from the scoring inputs
 * because an assessment passed before the inputs were kept has none, and whether it is ranked
 * must still follow its events.
 */
async function keepAssessments(tx: SqlExecutor, events: readonly (RecordedEvent & AssessmentEvent)[]): Promise<void> {
  if (events.length === 0) return;
  const withAnswers = new Set(events.filter(changesAnswers).map((event) => event.streamName));
  const kept = await recalculationRuns.keptAssessments(tx, [...new Set(events.map((event) => event.streamName))], withAnswers);
  const runs = new Map<string, (RecordedEvent & AssessmentEvent)[]>();
  for (const event of events) {
    const run = runs.get(event.streamName);
    if (run) run.push(event);
    else runs.set(event.streamName, [event]);
  }
  const changed: KeptAssessment[] = [];
  for (const [stream, run] of runs) {
    const after = keptAfter(kept.get(stream), run);
    if (after) changed.push(after);
  }
  await recalculationRuns.keepAssessments(tx, changed);
  await recalculationRuns.settleRecorded(
    tx,
    events.flatMap((event) =>
      event.type === 'ScoresRecalculated' && event.data.cause.sourceEventId !== null ? [recalculationJobId(event.data.cause.sourceEventId, event.streamName)] : [],
    ),
  );
}

/** What is kept of one assessment after a run of its events; its inputs are folded once for the run. */
function keptAfter(before: KeptAssessment | undefined, run: readonly (RecordedEvent & AssessmentEvent)[]): KeptAssessment | undefined {
  let kept = before;
  let inputsBefore: AssessmentFacts | null = before?.inputs ?? null;
  let since: AssessmentEvent[] = [];
  // Moved as the run goes, and the kept row copied once at its end, not per event.
  let status = before?.status;
  let streamVersion = before?.streamVersion;
  for (const event of run) {
    if (event.type === 'AssessmentStarted') {
      const { periodId, unitCode, tier } = event.data;
      kept = { streamName: event.streamName, periodId, unitCode, tier, status: 'draft', streamVersion: event.version, inputs: null, answersRead: true };
      status = kept.status;
      streamVersion = kept.streamVersion;
      inputsBefore = null;
      since = [event];
      continue;
    }
    // Events of an assessment that was never started change nothing, as in evolveAssessment.
    if (!kept || status === undefined) continue;
    status = statusAfter(event, status) ?? status;
    streamVersion = event.version;
    since.push(event);
  }
  if (!kept || status === undefined || streamVersion === undefined) return undefined;
  // An assessment kept without inputs (passed before they were kept) stays without them until it starts again.
  const started = since[0]?.type === 'AssessmentStarted';
  return { ...kept, status, streamVersion, inputs: started || inputsBefore ? foldAssessmentFacts(inputsBefore, since) : null };
}

async function dispatchPeriodEvent(tx: SqlExecutor, queue: JobQueue, event: RecordedEvent & PeriodEvent): Promise<void> {
  if (event.type === 'PeriodPublished') {
    await recalculationRuns.setPeriodPublished(tx, event.data.periodId);
    return;
  }
  if (event.type !== 'FrameworkVersionPinned') return;
  const pin = event.data;
  const runId = recalculationRunId(event.id);
  const cause: RecalculationCause = {
    kind: 'framework_amended',
    frameworkId: pin.frameworkId,
    frameworkVersion: pin.version,
    decisionRef: pin.decisionRef,
    sourceEventId: event.id,
  };
  const target = { runId, periodId: pin.periodId, frameworkId: pin.frameworkId, toVersion: pin.version, cause };
  // In stream-name order: each batch job reads a range of neighbouring rows.
  const affected = await recalculationRuns.rankedAssessments(tx, pin.periodId);
  const assessments = affected.map((a) => ({ jobId: recalculationJobId(event.id, a.streamName), streamName: a.streamName, unitCode: a.unitCode }));
  // Each assessment keeps a job of its own in the run's rows, the one a retry enqueues.
  const jobs = assessments.map(({ jobId, ...assessment }): StoredRunJob => ({
    jobId,
    runId,
    streamName: assessment.streamName,
    job: { jobId, name: 'recalculate-assessment', data: { ...target, ...assessment } } satisfies QueuedJob,
  }));
  const batches = batchesOf(assessments).map(
    (batch): QueuedJob => ({ jobId: recalculationBatchJobId(event.id, batch[0]?.streamName ?? ''), name: 'recalculate-batch', data: { ...target, assessments: batch } }),
  );
  await recalculationRuns.recordRun(
    tx,
    {
      runId,
      periodId: pin.periodId,
      frameworkId: pin.frameworkId,
      fromVersion: pin.previousVersion,
      toVersion: pin.version,
      decisionRef: pin.decisionRef,
      cause: pin.cause,
      sourceEventId: event.id,
      provisional: await recalculationRuns.isPeriodPublished(tx, pin.periodId),
      total: jobs.length,
      createdAt: event.recordedAt,
    },
    jobs,
  );
  // Inside the transaction on purpose: if Redis refuses, the batch and its checkpoint roll back and
  // the runner retries; job ids are deterministic, so a retry after a partial enqueue adds nothing twice.
  await queue.enqueue(batches);
}

/**
 * The dispatcher's runner: a projection over the global feed with its own checkpoint in schema
 * `recalculation`, committed with the run rows. Its host restarts it when it gives up (Redis down
 * for longer than its retries), so the amendment is dispatched once Redis is back.
 */
export function recalculationDispatcher(queue: JobQueue, pollIntervalMs = 500): HostedRunnerOptions {
  return {
    projectionId: RECALCULATION_DISPATCHER_ID,
    schema: RECALCULATION_SCHEMA,
    migrations: [recalculationMigrations],
    handler: recalculationDispatchHandler(queue),
    // 10,000 events a batch while behind: at 1,000 a national catch-up left it about 15 s behind the other projections.
    catchUpBatchSize: 10_000,
    pollIntervalMs,
    gatherMs: BACKGROUND_GATHER_MS,
    maxAttempts: 4,
    retryDelayMs: 250,
  };
}
