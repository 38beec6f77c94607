import { assertNever } from '@tieuchi/shared/kernel';
import type {
  CriterionAnswer,
  CriterionDefinition,
  FrameworkDefinition,
  LevelBand,
  PartDefinition,
  RoundingRule,
} from '../framework-definition';
import { criterionCodes, findPart } from '../definition/framework-definition.lookup';
import { roundingStageOf, roundScore } from './rounding';
import { ScoringErrorCode, scoringError } from './scoring.errors';

/** Scores and shares are compared with this slack so that 37.5 reached by arithmetic still counts. */
const COMPARISON_TOLERANCE = 1e-9;
/** Intermediate sums are cleaned of binary noise at this precision, well below any rounding rule. */
const NOISE = { decimals: 9, mode: 'half_up' } as const satisfies RoundingRule;

export interface CriterionScore {
  readonly code: string;
  readonly maxPoints: number;
  /** 0 when not applicable or unanswered. */
  readonly points: number;
  readonly notApplicable: boolean;
  readonly answered: boolean;
}

export interface GroupScore {
  readonly code: string;
  readonly points: number;
  readonly maxPoints: number;
  /** Maxima of the group's not-applicable criteria. */
  readonly excludedPoints: number;
  /**
   * points / maxPoints, or points / (maxPoints − excludedPoints) when the framework rescales;
   * null when every criterion of the group is excluded. Per-group level minimums compare this.
   */
  readonly share: number | null;
}

export interface PartScore {
  readonly tier: string;
  readonly partCode: string;
  readonly maxPoints: number;
  /** Points earned, before any rescaling. */
  readonly total: number;
  /** The part points that excluded (not applicable) criteria were worth. */
  readonly excludedPoints: number;
  /** total / (max − excluded) × max when the framework rescales and something is excluded; else total. */
  readonly rescaled: number;
  /** The score that is banded and ranked: always equal to `rescaled`. */
  readonly score: number;
  readonly groups: readonly GroupScore[];
  readonly criteria: readonly CriterionScore[];
  /** Criteria with no answer; they score 0 (submission guards are the assessment's concern). */
  readonly unanswered: readonly string[];
  /** The level code (`I` … `IV`, `tot` …), or null when unranked. */
  readonly level: string | null;
  readonly levelLabel: string | null;
}

/** The group figures the level bands need. */
export interface GroupShare {
  readonly code: string;
  readonly share: number | null;
}

/**
 * The points one answer earns, or null when the criterion is not applicable (its points are then
 * excluded, not zero). Refuses answers that do not fit the rule with validation errors.
 * Rounded only by a rule that rounds each criterion (stage `criterion`, the default).
 */
export function scoreCriterion(criterion: CriterionDefinition, answer: CriterionAnswer, rounding?: RoundingRule): number | null {
  return scoreAnswer(criterion, answer, 'answer', criterionRounding(rounding));
}

/** The rule each criterion's points are rounded by: none unless the framework rounds at that stage. */
function criterionRounding(rounding: RoundingRule | undefined): RoundingRule | undefined {
  return rounding && roundingStageOf(rounding) === 'criterion' ? rounding : undefined;
}

/** Where an answer sits in the request: `answer` (one criterion) or `answers[<code>]` (a whole part). */
type AnswerPlace = 'answer' | 'answers';

const fieldOf = (criterion: CriterionDefinition, place: AnswerPlace): string => (place === 'answer' ? 'answer' : `answers[${criterion.code}]`);

/** Answered "not applicable": what an excluded criterion scores whether or not it was answered. */
const NOT_APPLICABLE: CriterionAnswer = { kind: 'not_applicable' };

// A national recalculation scores some millions of answers, so the error's field, message and
// details are built only when an answer is refused, never for an answer that scores.
function refusal(
  code: Parameters<typeof scoringError>[0],
  criterion: CriterionDefinition,
  place: AnswerPlace,
  message: string,
  value?: unknown,
): ReturnType<typeof scoringError> {
  const field = code === ScoringErrorCode.notApplicableNotAllowed ? fieldOf(criterion, place) : `${fieldOf(criterion, place)}.value`;
  const details = { criterionCode: criterion.code, maxPoints: criterion.maxPoints };
  return scoringError(code, message, field, code === ScoringErrorCode.notApplicableNotAllowed ? details : { ...details, value });
}

const invalidAnswer = (criterion: CriterionDefinition, place: AnswerPlace, value: unknown, expected: string) =>
  refusal(ScoringErrorCode.invalidAnswer, criterion, place, `Criterion ${criterion.code} expects ${expected}, got ${JSON.stringify(value)}`, value);

function scoreAnswer(criterion: CriterionDefinition, answer: CriterionAnswer, place: AnswerPlace, rounding: RoundingRule | undefined): number | null {
  if (criterion.excluded) return null;
  if (answer.kind === 'not_applicable') {
    if (!criterion.mayBeNotApplicable) {
      throw refusal(ScoringErrorCode.notApplicableNotAllowed, criterion, place, `Criterion ${criterion.code} may not be declared not applicable`);
    }
    return null;
  }
  const value = answer.value;
  const rule = criterion.rule;
  let points: number;
  switch (rule.kind) {
    case 'yes_no':
      if (typeof value !== 'boolean') throw invalidAnswer(criterion, place, value, 'yes or no (a boolean)');
      points = value ? criterion.maxPoints : 0;
      break;
    case 'manual':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalidAnswer(criterion, place, value, 'points of 0 or more');
      if (value > criterion.maxPoints) {
        throw refusal(ScoringErrorCode.scoreAboveMaximum, criterion, place, `Criterion ${criterion.code}: ${value} is above its maximum of ${criterion.maxPoints}`, value);
      }
      points = value;
      break;
    case 'ratio':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalidAnswer(criterion, place, value, 'a value of 0 or more');
      points = (Math.min(value, rule.target) / rule.target) * criterion.maxPoints;
      break;
    case 'banded': {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidAnswer(criterion, place, value, 'a number');
      const band = rule.bands.find((b) => value >= b.from && (b.to === undefined || value < b.to));
      if (!band) throw invalidAnswer(criterion, place, value, 'a value inside one of its ranges');
      points = band.points;
      break;
    }
    default:
      return assertNever(rule, 'scoring rule');
  }
  return rounding ? roundScore(points, rounding) : points;
}

/**
 * Scores one part (tier × part) from a unit's answers. Answers to other parts are ignored, so a
 * whole assessment's answers can be passed; unknown codes are refused. Rounding follows the
 * framework's stage (RoundingStage in framework-definition.ts).
 */
export function scorePart(
  framework: FrameworkDefinition,
  tier: string,
  partCode: string,
  answers: ReadonlyMap<string, CriterionAnswer>,
): PartScore {
  const part = findPart(framework, tier, partCode);
  if (!part) {
    throw scoringError(ScoringErrorCode.unknownPart, `Framework ${framework.id} has no part ${tier}/${partCode}`, 'partCode', {
      frameworkId: framework.id,
      tier,
      partCode,
    });
  }
  const known = criterionCodes(framework);
  for (const code of answers.keys()) {
    if (!known.has(code)) {
      throw scoringError(ScoringErrorCode.unknownCriterion, `Framework ${framework.id} has no criterion ${code}`, `answers[${code}]`, {
        criterionCode: code,
      });
    }
  }

  const rounding = framework.rounding;
  const stage = roundingStageOf(rounding);
  const perCriterion = criterionRounding(rounding);
  const criteria: CriterionScore[] = [];
  const unanswered: string[] = [];
  const groups = part.groups.map((group): GroupScore & { readonly weight: number } => {
    let points = 0;
    let maxPoints = 0;
    let excludedPoints = 0;
    for (const criterion of group.criteria) {
      const answer = answers.get(criterion.code);
      const earned =
        criterion.excluded || answer ? scoreAnswer(criterion, answer ?? NOT_APPLICABLE, 'answers', perCriterion) : 0;
      if (!answer && !criterion.excluded) unanswered.push(criterion.code);
      maxPoints += criterion.maxPoints;
      if (earned === null) excludedPoints += criterion.maxPoints;
      else points += earned;
      criteria.push({
        code: criterion.code,
        maxPoints: criterion.maxPoints,
        points: earned ?? 0,
        notApplicable: earned === null,
        answered: answer !== undefined,
      });
    }
    points = roundScore(points, stage === 'total' ? rounding : NOISE);
    maxPoints = roundScore(maxPoints, NOISE);
    excludedPoints = roundScore(excludedPoints, NOISE);
    const counted = framework.notApplicableRescaling ? maxPoints - excludedPoints : maxPoints;
    return {
      code: group.code,
      points,
      maxPoints,
      excludedPoints,
      share: counted > 0 ? points / counted : null,
      weight: group.weight ?? 0,
    };
  });

  const { total, excludedPoints, rescaled } = aggregate(part, groups, framework.notApplicableRescaling, rounding);
  const band = levelBandFor(part, rescaled, groups);
  return {
    tier,
    partCode,
    maxPoints: part.maxPoints,
    total,
    excludedPoints,
    rescaled,
    score: rescaled,
    groups: groups.map(({ weight: _weight, ...group }) => ({ ...group, points: roundScore(group.points, rounding) })),
    criteria,
    unanswered,
    level: band?.level ?? null,
    levelLabel: band?.label ?? null,
  };
}

function aggregate(
  part: PartDefinition,
  groups: readonly (GroupScore & { readonly weight: number })[],
  rescaling: boolean,
  rounding: RoundingRule,
): { total: number; excludedPoints: number; rescaled: number } {
  switch (part.aggregation) {
    case 'sum': {
      const sum = groups.reduce((running, group) => running + group.points, 0);
      const total = roundScore(sum, rounding);
      const excludedPoints = roundScore(
        groups.reduce((sum, group) => sum + group.excludedPoints, 0),
        NOISE,
      );
      const counted = part.maxPoints - excludedPoints;
      if (!rescaling || excludedPoints === 0) return { total, excludedPoints, rescaled: total };
      // Only stage `final` rescales the unrounded total; the others rescale the total as shown.
      const rescaledFrom = roundingStageOf(rounding) === 'final' ? roundScore(sum, NOISE) : total;
      return { total, excludedPoints, rescaled: counted > 0 ? roundScore((rescaledFrom * part.maxPoints) / counted, rounding) : 0 };
    }
    case 'weighted': {
      // DTI style: each group contributes weight × its share of its own maximum.
      const total = roundScore(
        groups.reduce((sum, group) => sum + (group.weight * group.points * part.maxPoints) / group.maxPoints, 0),
        rounding,
      );
      const excludedPoints = roundScore(
        groups.reduce((sum, group) => sum + (group.weight * group.excludedPoints * part.maxPoints) / group.maxPoints, 0),
        rounding,
      );
      if (!rescaling || excludedPoints === 0) return { total, excludedPoints, rescaled: total };
      // A group with nothing left to score drops out and the other weights are scaled up to 1.
      const remaining = groups.filter((group) => group.share !== null);
      const weights = remaining.reduce((sum, group) => sum + group.weight, 0);
      const weighted = remaining.reduce((sum, group) => sum + group.weight * (group.share ?? 0), 0);
      return { total, excludedPoints, rescaled: weights > 0 ? roundScore((weighted / weights) * part.maxPoints, rounding) : 0 };
    }
    default:
      return assertNever(part.aggregation, 'aggregation');
  }
}

/**
 * The highest band the score reaches (boundaries inclusive) whose per-group minimum shares are
 * also met; null below the lowest band (unranked). A band's group minimum counts as met for a
 * group every criterion of which is excluded, and as missed for a group absent from `groups`.
 */
export function levelBandFor(part: PartDefinition, score: number, groups: readonly GroupShare[] = []): LevelBand | null {
  const shares = new Map(groups.map((group) => [group.code, group.share]));
  for (const band of part.levels) {
    if (score + COMPARISON_TOLERANCE < band.minScore) continue;
    const groupMinimumsMet = Object.entries(band.minGroupShares ?? {}).every(([code, minimum]) => {
      const share = shares.get(code);
      if (share === null) return true;
      return share !== undefined && share + COMPARISON_TOLERANCE >= minimum;
    });
    if (groupMinimumsMet) return band;
  }
  return null;
}

/** The level code for a score, or null when unranked. See levelBandFor. */
export function levelFor(part: PartDefinition, score: number, groups: readonly GroupShare[] = []): string | null {
  return levelBandFor(part, score, groups)?.level ?? null;
}
