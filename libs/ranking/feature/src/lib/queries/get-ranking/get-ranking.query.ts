import { Inject, Injectable } from '@nestjs/common';
import { WORKING_EDITION } from '@tieuchi/ranking/data-access';
import { READ_MODEL_DB, READ_MODEL_SCHEMA as S } from '@tieuchi/shared/application';
import { forbiddenRole, hasAnyRole, missingToken, type Principal } from '@tieuchi/shared/auth';
import type { SqlClient } from '@tieuchi/shared/event-store';
import { DomainError } from '@tieuchi/shared/kernel';
import { LRUCache } from 'lru-cache';
import type { RankingViewKind } from './get-ranking.params';

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

/** A unit the publication named as published without an approved assessment ("Chưa đánh giá"), with the decision's reason. */
export interface NotAssessedEntry {
  readonly unitCode: string;
  readonly unitName: string;
  readonly reason: string;
}

export interface Decision {
  readonly number: string;
  readonly date: string;
}

export interface RankingView {
  readonly periodId: string;
  readonly tier: string;
  readonly part: string;
  /** True for the working ranking (staff only): not a published result. */
  readonly provisional: boolean;
  readonly decision: Decision | null;
  /**
   * True when the working ranking of a published period differs from its official edition by
   * recalculated scores or revised appeals: a provisional corrected ranking, official only once a
   * correction decision is published. Always false for an official edition.
   */
  readonly correctionPending: boolean;
  /** For the working ranking of a published period: the decision in force that a correction would replace. */
  readonly corrects: Decision | null;
  /**
   * The previous year's official edition the changes are taken against (docs/rules.en.md,
   * R-PREVIOUS-OFFICIAL): its period and decision; null when the previous year had none.
   * `imported`: that year was never assessed here, its scores are its decision's as imported
   * (POST /provinces/{provinceCode}/past-results).
   */
  readonly comparedWith: { readonly periodId: string; readonly decision: Decision; readonly imported: boolean } | null;
  readonly ranked: readonly RankedEntry[];
  readonly unranked: readonly UnrankedEntry[];
  /** Units of the tier the publication excluded, until a later decision publishes their assessment: listed, never silently missing. */
  readonly notAssessed: readonly NotAssessedEntry[];
  readonly counts: {
    readonly units: number;
    readonly ranked: number;
    readonly unranked: number;
    readonly notAssessed: number;
    readonly byLevel: Readonly<Record<string, number>>;
  };
}

const STAFF = ['reviewer', 'approver', 'admin', 'auditor'] as const;

export interface RankingFilter {
  readonly decision?: string;
  readonly view?: RankingViewKind;
}

interface TableRow {
  edition: number;
  decision_number: string | null;
  decision_date: string | null;
  counts: Omit<RankingView['counts'], 'notAssessed'>;
  compared_with: { readonly periodId: string; readonly decision: Decision; readonly imported?: boolean } | null;
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
 * period that does not exist, so provisional results do not leak. After publication staff read
 * the working ranking (the provisional corrected one) only by asking for it with ?view=working.
 */
@Injectable()
export class GetRankingQuery {
  /**
   * Official editions are the public, most read answer. Once frozen an edition never changes
   * (a correction is a new edition), so its rows are served from memory; only the small lookup of
   * which edition is current goes to the database on every call.
   */
  private readonly officialEditions = new LRUCache<string, RankingView>({ max: 5_000 });

  constructor(@Inject(READ_MODEL_DB) private readonly database: SqlClient) {}

  async execute(periodId: string, tier: string, part: string, principal: Principal | undefined, filter: RankingFilter = {}): Promise<RankingView> {
    const staff = principal !== undefined && hasAnyRole(principal, STAFF);
    if (filter.view === 'working') {
      // Refused before anything is read, so the refusal says nothing about the period.
      if (!principal) throw missingToken();
      if (!staff) throw forbiddenRole(STAFF);
      if (filter.decision !== undefined) {
        throw new DomainError('RANKING.VIEW_WITH_DECISION', 'validation', 'The working ranking belongs to no decision: ask for ?view=working or ?decision=, not both.', 'view');
      }
    }
    const { rows: tables } = await this.database.query<TableRow>(
      `SELECT edition, decision_number, decision_date, counts, compared_with FROM ${S}.ranking_tables
       WHERE period_id = $1 AND tier = $2 AND part_code = $3 AND ($4::text IS NULL OR decision_number = $4)
       ORDER BY edition DESC`,
      [periodId, tier, part, filter.decision ?? null],
    );
    const working = tables.find((t) => Number(t.edition) === WORKING_EDITION);
    const official = tables.find((t) => Number(t.edition) !== WORKING_EDITION);
    const table = filter.view === 'working' ? working : (official ?? (staff && filter.decision === undefined ? working : undefined));
    if (!table) {
      throw new DomainError('RANKING.NOT_FOUND', 'not_found', `There is no published ranking of ${tier}/${part} in period ${periodId}.`);
    }
    if (table === working) return this.render(periodId, tier, part, table, official);
    const key = `${periodId}\n${tier}\n${part}\n${table.edition}`;
    const cached = this.officialEditions.get(key);
    if (cached) return cached;
    const view = await this.render(periodId, tier, part, table, official);
    this.officialEditions.set(key, view);
    return view;
  }

  private async render(periodId: string, tier: string, part: string, table: TableRow, official: TableRow | undefined): Promise<RankingView> {
    const { rows } = await this.database.query<Row>(
      `SELECT rank, unit_code, unit_name, score, level, previous_score, change FROM ${S}.ranking_rows
       WHERE period_id = $1 AND edition = $2 AND tier = $3 AND part_code = $4 ORDER BY position`,
      [periodId, table.edition, tier, part],
    );
    const notAssessed = await this.notAssessed(periodId, tier, part, Number(table.edition));
    const provisional = Number(table.edition) === WORKING_EDITION;
    const corrects = provisional && official ? decisionOf(official) : null;
    return {
      periodId,
      tier,
      part,
      provisional,
      decision: provisional ? null : decisionOf(table),
      correctionPending: corrects !== null && (await this.correctionPending(periodId)),
      corrects,
      comparedWith: table.compared_with ? { ...table.compared_with, imported: table.compared_with.imported === true } : null,
      ranked: rows.flatMap((r) =>
        r.rank === null || r.level === null
          ? []
          : [{ rank: Number(r.rank), unitCode: r.unit_code, unitName: r.unit_name, score: Number(r.score), level: r.level, previousScore: num(r.previous_score), change: num(r.change) }],
      ),
      unranked: rows.flatMap((r) =>
        r.rank !== null ? [] : [{ unitCode: r.unit_code, unitName: r.unit_name, score: Number(r.score), previousScore: num(r.previous_score), change: num(r.change) }],
      ),
      notAssessed,
      counts: { ...table.counts, notAssessed: notAssessed.length },
    };
  }

  /** The tier's excluded units that this edition does not rank or list as unranked. */
  private async notAssessed(periodId: string, tier: string, part: string, edition: number): Promise<NotAssessedEntry[]> {
    const { rows } = await this.database.query<{ unit_code: string; unit_name: string; reason: string }>(
      `SELECT e.unit_code, e.unit_name, e.reason FROM ${S}.ranking_exclusions e
       WHERE e.period_id = $1 AND e.tier = $2 AND NOT EXISTS (
         SELECT 1 FROM ${S}.ranking_rows r WHERE r.period_id = e.period_id AND r.edition = $4 AND r.tier = e.tier AND r.part_code = $3 AND r.unit_code = e.unit_code)
       ORDER BY length(e.unit_code), e.unit_code`,
      [periodId, tier, part, edition],
    );
    return rows.map((row) => ({ unitCode: row.unit_code, unitName: row.unit_name, reason: row.reason }));
  }

  private async correctionPending(periodId: string): Promise<boolean> {
    const { rows } = await this.database.query<{ correction_pending: boolean }>(`SELECT correction_pending FROM ${S}.ranking_periods WHERE period_id = $1`, [
      periodId,
    ]);
    return rows[0]?.correction_pending === true;
  }
}

function decisionOf(table: TableRow): Decision | null {
  return table.decision_number && table.decision_date ? { number: table.decision_number, date: table.decision_date } : null;
}
