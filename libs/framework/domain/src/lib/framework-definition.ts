/**
 * A framework (bộ tiêu chí) is data: this is its shape once loaded and validated. The same engine
 * scores 2392/QĐ-BTTTT (sums of points, Mức I–IV) and the DTI indices (weighted, 1000 points,
 * tốt / khá / trung bình). Tiers and parts are codes, not enums: the 2025 reform removed districts.
 */
export interface FrameworkDefinition {
  readonly id: string;
  /** Versions start at 1; each amendment makes a new version. */
  readonly version: number;
  readonly title: string;
  /** The legal basis, e.g. "2392/QĐ-BTTTT 25/12/2017". */
  readonly legalBasis?: string;
  /** True where values stand in for an official appendix not yet entered. */
  readonly provisional?: boolean;
  /** Free text for readers of the file: sources, what is provisional and why. */
  readonly notes?: string;
  readonly rounding: RoundingRule;
  /** Exclude not-applicable criteria and rescale: score / (max − excluded) × max. */
  readonly notApplicableRescaling: boolean;
  readonly tiers: readonly TierDefinition[];
}

export interface RoundingRule {
  readonly decimals: number;
  /** `down` truncates toward zero. */
  readonly mode: 'half_up' | 'half_even' | 'down';
  /**
   * Where scores are rounded; absent means `criterion`, the rule of every framework drafted before
   * the option existed, so their recorded events keep scoring as they did.
   */
  readonly stage?: RoundingStage;
}

/**
 * `criterion`: each criterion's points are rounded, then the totals, then the rescaled score.
 * `total`: criteria stay unrounded; each group total and the part total are rounded, and the
 * rescaled score is computed from the rounded totals.
 * `final`: only the final (rescaled) score is rounded, computed from the unrounded total
 * (Thừa Thiên Huế: A Lưới 2020, 75.405 of 92 → 81.96, where 75.41 of 92 would give 81.97).
 */
export type RoundingStage = 'criterion' | 'total' | 'final';

export interface TierDefinition {
  /** `province` | `district` | `commune`, or any tier a later framework defines. */
  readonly tier: string;
  readonly parts: readonly PartDefinition[];
}

export interface PartDefinition {
  /** `readiness` | `results` in 2392; each part is scored and ranked on its own. */
  readonly code: string;
  readonly title: string;
  /** The part's maximum score (50, 100, 30, 1000 …). */
  readonly maxPoints: number;
  /**
   * `sum`: the part score is the sum of criterion points.
   * `weighted`: each group contributes weight × (group points / group max) × maxPoints (DTI style).
   */
  readonly aggregation: 'sum' | 'weighted';
  readonly groups: readonly GroupDefinition[];
  /** Ordered from the highest level down; below the last band a unit is unranked. */
  readonly levels: readonly LevelBand[];
}

export interface GroupDefinition {
  readonly code: string;
  readonly title: string;
  /** Only with `weighted` aggregation; the weights of a part sum to 1. A group's maximum is the sum of its criteria's. */
  readonly weight?: number;
  readonly criteria: readonly CriterionDefinition[];
}

export interface CriterionDefinition {
  /** Stable code, unique within the framework, e.g. `H.SS.HT.1`. */
  readonly code: string;
  readonly title: string;
  /** How to answer: what the value measures (a percentage, a count …). */
  readonly guidance?: string;
  readonly maxPoints: number;
  readonly rule: ScoringRule;
  readonly mayBeNotApplicable: boolean;
  readonly evidenceRequired: boolean;
  readonly explanationRequired: boolean;
  /**
   * The criterion's evidence is published with the results (minh chứng công khai): once an
   * assessment is published, anyone may list and download the files it names for this criterion.
   * Absent or false: the evidence stays with the unit and the staff of its province.
   */
  readonly publicEvidence?: boolean;
  /** Marks a criterion whose wording stands in for the official appendix text. */
  readonly placeholder?: boolean;
  /**
   * Declared not applicable for every unit by an amendment (không đưa vào đánh giá): scored as
   * not applicable whatever the answer, so its points are excluded (and rescaled, if enabled).
   */
  readonly excluded?: boolean;
}

/** How an answer becomes points, capped at the criterion's maximum. */
export type ScoringRule =
  /** A boolean answer: 0 or the maximum. */
  | { readonly kind: 'yes_no' }
  /** Points entered directly, 0 to the maximum. */
  | { readonly kind: 'manual' }
  /** value / target × maximum, capped at the maximum. */
  | { readonly kind: 'ratio'; readonly target: number }
  /** The first range holding the value gives the points; `from` inclusive, `to` exclusive. */
  | { readonly kind: 'banded'; readonly bands: readonly ScoreBand[] };

export interface ScoreBand {
  readonly from: number;
  /** Exclusive; absent for the last, open-ended range. */
  readonly to?: number;
  readonly points: number;
}

/** A level (Mức I … IV, or tốt / khá / trung bình): the lowest score that reaches it, inclusive. */
export interface LevelBand {
  readonly level: string;
  readonly label: string;
  readonly minScore: number;
  /** True while the threshold stands in for an official value not yet entered. */
  readonly provisional?: boolean;
  /** Optional minimum share (0..1) of each named group's maximum that a unit must also reach. */
  readonly minGroupShares?: Readonly<Record<string, number>>;
}

/** A unit's answer to one criterion. `value` is boolean for yes_no, a number otherwise. */
export type CriterionAnswer =
  | { readonly kind: 'value'; readonly value: number | boolean }
  | { readonly kind: 'not_applicable' };
