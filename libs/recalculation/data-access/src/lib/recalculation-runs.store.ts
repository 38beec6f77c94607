import { RANKED_STATUSES } from '@tieuchi/assessment/domain';
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
  readonly failures: readonly { readonly jobId: string; readonly streamName: string; readonly error: string | null; readonly attempts: number }[];
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

export interface AffectedAssessment {
  readonly streamName: string;
  readonly periodId: string;
  readonly unitCode: string;
  readonly tier: string;
  readonly status: string;
}


export function runStatusOf(total: number, done: number, failed: number): RunStatus {
  if (done + failed >= total) return failed > 0 ? 'failed' : 'done';
  return done + failed === 0 ? 'queued' : 'running';
}

/** Reads and writes of the run read model; every method takes the executor it runs on. */
export const recalculationRuns = {
  async upsertAssessment(tx: SqlExecutor, row: AffectedAssessment): Promise<void> {
    await tx.query(
      `INSERT INTO ${s}.period_assessments (stream_name, period_id, unit_code, tier, status) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (stream_name) DO UPDATE SET status = EXCLUDED.status`,
      [row.streamName, row.periodId, row.unitCode, row.tier, row.status],
    );
  },

  async setAssessmentStatus(tx: SqlExecutor, streamName: string, status: string): Promise<void> {
    await tx.query(`UPDATE ${s}.period_assessments SET status = $2 WHERE stream_name = $1`, [streamName, status]);
  },

  async rankedAssessments(tx: SqlExecutor, periodId: string): Promise<AffectedAssessment[]> {
    const result = await tx.query<{ stream_name: string; period_id: string; unit_code: string; tier: string; status: string }>(
      `SELECT stream_name, period_id, unit_code, tier, status FROM ${s}.period_assessments
       WHERE period_id = $1 AND status = ANY($2::text[]) ORDER BY stream_name`,
      [periodId, `{${RANKED_STATUSES.join(',')}}`],
    );
    return result.rows.map((r) => ({ streamName: r.stream_name, periodId: r.period_id, unitCode: r.unit_code, tier: r.tier, status: r.status }));
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
    for (const job of jobs) {
      await tx.query(
        `INSERT INTO ${s}.run_jobs (job_id, run_id, stream_name, status, job) VALUES ($1, $2, $3, 'queued', $4::text::jsonb)
         ON CONFLICT (job_id) DO UPDATE SET job = COALESCE(run_jobs.job, EXCLUDED.job)`,
        [job.jobId, job.runId, job.streamName, JSON.stringify(job.job)],
      );
    }
  },

  /** A job's last word; a job counts once however often it ran. */
  async settleJob(
    db: SqlExecutor,
    job: RunJobRecord & { readonly status: JobStatus; readonly outcome: JobOutcome | null; readonly error: string | null; readonly attempts: number },
  ): Promise<void> {
    await db.query(
      `INSERT INTO ${s}.run_jobs (job_id, run_id, stream_name, status, outcome, error, attempts, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (job_id) DO UPDATE SET status = EXCLUDED.status, outcome = EXCLUDED.outcome, error = EXCLUDED.error,
         attempts = EXCLUDED.attempts, updated_at = now()`,
      [job.jobId, job.runId, job.streamName, job.status, job.outcome, job.error, job.attempts],
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
    const failures = await db.query<{ job_id: string; stream_name: string; error: string | null; attempts: number }>(
      `SELECT job_id, stream_name, error, attempts FROM ${s}.run_jobs WHERE run_id = $1 AND status = 'failed' ORDER BY stream_name`,
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
      failures: failures.rows.map((r) => ({ jobId: r.job_id, streamName: r.stream_name, error: r.error, attempts: Number(r.attempts) })),
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
