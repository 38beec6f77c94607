import { assertNever, DomainError } from '@tieuchi/shared/kernel';
import { DEFAULT_ROUNDING, exactDifference, roundScore, type RoundingRule } from '@tieuchi/framework/domain';

/** One unit's result in the period being ranked: its part score and level (null = unranked). */
export interface UnitScore {
  readonly unitCode: string;
  readonly unitName: string;
  readonly score: number;
  readonly level: string | null;
}

/** How a successor's previous score is derived from its predecessors' previous scores. */
export type MergeRule = 'mean' | 'sum' | 'max';

export interface UnitMerge {
  readonly successor: string;
  readonly predecessors: readonly string[];
  readonly rule: MergeRule;
}

/** A recorded merge and the date it took effect (YYYY-MM-DD). */
export interface DatedUnitMerge extends UnitMerge {
  readonly effectiveDate: string;
}

/**
 * The merges a period of `year` is compared across with the period of `previousYear`: those whose
 * effective year is after the previous period's year and no later than this period's
 * (R-MERGE-WINDOW). Of two merges into one successor in that window, the later one counts.
 */
export function mergesInEffect(merges: readonly DatedUnitMerge[], previousYear: number, year: number): UnitMerge[] {
  const inEffect = new Map<string, UnitMerge>();
  for (const merge of [...merges].sort((a, b) => (a.effectiveDate < b.effectiveDate ? -1 : a.effectiveDate > b.effectiveDate ? 1 : 0))) {
    const effectiveYear = Number(merge.effectiveDate.slice(0, 4));
    if (effectiveYear > previousYear && effectiveYear <= year) {
      inEffect.set(merge.successor, { successor: merge.successor, predecessors: merge.predecessors, rule: merge.rule });
    }
  }
  return [...inEffect.values()];
}

export interface RankingInput {
  readonly tier: string;
  readonly partCode: string;
  readonly units: readonly UnitScore[];
  /**
   * The previous period's scores of the same tier × part, by unit code: those of its latest
   * official edition (publication or correction), none while it is unpublished (R-PREVIOUS-OFFICIAL).
   */
  readonly previousScores: ReadonlyMap<string, number>;
  /** Merges between the previous period and this one; a successor is compared by its merge's rule. */
  readonly merges?: readonly UnitMerge[];
  /** The framework's rounding; 2 decimals half-up when absent. */
  readonly rounding?: RoundingRule;
}

/** Where a unit's previous score came from. */
export type PreviousScoreSource = 'own' | 'merge';

export interface RankedUnit {
  /** Competition ranking: equal scores share a rank and the next rank skips (1, 2, 2, 4). */
  readonly rank: number;
  readonly unitCode: string;
  readonly unitName: string;
  readonly score: number;
  readonly level: string;
  readonly previousScore: number | null;
  readonly previousScoreSource: PreviousScoreSource | null;
  /** score − previous score; null when there is no previous score. */
  readonly change: number | null;
}

export interface UnrankedUnit {
  readonly unitCode: string;
  readonly unitName: string;
  readonly score: number;
  readonly previousScore: number | null;
  readonly previousScoreSource: PreviousScoreSource | null;
  readonly change: number | null;
}

export interface Ranking {
  readonly tier: string;
  readonly partCode: string;
  /** Score descending; equal scores by unit code, so the order never depends on the input's. */
  readonly ranked: readonly RankedUnit[];
  /** Below the lowest band; same order as `ranked`, no rank. */
  readonly unranked: readonly UnrankedUnit[];
  readonly counts: {
    readonly units: number;
    readonly ranked: number;
    readonly unranked: number;
    /** Ranked units per level code, e.g. { II: 2, IV: 1 }. */
    readonly byLevel: Readonly<Record<string, number>>;
  };
}

export const RankingErrorCode = {
  duplicateUnit: 'RANKING.DUPLICATE_UNIT',
  duplicateMerge: 'RANKING.DUPLICATE_MERGE',
  invalidScore: 'RANKING.INVALID_SCORE',
} as const;

/**
 * Ranks one period × tier × part. Pure and deterministic. Scores are compared after rounding,
 * so 40.2300000001 ties with 40.23. A change keeps the precision of its inputs (40.23 − 37.865
 * is +2.365, as Quyết định 47/QĐ-UBND printed it), at least the framework's decimals.
 */
export function rankUnits(input: RankingInput): Ranking {
  const rounding = input.rounding ?? DEFAULT_ROUNDING;
  const previous = previousScoreResolver(input, rounding);

  const seen = new Set<string>();
  const rows = input.units.map((unit, index) => {
    if (seen.has(unit.unitCode)) {
      throw new DomainError(RankingErrorCode.duplicateUnit, 'validation', `Unit ${unit.unitCode} is listed twice`, `units[${index}].unitCode`);
    }
    seen.add(unit.unitCode);
    if (!Number.isFinite(unit.score)) {
      throw new DomainError(RankingErrorCode.invalidScore, 'validation', `Unit ${unit.unitCode} has no finite score`, `units[${index}].score`);
    }
    const score = roundScore(unit.score, rounding);
    const prior = previous(unit.unitCode);
    return {
      unitCode: unit.unitCode,
      unitName: unit.unitName,
      score,
      level: unit.level,
      previousScore: prior?.score ?? null,
      previousScoreSource: prior?.source ?? null,
      change: prior ? exactDifference(score, prior.score, rounding) : null,
    };
  });
  rows.sort((a, b) => b.score - a.score || compareUnitCodes(a.unitCode, b.unitCode));

  const ranked: RankedUnit[] = [];
  const unranked: UnrankedUnit[] = [];
  const byLevel: Record<string, number> = {};
  for (const { level, ...row } of rows) {
    if (level === null) {
      unranked.push(row);
      continue;
    }
    const before = ranked[ranked.length - 1];
    const rank = before && before.score === row.score ? before.rank : ranked.length + 1;
    ranked.push({ rank, level, ...row });
    byLevel[level] = (byLevel[level] ?? 0) + 1;
  }
  return {
    tier: input.tier,
    partCode: input.partCode,
    ranked,
    unranked,
    counts: { units: rows.length, ranked: ranked.length, unranked: unranked.length, byLevel },
  };
}

function previousScoreResolver(
  input: RankingInput,
  rounding: RoundingRule,
): (unitCode: string) => { score: number; source: PreviousScoreSource } | undefined {
  const merges = new Map<string, UnitMerge>();
  (input.merges ?? []).forEach((merge, index) => {
    if (merges.has(merge.successor)) {
      throw new DomainError(
        RankingErrorCode.duplicateMerge,
        'validation',
        `Unit ${merge.successor} is the successor of two merges`,
        `merges[${index}].successor`,
      );
    }
    merges.set(merge.successor, merge);
  });
  return (unitCode) => {
    // A merge wins over the unit's own history: a successor often keeps one predecessor's code
    // (Cư Jút 24640 absorbed 24661, 24655, 24658), and comparing it with that one alone misleads.
    const merge = merges.get(unitCode);
    if (merge) {
      const scores = merge.predecessors.flatMap((code) => {
        const score = input.previousScores.get(code);
        return score === undefined ? [] : [score];
      });
      if (scores.length === 0) return undefined;
      return { score: roundScore(combine(merge.rule, scores), rounding), source: 'merge' };
    }
    const own = input.previousScores.get(unitCode);
    return own === undefined ? undefined : { score: own, source: 'own' };
  };
}

/** Predecessors without a previous score are left out rather than counted as 0. */
function combine(rule: MergeRule, scores: readonly number[]): number {
  switch (rule) {
    case 'mean':
      return scores.reduce((sum, score) => sum + score, 0) / scores.length;
    case 'sum':
      return scores.reduce((sum, score) => sum + score, 0);
    case 'max':
      return Math.max(...scores);
    default:
      return assertNever(rule, 'merge rule');
  }
}

/** Official codes are digit strings of different lengths (660, 24728): compare them as numbers. */
export function compareUnitCodes(a: string, b: string): number {
  const numeric = /^\d+$/;
  if (numeric.test(a) && numeric.test(b)) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) return x.length - y.length;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
