import { Inject, Injectable } from '@nestjs/common';
import { READ_MODEL_DB, READ_MODEL_SCHEMA as S } from '@tieuchi/shared/application';
import type { Principal } from '@tieuchi/shared/auth';
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

/** Periods, newest year first, then by id; anonymous callers see published periods only. */
@Injectable()
export class ListPeriodsQuery {
  constructor(@Inject(READ_MODEL_DB) private readonly database: SqlClient) {}

  async execute(filter: ListPeriodsQueryDto, principal: Principal | undefined): Promise<PeriodListDto> {
    const limit = filter.limit ?? 50;
    const status = principal ? (filter.status ?? null) : 'published';
    if (!principal && filter.status !== undefined && filter.status !== 'published') return { items: [], nextCursor: null };
    const { rows } = await this.database.query<PeriodRow>(
      `SELECT p.period_id, p.province_code, p.year, p.status, p.decision_number, p.decision_date FROM ${S}.assessment_periods p
       WHERE ($1::text IS NULL OR p.province_code = $1) AND ($2::text IS NULL OR p.status = $2)
         AND ($3::text IS NULL OR (p.year, p.period_id) < (SELECT c.year, c.period_id FROM ${S}.assessment_periods c WHERE c.period_id = $3))
       ORDER BY p.year DESC, p.period_id DESC LIMIT $4`,
      [filter.provinceCode ?? null, status, filter.cursor ?? null, limit + 1],
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
