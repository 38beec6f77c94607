import { Inject, Injectable } from '@nestjs/common';
import { ASSESSMENT_SUMMARY_PROJECTION_ID } from '@tieuchi/assessment/data-access';
import { type AssessmentStatus, statusWithPeriod } from '@tieuchi/assessment/domain';
import { periodWindow, type PeriodWindow } from '@tieuchi/period/domain';
import { READ_MODEL_DB, READ_MODEL_SCHEMA as S, ReadAfter } from '@tieuchi/shared/application';
import { hasAnyRole, type Principal } from '@tieuchi/shared/auth';
import type { SqlClient } from '@tieuchi/shared/event-store';
import { isDomainError } from '@tieuchi/shared/kernel';
import { AssessmentContextLoader } from '../../assessment-context.loader';
import type { ListPeriodAssessmentsQueryDto, PeriodAssessmentListDto } from './list-period-assessments.dto';

interface Row {
  period_id: string;
  unit_code: string;
  tier: string;
  status: string;
  revision: number;
  stream_version: number;
  submitted_at: string | null;
  approved_at: string | null;
  updated_at: string;
}

const STAFF = ['reviewer', 'approver', 'admin', 'auditor'] as const;

/**
 * A period's assessments by unit code. Staff see every submitted one (drafts are the unit's own
 * business, as in the detail view); unit users see their own unit's, draft included.
 */
@Injectable()
export class ListPeriodAssessmentsQuery {
  constructor(
    @Inject(READ_MODEL_DB) private readonly database: SqlClient,
    private readonly readAfter: ReadAfter,
    private readonly contexts: AssessmentContextLoader,
  ) {}

  async execute(periodId: string, filter: ListPeriodAssessmentsQueryDto, principal: Principal): Promise<PeriodAssessmentListDto> {
    await this.readAfter.waitFor(ASSESSMENT_SUMMARY_PROJECTION_ID, filter.after);
    const limit = filter.limit ?? 100;
    // Staff roles count in the period's own province only (or everywhere for national accounts).
    const inProvince =
      principal.national ||
      (await this.database.query(`SELECT 1 FROM ${S}.assessment_periods WHERE period_id = $1 AND province_code = $2`, [periodId, principal.provinceCode ?? ''])).rows.length > 0;
    const staff = inProvince && hasAnyRole(principal, [...STAFF]);
    const ownUnit = staff ? null : (principal.unitCode ?? '-');
    // Publication is one moment (R-PUBLISHED): an approved assessment its period's decision covers is
    // listed as published, and found under that status, before the process records it on its stream.
    const period = await this.periodWindowOf(periodId);
    const statuses = filter.status === 'published' && period?.publication ? ['published', 'approved'] : filter.status ? [filter.status] : null;
    const { rows } = await this.database.query<Row>(
      `SELECT period_id, unit_code, tier, status, revision, stream_version, submitted_at, approved_at, updated_at FROM ${S}.assessment_summaries
       WHERE period_id = $1 AND ($2::text IS NULL OR tier = $2) AND ($3::text IS NULL OR status IN (SELECT jsonb_array_elements_text($3::text::jsonb))) AND ($4::text IS NULL OR unit_code = $4)
         AND ($5::text IS NULL OR unit_code > $5)
         AND (($6::text IS NULL AND status <> 'draft') OR unit_code = $6)
       ORDER BY unit_code LIMIT $7`,
      [periodId, filter.tier ?? null, statuses && JSON.stringify(statuses), filter.unitCode ?? null, filter.cursor ?? null, ownUnit, limit + 1],
    );
    const page = rows.slice(0, limit);
    const shown = page.map((row) => ({
      row,
      status: statusWithPeriod({ status: row.status as AssessmentStatus, unitCode: row.unit_code, approval: row.approved_at === null ? null : { at: row.approved_at } }, period),
    }));
    return {
      // The cursor follows the rows read, so a row the status filter drops here never stops the paging.
      items: shown.filter(({ status }) => filter.status === undefined || status === filter.status).map(({ row, status }) => ({
        periodId: row.period_id,
        unitCode: row.unit_code,
        tier: row.tier,
        status,
        revision: Number(row.revision),
        version: Number(row.stream_version),
        submittedAt: row.submitted_at,
        updatedAt: row.updated_at,
      })),
      nextCursor: rows.length > limit ? (page[page.length - 1]?.unit_code ?? null) : null,
    };
  }

  /** The period as assessment commands see it, or null when there is no such period (its list is empty). */
  private async periodWindowOf(periodId: string): Promise<PeriodWindow | null> {
    try {
      return periodWindow(await this.contexts.loadPeriod(periodId));
    } catch (error) {
      if (isDomainError(error) && error.code === 'PERIOD.NOT_FOUND') return null;
      throw error;
    }
  }
}
