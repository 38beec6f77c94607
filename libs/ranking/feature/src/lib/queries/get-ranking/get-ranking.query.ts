import { Inject, Injectable } from '@nestjs/common';
import { READ_MODEL_SCHEMA as S } from '@tieuchi/assessment/feature';
import { WORKING_EDITION } from '@tieuchi/ranking/data-access';
import { READ_MODEL_DB } from '@tieuchi/shared/application';
import { hasAnyRole, type Principal } from '@tieuchi/shared/auth';
import type { SqlClient } from '@tieuchi/shared/event-store';
import { DomainError } from '@tieuchi/shared/kernel';

export interface RankedEntry {
  readonly rank: number;
  readonly unitCode: string;
  readonly unitName: string;
  readonly score: number;
  readonly level: string;
  readonly previousScore: number | null;
  /** score − previous period's score (a merged unit: by its merge's rule); null without one. */
  readonly change: number | null;
}

export interface UnrankedEntry {
  readonly unitCode: string;
  readonly unitName: string;
  readonly score: number;
  readonly previousScore: number | null;
  readonly change: number | null;
}

export interface RankingView {
  readonly periodId: string;
  readonly tier: string;
  readonly part: string;
  /** True for the working ranking staff see before publication: not a published result. */
  readonly provisional: boolean;
  readonly decision: { readonly number: string; readonly date: string } | null;
  readonly ranked: readonly RankedEntry[];
  readonly unranked: readonly UnrankedEntry[];
  readonly counts: { readonly units: number; readonly ranked: number; readonly unranked: number; readonly byLevel: Readonly<Record<string, number>> };
}

const STAFF = ['reviewer', 'approver', 'admin', 'auditor'] as const;

interface TableRow {
  edition: number;
  decision_number: string | null;
  decision_date: string | null;
  counts: RankingView['counts'];
}

interface Row {
  rank: number | null;
  unit_code: string;
  unit_name: string;
  score: number;
  level: string | null;
  previous_score: number | null;
  change: number | null;
}

const num = (value: number | null): number | null => (value === null ? null : Number(value));

/**
 * The ranking of one period × tier × part. Published editions are public; before the first
 * publication only staff get the provisional one, and everyone else a 404 exactly as for a
 * period that does not exist, so provisional results do not leak.
 */
@Injectable()
export class GetRankingQuery {
  constructor(@Inject(READ_MODEL_DB) private readonly database: SqlClient) {}

  async execute(periodId: string, tier: string, part: string, principal: Principal | undefined, decision?: string): Promise<RankingView> {
    const staff = principal !== undefined && hasAnyRole(principal, STAFF);
    const { rows: tables } = await this.database.query<TableRow>(
      `SELECT edition, decision_number, decision_date, counts FROM ${S}.ranking_tables
       WHERE period_id = $1 AND tier = $2 AND part_code = $3 AND ($4::text IS NULL OR decision_number = $4)
       ORDER BY edition DESC`,
      [periodId, tier, part, decision ?? null],
    );
    const published = tables.find((t) => Number(t.edition) !== WORKING_EDITION);
    const table = published ?? (staff && decision === undefined ? tables.find((t) => Number(t.edition) === WORKING_EDITION) : undefined);
    if (!table) {
      throw new DomainError('RANKING.NOT_FOUND', 'not_found', `There is no published ranking of ${tier}/${part} in period ${periodId}.`);
    }
    const { rows } = await this.database.query<Row>(
      `SELECT rank, unit_code, unit_name, score, level, previous_score, change FROM ${S}.ranking_rows
       WHERE period_id = $1 AND edition = $2 AND tier = $3 AND part_code = $4 ORDER BY position`,
      [periodId, table.edition, tier, part],
    );
    const provisional = Number(table.edition) === WORKING_EDITION;
    return {
      periodId,
      tier,
      part,
      provisional,
      decision: !provisional && table.decision_number && table.decision_date ? { number: table.decision_number, date: table.decision_date } : null,
      ranked: rows.flatMap((r) =>
        r.rank === null || r.level === null
          ? []
          : [{ rank: Number(r.rank), unitCode: r.unit_code, unitName: r.unit_name, score: Number(r.score), level: r.level, previousScore: num(r.previous_score), change: num(r.change) }],
      ),
      unranked: rows.flatMap((r) =>
        r.rank !== null ? [] : [{ unitCode: r.unit_code, unitName: r.unit_name, score: Number(r.score), previousScore: num(r.previous_score), change: num(r.change) }],
      ),
      counts: table.counts,
    };
  }
}
