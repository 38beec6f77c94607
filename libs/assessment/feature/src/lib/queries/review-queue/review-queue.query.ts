import { Inject, Injectable } from '@nestjs/common';
import { READ_MODEL_DB, READ_MODEL_SCHEMA as S } from '@tieuchi/shared/application';
import { hasAnyRole, type Principal } from '@tieuchi/shared/auth';
import type { SqlClient } from '@tieuchi/shared/event-store';

export interface ReviewQueueItem {
  /** `review`: waiting for or under review; `approval`: reviewed, waiting for an approver. */
  readonly queue: 'review' | 'approval';
  readonly periodId: string;
  readonly unitCode: string;
  readonly tier: string;
  readonly status: string;
  readonly revision: number;
  readonly version: number;
  /** When the assessment joined this queue: its latest submission, or the completed review. */
  readonly waitingSince: string | null;
  readonly submittedBy: string | null;
  readonly reviewStartedBy: string | null;
  readonly reviewedBy: string | null;
}

export interface ReviewQueue {
  readonly items: readonly ReviewQueueItem[];
}

interface QueueRow {
  period_id: string;
  unit_code: string;
  tier: string;
  status: string;
  revision: number;
  stream_version: number;
  submitted_at: string | null;
  submitted_by: string | null;
  review_started_by: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
}

const columns = 'period_id, unit_code, tier, status, revision, stream_version, submitted_at, submitted_by, review_started_by, reviewed_by, reviewed_at';

/** Periods of the caller's province only; a null province (national accounts) passes every period. */
const IN_PROVINCE = (param: string): string => `(${param}::text IS NULL OR period_id IN (SELECT period_id FROM ${S}.assessment_periods WHERE province_code = ${param}))`;

function provinceOf(principal: Principal): string | null {
  return principal.national ? null : (principal.provinceCode ?? '');
}

/**
 * What waits for the caller, oldest first. Reviewers never see their own unit; approvers never
 * see an assessment they submitted or reviewed, which they could not approve anyway.
 */
@Injectable()
export class ReviewQueueQuery {
  constructor(@Inject(READ_MODEL_DB) private readonly database: SqlClient) {}

  async execute(principal: Principal, periodId: string | undefined): Promise<ReviewQueue> {
    const items: ReviewQueueItem[] = [];
    if (hasAnyRole(principal, ['reviewer'])) {
      const { rows } = await this.database.query<QueueRow>(
        `SELECT ${columns} FROM ${S}.assessment_summaries
         WHERE status IN ('submitted', 'resubmitted', 'under_review')
           AND ($1::text IS NULL OR unit_code <> $1) AND ($2::text IS NULL OR period_id = $2) AND ${IN_PROVINCE('$3')}
         ORDER BY submitted_at, period_id, unit_code`,
        [principal.unitCode, periodId ?? null, provinceOf(principal)],
      );
      items.push(...rows.map((row) => item('review', row, row.submitted_at)));
    }
    if (hasAnyRole(principal, ['approver'])) {
      const { rows } = await this.database.query<QueueRow>(
        `SELECT ${columns} FROM ${S}.assessment_summaries
         WHERE status = 'reviewed' AND NOT submitters ? $1 AND NOT reviewers ? $1 AND ($2::text IS NULL OR period_id = $2) AND ${IN_PROVINCE('$3')}
         ORDER BY reviewed_at, period_id, unit_code`,
        [principal.id, periodId ?? null, provinceOf(principal)],
      );
      items.push(...rows.map((row) => item('approval', row, row.reviewed_at)));
    }
    return { items };
  }
}

function item(queue: ReviewQueueItem['queue'], row: QueueRow, waitingSince: string | null): ReviewQueueItem {
  return {
    queue,
    periodId: row.period_id,
    unitCode: row.unit_code,
    tier: row.tier,
    status: row.status,
    revision: Number(row.revision),
    version: Number(row.stream_version),
    waitingSince,
    submittedBy: row.submitted_by,
    reviewStartedBy: row.review_started_by,
    reviewedBy: row.reviewed_by,
  };
}
