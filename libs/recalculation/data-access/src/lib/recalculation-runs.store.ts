import { type AssessmentFacts, RANKED_STATUSES, type AssessmentStatus, type ScoringInputs } from '@tieuchi/assessment/domain';
import type { SqlExecutor } from '@tieuchi/shared/event-store';
import { RECALCULATION_SCHEMA } from './recalculation.migrations';

const s = RECALCULATION_SCHEMA;

export type RunStatus = 'queued' | 'running' | 'done' | 'failed';
export type JobStatus = 'queued' | 'done' | 'failed';
/** `recalculated`: an event was appended; `already_recorded` / `superseded`: nothing to do. */
export type JobOutcome = 'recalculated' | 'already_recorded' | 'superseded';

export interface RunRecord {
  readonly runId: string;
  readonly periodId: string;
  readonly frameworkId: string;
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly decisionRef: string | null;
  readonly cause: string;
  readonly sourceEventId: string;
  /** True when the period was published: the result is a provisional correction until PeriodCorrected. */
  readonly provisional: boolean;
  readonly total: number;
  readonly createdAt: string;
}

export interface RunProgress extends RunRecord {
  readonly status: RunStatus;
  readonly done: number;
  readonly failed: number;
  readonly queued: number;
  readonly failures: readonly RunFailure[];
}

/** A job that failed, with the unit whose assessment it recalculates (null for a stream the run does not know as an assessment). */
export interface RunFailure {
  readonly jobId: string;
  readonly streamName: string;
  readonly unitCode: string | null;
  readonly error: string | null;
  readonly attempts: number;
}

export interface RunJobRecord {
  readonly jobId: string;
  readonly runId: string;
  readonly streamName: string;
}

/** A job row with the job as it was enqueued, so it can be enqueued again (retry, in-process restart). */
export interface StoredRunJob extends RunJobRecord {
  readonly job: unknown;
}

/** An assessment's scoring inputs as kept, and the version of its stream they are as of. */
/** How a job that appended nothing ended. */
export interface SettledJob extends RunJobRecord {
  readonly status: JobStatus;
  readonly outcome: JobOutcome | null;
  readonly error: string | null;
  readonly attempts: number;
}

/** What a recalculation reads of an assessment, as kept at `streamVersion`; its answers are read apart, only where scoring needs them. */
export interface KeptScoringInputs {
  readonly inputs: Omit<ScoringInputs, 'answers'> & Pick<AssessmentFacts, 'recalculatedParts'>;
  readonly streamVersion: number;
}

export interface AffectedAssessment {
  readonly streamName: string;
  readonly periodId: string;
  readonly unitCode: string;
  readonly tier: string;
  readonly status: string;
}


/**
 * What the dispatcher keeps per assessment: its status (whether it is ranked) and the scoring
 * inputs as of `streamVersion`, so a job need not fold the stream. `inputs` is null for an
 * assessment the dispatcher passed before it kept them. The answers are stored apart: when
 * `answersRead` is false they were not read (inputs.answers is empty) and are not written back.
 */
export interface KeptAssessment {
  readonly streamName: string;
  readonly periodId: string;
  readonly unitCode: string;
  readonly tier: string;
  readonly status: AssessmentStatus;
  readonly streamVersion: number;
  readonly inputs: AssessmentFacts | null;
  readonly answersRead: boolean;
}

interface KeptAssessmentRow {
  stream_name: string;
  period_id: string;
  unit_code: string;
  tier: string;
  status: AssessmentStatus;
  stream_version: string | null;
  inputs: Omit<AssessmentFacts, 'answers'> | null;
  answers: AssessmentFacts['answers'] | null;
}

const keptAssessmentOf = (row: KeptAssessmentRow, answersRead: boolean): KeptAssessment => ({
  streamName: row.stream_name,
  periodId: row.period_id,
  unitCode: row.unit_code,
  tier: row.tier,
  status: row.status,
  streamVersion: row.stream_version === null ? -1 : Number(row.stream_version),
  // Inputs whose answers should have been read and are missing are no inputs at all.
  inputs: row.inputs && (answersRead ? row.answers && factsOfRow(row, row.inputs, row.answers) : factsOfRow(row, row.inputs, {})),
  answersRead,
});

/** Inputs kept before they were the assessment's facts lack the fields a row holds anyway. */
const factsOfRow = (row: KeptAssessmentRow, inputs: Omit<AssessmentFacts, 'answers'>, answers: AssessmentFacts['answers']): AssessmentFacts => ({
  ...inputs,
  periodId: row.period_id,
  unitCode: row.unit_code,
  recalculatedParts: inputs.recalculatedParts ?? null,
  answers,
});

function withoutAnswers(inputs: AssessmentFacts): Omit<AssessmentFacts, 'answers'> {
  const { answers: _answers, ...rest } = inputs;
  return rest;
}

export function runStatusOf(total: number, done: number, failed: number): RunStatus {
  if (done + failed >= total) return failed > 0 ? 'failed' : 'done';
  return done + failed === 0 ? 'queued' : 'running';
}

/** Reads and writes of the run read model; every method takes the executor it runs on. */
export const recalculationRuns = {
  /** What is kept for these assessments, with the answers of those in `withAnswers` only. */
  async keptAssessments(tx: SqlExecutor, streamNames: readonly string[], withAnswers: ReadonlySet<string>): Promise<Map<string, KeptAssessment>> {
    const result = await tx.query<KeptAssessmentRow>(
      `SELECT stream_name, period_id, unit_code, tier, status, stream_version::text AS stream_version, inputs,
         CASE WHEN stream_name IN (SELECT jsonb_array_elements_text($2::text::jsonb)) THEN answers END AS answers
       FROM ${s}.period_assessments WHERE stream_name IN (SELECT jsonb_array_elements_text($1::text::jsonb))`,
      [JSON.stringify(streamNames), JSON.stringify([...withAnswers])],
    );
    return new Map(result.rows.map((row) => [row.stream_name, keptAssessmentOf(row, withAnswers.has(row.stream_name))]));
  },

  /** One statement for any number of assessments: the dispatcher follows every assessment event. */
  async keepAssessments(tx: SqlExecutor, rows: readonly KeptAssessment[]): Promise<void> {
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO ${s}.period_assessments (stream_name, period_id, unit_code, tier, status, stream_version, inputs, answers)
       SELECT r.stream_name, r.period_id, r.unit_code, r.tier, r.status, r.stream_version, r.inputs, r.answers
       FROM jsonb_to_recordset($1::text::jsonb)
         AS r(stream_name text, period_id text, unit_code text, tier text, status text, stream_version bigint, inputs jsonb, answers jsonb)
       ON CONFLICT (stream_name) DO UPDATE SET status = EXCLUDED.status, stream_version = EXCLUDED.stream_version, inputs = EXCLUDED.inputs,
         answers = CASE WHEN EXCLUDED.inputs IS NULL THEN NULL ELSE COALESCE(EXCLUDED.answers, period_assessments.answers) END`,
      [
        JSON.stringify(
          rows.map((row) => ({
            stream_name: row.streamName,
            period_id: row.periodId,
            unit_code: row.unitCode,
            tier: row.tier,
            status: row.status,
            stream_version: row.streamVersion,
            inputs: row.inputs && withoutAnswers(row.inputs),
            answers: row.inputs && row.answersRead ? row.inputs.answers : null,
          })),
        ),
      ],
    );
  },

  /**
   * The scoring inputs kept for these of the period's ranked assessments, without their answers, and
   * the stream version they are as of: what a batch of a run reads first, in one read. An assessment
   * whose inputs were never kept is left out (it is scored by folding its stream).
   */
  async keptScoringInputs(db: SqlExecutor, periodId: string, streamNames: readonly string[]): Promise<Map<string, KeptScoringInputs>> {
    const result = await db.query<Pick<KeptAssessmentRow, 'stream_name' | 'stream_version' | 'inputs'>>(
      `SELECT stream_name, stream_version::text AS stream_version, inputs FROM ${s}.period_assessments
       WHERE period_id = $1 AND stream_name IN (SELECT jsonb_array_elements_text($2::text::jsonb)) AND status = ANY($3::text[])
         AND inputs IS NOT NULL AND answers IS NOT NULL AND stream_version IS NOT NULL`,
      [periodId, JSON.stringify(streamNames), `{${RANKED_STATUSES.join(',')}}`],
    );
    const kept = new Map<string, KeptScoringInputs>();
    for (const row of result.rows) {
      if (row.inputs) kept.set(row.stream_name, { inputs: { ...row.inputs, recalculatedParts: row.inputs.recalculatedParts ?? null }, streamVersion: Number(row.stream_version) });
    }
    return kept;
  },

  /**
   * The answers kept for these assessments, of those still kept at the stream version given (the
   * version their other inputs were read at): about 5 KB each at national scale, so read only for
   * the assessments that are scored.
   */
  async keptAnswers(db: SqlExecutor, versions: ReadonlyMap<string, number>): Promise<Map<string, ScoringInputs['answers']>> {
    if (versions.size === 0) return new Map();
    const result = await db.query<{ stream_name: string; answers: ScoringInputs['answers'] }>(
      `SELECT p.stream_name, p.answers FROM ${s}.period_assessments p
       JOIN jsonb_to_recordset($1::text::jsonb) AS r(stream_name text, stream_version bigint)
         ON p.stream_name = r.stream_name AND p.stream_version = r.stream_version
       WHERE p.answers IS NOT NULL`,
      [JSON.stringify([...versions].map(([streamName, streamVersion]) => ({ stream_name: streamName, stream_version: streamVersion })))],
    );
    return new Map(result.rows.map((row) => [row.stream_name, row.answers]));
  },

  /** The period's ranked assessments: the recalculation's scope. */
  async rankedAssessments(tx: SqlExecutor, periodId: string): Promise<AffectedAssessment[]> {
    const result = await tx.query<Pick<KeptAssessmentRow, 'stream_name' | 'period_id' | 'unit_code' | 'tier' | 'status'>>(
      `SELECT stream_name, period_id, unit_code, tier, status
       FROM ${s}.period_assessments WHERE period_id = $1 AND status = ANY($2::text[]) ORDER BY stream_name`,
      [periodId, `{${RANKED_STATUSES.join(',')}}`],
    );
    return result.rows.map((row) => ({ streamName: row.stream_name, periodId: row.period_id, unitCode: row.unit_code, tier: row.tier, status: row.status }));
  },

  async setPeriodPublished(tx: SqlExecutor, periodId: string): Promise<void> {
    await tx.query(
      `INSERT INTO ${s}.period_status (period_id, published) VALUES ($1, true) ON CONFLICT (period_id) DO UPDATE SET published = true`,
      [periodId],
    );
  },

  async isPeriodPublished(tx: SqlExecutor, periodId: string): Promise<boolean> {
    const result = await tx.query<{ published: boolean }>(`SELECT published FROM ${s}.period_status WHERE period_id = $1`, [periodId]);
    return result.rows[0]?.published ?? false;
  },

  /** Idempotent: a batch replayed after a rollback records the run and its jobs once. */
  async recordRun(tx: SqlExecutor, run: RunRecord, jobs: readonly StoredRunJob[]): Promise<void> {
    await tx.query(
      `INSERT INTO ${s}.runs (run_id, period_id, framework_id, from_version, to_version, decision_ref, cause, source_event_id, provisional, total, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (run_id) DO NOTHING`,
      [run.runId, run.periodId, run.frameworkId, run.fromVersion, run.toVersion, run.decisionRef, run.cause, run.sourceEventId, run.provisional, run.total, run.createdAt],
    );
    if (jobs.length === 0) return;
    // One statement for the whole run: a national period has about 11,000 jobs.
    await tx.query(
      `INSERT INTO ${s}.run_jobs (job_id, run_id, stream_name, status, job)
       SELECT r.job_id, r.run_id, r.stream_name, 'queued', r.job
       FROM jsonb_to_recordset($1::text::jsonb) AS r(job_id text, run_id text, stream_name text, job jsonb)
       ON CONFLICT (job_id) DO UPDATE SET job = COALESCE(run_jobs.job, EXCLUDED.job)`,
      [JSON.stringify(jobs.map((job) => ({ job_id: job.jobId, run_id: job.runId, stream_name: job.streamName, job: job.job })))],
    );
  },

  /**
   * Jobs whose ScoresRecalculated the dispatcher has seen in the feed: the event is the proof, so
   * a job that appends settles with it, in the dispatcher's batch, and not with a write of its own.
   */
  async settleRecorded(tx: SqlExecutor, jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) return;
    await tx.query(
      `UPDATE ${s}.run_jobs SET status = 'done', outcome = 'recalculated', error = NULL, updated_at = now()
       WHERE job_id IN (SELECT jsonb_array_elements_text($1::text::jsonb)) AND status <> 'done'`,
      [JSON.stringify(jobIds)],
    );
  },

  /** The last word of jobs that appended nothing (skipped, or failed); a job counts once however often it ran. */
  async settleJobs(db: SqlExecutor, jobs: readonly SettledJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await db.query(
      `INSERT INTO ${s}.run_jobs (job_id, run_id, stream_name, status, outcome, error, attempts, updated_at)
       SELECT r.job_id, r.run_id, r.stream_name, r.status, r.outcome, r.error, r.attempts, now()
       FROM jsonb_to_recordset($1::text::jsonb) AS r(job_id text, run_id text, stream_name text, status text, outcome text, error text, attempts int)
       ON CONFLICT (job_id) DO UPDATE SET status = EXCLUDED.status, outcome = EXCLUDED.outcome, error = EXCLUDED.error,
         attempts = EXCLUDED.attempts, updated_at = now()`,
      [
        JSON.stringify(
          jobs.map((job) => ({
            job_id: job.jobId,
            run_id: job.runId,
            stream_name: job.streamName,
            status: job.status,
            outcome: job.outcome,
            error: job.error,
            attempts: job.attempts,
          })),
        ),
      ],
    );
  },

  async failedJobs(db: SqlExecutor, runId: string): Promise<StoredRunJob[]> {
    const result = await db.query<JobRow>(
      `SELECT job_id, run_id, stream_name, job FROM ${s}.run_jobs WHERE run_id = $1 AND status = 'failed' ORDER BY job_id`,
      [runId],
    );
    return result.rows.map(toStoredJob);
  },

  async requeueJobs(db: SqlExecutor, jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) return;
    await db.query(`UPDATE ${s}.run_jobs SET status = 'queued', error = NULL, updated_at = now() WHERE job_id = ANY($1::text[])`, [
      `{${jobIds.join(',')}}`,
    ]);
  },

  /** Jobs not settled yet, oldest run first: what an in-process queue picks up again after a restart. */
  async unsettledJobs(db: SqlExecutor): Promise<StoredRunJob[]> {
    const result = await db.query<JobRow>(
      `SELECT j.job_id, j.run_id, j.stream_name, j.job FROM ${s}.run_jobs j JOIN ${s}.runs r USING (run_id)
       WHERE j.status = 'queued' ORDER BY r.created_at, j.job_id`,
    );
    return result.rows.map(toStoredJob);
  },

  async run(db: SqlExecutor, runId: string): Promise<RunRecord | null> {
    const result = await db.query<RunRow>(`SELECT * FROM ${s}.runs WHERE run_id = $1`, [runId]);
    const row = result.rows[0];
    return row ? toRunRecord(row) : null;
  },

  async runs(db: SqlExecutor, periodId?: string): Promise<RunRecord[]> {
    const result = periodId
      ? await db.query<RunRow>(`SELECT * FROM ${s}.runs WHERE period_id = $1 ORDER BY created_at, run_id`, [periodId])
      : await db.query<RunRow>(`SELECT * FROM ${s}.runs ORDER BY created_at, run_id`);
    return result.rows.map(toRunRecord);
  },

  async progress(db: SqlExecutor, runId: string): Promise<RunProgress | null> {
    const run = await this.run(db, runId);
    if (!run) return null;
    const counts = await db.query<{ status: JobStatus; n: string | number }>(
      `SELECT status, count(*) AS n FROM ${s}.run_jobs WHERE run_id = $1 GROUP BY status`,
      [runId],
    );
    const count = (status: JobStatus) => Number(counts.rows.find((r) => r.status === status)?.n ?? 0);
    const failures = await db.query<{ job_id: string; stream_name: string; unit_code: string | null; error: string | null; attempts: number }>(
      `SELECT j.job_id, j.stream_name, a.unit_code, j.error, j.attempts FROM ${s}.run_jobs j LEFT JOIN ${s}.period_assessments a USING (stream_name)
       WHERE j.run_id = $1 AND j.status = 'failed' ORDER BY j.stream_name`,
      [runId],
    );
    const done = count('done');
    const failed = count('failed');
    return {
      ...run,
      status: runStatusOf(run.total, done, failed),
      done,
      failed,
      queued: count('queued'),
      failures: failures.rows.map((r) => ({ jobId: r.job_id, streamName: r.stream_name, unitCode: r.unit_code, error: r.error, attempts: Number(r.attempts) })),
    };
  },
};

interface RunRow {
  run_id: string;
  period_id: string;
  framework_id: string;
  from_version: number;
  to_version: number;
  decision_ref: string | null;
  cause: string;
  source_event_id: string;
  provisional: boolean;
  total: number;
  created_at: string | Date;
}

function toRunRecord(row: RunRow): RunRecord {
  return {
    runId: row.run_id,
    periodId: row.period_id,
    frameworkId: row.framework_id,
    fromVersion: Number(row.from_version),
    toVersion: Number(row.to_version),
    decisionRef: row.decision_ref,
    cause: row.cause,
    sourceEventId: row.source_event_id,
    provisional: row.provisional,
    total: Number(row.total),
    createdAt: row.created_at instanceof Date ? row.created_at.toISOString() : new Date(row.created_at).toISOString(),
  };
}

interface JobRow {
  job_id: string;
  run_id: string;
  stream_name: string;
  job: unknown;
}

function toStoredJob(row: JobRow): StoredRunJob {
  return { jobId: row.job_id, runId: row.run_id, streamName: row.stream_name, job: typeof row.job === 'string' ? JSON.parse(row.job) : row.job };
}
