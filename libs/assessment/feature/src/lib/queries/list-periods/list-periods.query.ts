import { Inject, Injectable } from '@nestjs/common';
import { READ_MODEL_DB, READ_MODEL_SCHEMA as S } from '@tieuchi/shared/application';
import { hasAnyRole, type Principal, PROVINCE_ROLES } from '@tieuchi/shared/auth';
import type { SqlClient } from '@tieuchi/shared/event-store';
import type { ListPeriodsQueryDto, PeriodListDto } from './list-periods.dto';

interface PeriodRow {
  period_id: string;
  province_code: string;
  year: number;
  status: string;
  decision_number: string | null;
  decision_date: string | null;
}

/**
 * Periods, newest year first, then by id. A published period is public; one not published yet is
 * listed to its province's staff, the users of its province's units and national accounts only,
 * as GET /periods/{periodId} reads it.
 */
@Injectable()
export class ListPeriodsQuery {
  constructor(@Inject(READ_MODEL_DB) private readonly database: SqlClient) {}

  async execute(filter: ListPeriodsQueryDto, principal: Principal | undefined): Promise<PeriodListDto> {
    const limit = filter.limit ?? 50;
    const national = principal?.national ?? false;
    const staffProvince = principal && hasAnyRole(principal, PROVINCE_ROLES) ? principal.provinceCode : null;
    const { rows } = await this.database.query<PeriodRow>(
      `SELECT p.period_id, p.province_code, p.year, p.status, p.decision_number, p.decision_date FROM ${S}.assessment_periods p
       WHERE ($1::text IS NULL OR p.province_code = $1) AND ($2::text IS NULL OR p.status = $2)
         AND ($3::text IS NULL OR (p.year, p.period_id) < (SELECT c.year, c.period_id FROM ${S}.assessment_periods c WHERE c.period_id = $3))
         AND (p.status = 'published' OR $5::boolean OR p.province_code = $6 OR p.province_code IN (SELECT u.province_code FROM ${S}.units u WHERE u.code = $7))
       ORDER BY p.year DESC, p.period_id DESC LIMIT $4`,
      [filter.provinceCode ?? null, filter.status ?? null, filter.cursor ?? null, limit + 1, national, staffProvince, principal?.unitCode ?? null],
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map((row) => ({
        periodId: row.period_id,
        provinceCode: row.province_code,
        year: Number(row.year),
        status: row.status,
        decisionNumber: row.decision_number,
        decisionDate: row.decision_date,
      })),
      nextCursor: rows.length > limit ? (page[page.length - 1]?.period_id ?? null) : null,
    };
  }
}
