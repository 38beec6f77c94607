import { Inject, Injectable } from '@nestjs/common';
import { READ_MODEL_DB } from '@tieuchi/shared/application';
import type { Principal } from '@tieuchi/shared/auth';
import type { SqlClient } from '@tieuchi/shared/event-store';
import { UNITS_READ_MODEL_SCHEMA as S } from '../../projections/units.projection';
import type { ListUnitsQueryDto, UnitListDto } from './list-units.dto';

interface UnitRow {
  code: string;
  name: string;
  type: string;
  tier: string;
  status: string;
  parent_code: string | null;
  province_code: string | null;
  successor_code: string | null;
  ended_on: string | null;
  version: number;
}

/**
 * Units by code, from the units read model. Staff of a province see that province only, whatever
 * they ask; national staff see every province, or the one they name.
 */
@Injectable()
export class ListUnitsQuery {
  constructor(@Inject(READ_MODEL_DB) private readonly database: SqlClient) {}

  async execute(filter: ListUnitsQueryDto, principal: Principal): Promise<UnitListDto> {
    const limit = filter.limit ?? 100;
    const province = principal.national ? (filter.provinceCode ?? null) : principal.provinceCode;
    if (!principal.national && (province === null || (filter.provinceCode !== undefined && filter.provinceCode !== province))) return { items: [], nextCursor: null };
    const search = filter.q?.trim() ? `%${filter.q.trim().replace(/[\\%_]/g, '\\$&')}%` : null;
    const { rows } = await this.database.query<UnitRow>(
      `SELECT code, name, type, tier, status, parent_code, province_code, successor_code, ended_on, version FROM ${S}.units
       WHERE ($1::text IS NULL OR province_code = $1) AND ($2::text IS NULL OR tier = $2) AND ($3::text IS NULL OR status = $3)
         AND ($4::text IS NULL OR parent_code = $4) AND ($5::text IS NULL OR name ILIKE $5 OR code LIKE $5)
         AND ($6::text IS NULL OR code > $6)
       ORDER BY code LIMIT $7`,
      [province, filter.tier ?? null, filter.status ?? null, filter.parentCode ?? null, search, filter.cursor ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map((row) => ({
        code: row.code,
        name: row.name,
        type: row.type,
        tier: row.tier,
        status: row.status,
        parentCode: row.parent_code,
        provinceCode: row.province_code,
        successorCode: row.successor_code,
        endedOn: row.ended_on,
        version: Number(row.version),
      })),
      nextCursor: rows.length > limit ? (page[page.length - 1]?.code ?? null) : null,
    };
  }
}
