import { Inject, Injectable } from '@nestjs/common';
import { READ_MODEL_DB } from '@tieuchi/shared/application';
import type { Principal } from '@tieuchi/shared/auth';
import type { SqlClient } from '@tieuchi/shared/event-store';

/**
 * What a signed-in person may do next, by role:
 * - `fill`: unit editors, their unit's drafts in an open period and assessments returned to it;
 * - `submit` / `resubmit`: unit leads, the same drafts and returned assessments;
 * - `review`: reviewers, submitted, resubmitted and under-review assessments they did not submit;
 * - `approve`: approvers, reviewed assessments they neither submitted nor reviewed (four eyes);
 * - `resolve_appeal`: reviewers, appealed assessments;
 * - `publish`: admins, periods whose self-assessment is closed.
 */
export const NEXT_ACTIONS = ['fill', 'submit', 'resubmit', 'review', 'approve', 'resolve_appeal', 'publish'] as const;

export type NextAction = (typeof NEXT_ACTIONS)[number];

export interface NextWorkItem {
  readonly action: NextAction;
  readonly periodId: string;
  /** Null for a period's own step (publish). */
  readonly unitCode: string | null;
  /** The assessment's status, or the period's for a period step. */
  readonly status: string;
  /** Since when it waits: submitted, reviewed or last changed; null when the read model has no time. */
  readonly since: string | null;
}

export interface NextWork {
  /** How many of each wait, all of them. */
  readonly counts: Readonly<Record<NextAction, number>>;
  /** The oldest of each (at most NEXT_WORK_ITEMS_PER_ACTION per action), action by action. */
  readonly items: readonly NextWorkItem[];
}

export const NEXT_WORK_ITEMS_PER_ACTION = 20;

interface Row {
  period_id: string;
  unit_code: string | null;
  status: string;
  since: string | null;
  total: string;
}

/**
 * Reads the assessment and period read models (the same rows the review queue and the period
 * lists show), so it follows the commands a moment later, as they do. The four-eyes exclusions
 * mirror the domain's; the domain still decides when the command is sent.
 */
@Injectable()
export class NextWorkQuery {
  constructor(@Inject(READ_MODEL_DB) private readonly database: SqlClient) {}

  async of(principal: Principal): Promise<NextWork> {
    const roles = new Set(principal.roles);
    const unit = principal.unitCode;
    const jobs: Promise<[NextAction, Row[]]>[] = [];
    const assessments = (action: NextAction, where: string, since: string, params: readonly string[]): void => {
      jobs.push(
        this.database
          .query<Row>(
            `SELECT s.period_id, s.unit_code, s.status, ${since} AS since, count(*) OVER () AS total
               FROM read_model.assessment_summaries s JOIN read_model.assessment_periods p USING (period_id)
              WHERE ${where}
              ORDER BY ${since} NULLS LAST, s.period_id, s.unit_code
              LIMIT ${NEXT_WORK_ITEMS_PER_ACTION}`,
            params,
          )
          .then(({ rows }) => [action, rows]),
      );
    };
    if (unit !== null && roles.has('unit_editor')) {
      assessments('fill', `s.unit_code = $1 AND ((s.status = 'draft' AND p.status = 'open') OR s.status = 'returned')`, 's.updated_at', [unit]);
    }
    if (unit !== null && roles.has('unit_lead')) {
      assessments('submit', `s.unit_code = $1 AND s.status = 'draft' AND p.status = 'open'`, 's.updated_at', [unit]);
      assessments('resubmit', `s.unit_code = $1 AND s.status = 'returned'`, 's.updated_at', [unit]);
    }
    // Province roles reach their province's periods, or every province with the national grant.
    const province = principal.national ? 'TRUE' : 'p.province_code = $1';
    const provinceParams = principal.national ? [principal.id] : [principal.provinceCode ?? '', principal.id];
    const me = principal.national ? '$1' : '$2';
    const mayProvince = principal.national || principal.provinceCode !== null;
    if (mayProvince && roles.has('reviewer')) {
      assessments('review', `${province} AND s.status IN ('submitted', 'resubmitted', 'under_review') AND NOT s.submitters ? ${me}`, 's.submitted_at', provinceParams);
      assessments('resolve_appeal', `${province} AND s.status = 'appealed' AND NOT s.submitters ? ${me}`, 's.updated_at', provinceParams);
    }
    if (mayProvince && roles.has('approver')) {
      assessments(
        'approve',
        `${province} AND s.status = 'reviewed' AND NOT s.submitters ? ${me} AND NOT s.reviewers ? ${me} AND s.reviewed_by IS DISTINCT FROM ${me}`,
        's.reviewed_at',
        provinceParams,
      );
    }
    if (mayProvince && roles.has('admin')) {
      jobs.push(
        this.database
          .query<Row>(
            `SELECT p.period_id, NULL AS unit_code, p.status, NULL AS since, count(*) OVER () AS total
               FROM read_model.assessment_periods p
              WHERE ${principal.national ? 'TRUE' : 'p.province_code = $1'} AND p.status = 'self_assessment_closed'
              ORDER BY p.year, p.period_id
              LIMIT ${NEXT_WORK_ITEMS_PER_ACTION}`,
            principal.national ? [] : [principal.provinceCode ?? ''],
          )
          .then(({ rows }) => ['publish', rows]),
      );
    }
    const answered = await Promise.all(jobs);
    const counts = Object.fromEntries(NEXT_ACTIONS.map((action) => [action, 0])) as Record<NextAction, number>;
    const items: NextWorkItem[] = [];
    for (const [action, rows] of answered) {
      counts[action] = Number(rows[0]?.total ?? 0);
      for (const row of rows) items.push({ action, periodId: row.period_id, unitCode: row.unit_code, status: row.status, since: row.since });
    }
    return { counts, items };
  }
}
