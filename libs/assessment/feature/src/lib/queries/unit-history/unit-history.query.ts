import { Inject, Injectable } from '@nestjs/common';
import { READ_MODEL_DB, READ_MODEL_SCHEMA as S } from '@tieuchi/shared/application';
import type { Principal } from '@tieuchi/shared/auth';
import type { SqlClient } from '@tieuchi/shared/event-store';
import { RANKED_STATUSES } from '@tieuchi/assessment/domain';
import { isStaff, isUnitMember } from '../assessment-access';

export interface UnitHistoryPeriod {
  readonly periodId: string;
  readonly provinceCode: string;
  readonly year: number;
  readonly status: string;
  /** True until the period is published with this assessment's approved scores in it. */
  readonly provisional: boolean;
  readonly decision: { readonly number: string; readonly date: string } | null;
  /** `imported`: a year published before tieuchi, taken from its decision (never assessed here); its maxima are unknown (null) unless a later assessed year of the unit states them. */
  readonly source: 'assessed' | 'imported';
  readonly parts: readonly { readonly partCode: string; readonly maxPoints: number | null; readonly score: number; readonly level: string | null }[];
}

export interface UnitHistory {
  readonly unitCode: string;
  readonly periods: readonly UnitHistoryPeriod[];
}

interface HistoryRow {
  period_id: string;
  province_code: string;
  year: number;
  period_status: string;
  decision_number: string | null;
  decision_date: string | null;
  status: string;
  first_submitted_at: string | null;
  part_code: string | null;
  max_points: number | null;
  score: number | null;
  level: string | null;
}

/**
 * A unit's part scores and levels across periods. Everyone sees the published periods; the
 * unit's own users also see their provisional ones, staff those submitted at least once.
 */
@Injectable()
export class UnitHistoryQuery {
  constructor(@Inject(READ_MODEL_DB) private readonly database: SqlClient) {}

  async execute(unitCode: string, principal: Principal | undefined): Promise<UnitHistory> {
    const { rows } = await this.database.query<HistoryRow>(
      `SELECT s.period_id, p.province_code, p.year, p.status AS period_status, p.decision_number, p.decision_date,
              s.status, s.first_submitted_at, ps.part_code, ps.max_points, ps.score, ps.level
       FROM ${S}.assessment_summaries s
       JOIN ${S}.assessment_periods p ON p.period_id = s.period_id
       LEFT JOIN ${S}.assessment_part_scores ps ON ps.period_id = s.period_id AND ps.unit_code = s.unit_code
       WHERE s.unit_code = $1
       ORDER BY p.year, s.period_id, ps.part_code`,
      [unitCode],
    );
    const member = isUnitMember(principal, unitCode);
    const staff = isStaff(principal);
    const periods = new Map<string, UnitHistoryPeriod & { parts: UnitHistoryPeriod['parts'][number][] }>();
    for (const row of rows) {
      const published = row.period_status === 'published' && (RANKED_STATUSES as readonly string[]).includes(row.status);
      const visible = published || member || (staff && row.first_submitted_at !== null);
      if (!visible) continue;
      let period = periods.get(row.period_id);
      if (!period) {
        period = {
          periodId: row.period_id,
          provinceCode: row.province_code,
          year: Number(row.year),
          // Publication is one moment: an approved assessment of a published period reads as published.
          status: published && row.status === 'approved' ? 'published' : row.status,
          provisional: !published,
          decision: published && row.decision_number && row.decision_date ? { number: row.decision_number, date: row.decision_date } : null,
          source: 'assessed',
          parts: [],
        };
        periods.set(row.period_id, period);
      }
      if (row.part_code !== null && row.score !== null) {
        period.parts.push({ partCode: row.part_code, maxPoints: Number(row.max_points), score: Number(row.score), level: row.level });
      }
    }
    const imported = await this.importedYears(unitCode);
    return { unitCode, periods: [...imported, ...periods.values()].sort((a, b) => a.year - b.year || a.periodId.localeCompare(b.periodId)) };
  }

  /**
   * Years the unit's province published before tieuchi, as imported into the rankings read model
   * (periods imported-{province}-{year}): public like any published decision, marked imported.
   */
  private async importedYears(unitCode: string): Promise<UnitHistoryPeriod[]> {
    const { rows } = await this.database.query<{ period_id: string; province_code: string; year: number; decision_number: string; decision_date: string; part_code: string; score: number; level: string | null; max_points: number | null }>(
      `SELECT p.period_id, p.province_code, p.year, t.decision_number, t.decision_date, r.part_code, r.score, r.level,
              (SELECT max(ps.max_points) FROM ${S}.assessment_part_scores ps WHERE ps.unit_code = r.unit_code AND ps.part_code = r.part_code) AS max_points
       FROM ${S}.ranking_rows r
       JOIN ${S}.ranking_periods p ON p.period_id = r.period_id AND p.imported AND r.edition = p.decisions
       JOIN ${S}.ranking_tables t ON t.period_id = r.period_id AND t.edition = r.edition AND t.tier = r.tier AND t.part_code = r.part_code
       WHERE r.unit_code = $1 ORDER BY p.year, r.part_code`,
      [unitCode],
    );
    const years = new Map<string, UnitHistoryPeriod & { parts: UnitHistoryPeriod['parts'][number][] }>();
    for (const row of rows) {
      const period = years.get(row.period_id) ?? {
        periodId: row.period_id,
        provinceCode: row.province_code,
        year: Number(row.year),
        status: 'imported',
        provisional: false,
        decision: { number: row.decision_number, date: row.decision_date },
        source: 'imported' as const,
        parts: [],
      };
      period.parts.push({ partCode: row.part_code, maxPoints: row.max_points === null ? null : Number(row.max_points), score: Number(row.score), level: row.level });
      years.set(row.period_id, period);
    }
    return [...years.values()];
  }
}
