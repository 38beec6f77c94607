import fc from 'fast-check';
import { parseFrameworkDefinition } from '../definition/framework-definition.parser';
import type { CriterionAnswer, FrameworkDefinition, RoundingRule, RoundingStage } from '../framework-definition';
import { roundScore } from './rounding';
import { scoreCriterion, scorePart } from './scoring-engine';

/**
 * A results part of 100 whose criteria give points with more decimals than the rounding keeps
 * (ratios of 3, 7 and 9), in two groups, four of whose criteria may be not applicable.
 */
const base = parseFrameworkDefinition(`
id: stages
title: Stages
notApplicableRescaling: true
tiers:
  - tier: district
    parts:
      - code: results
        title: Kết quả
        maxPoints: 100
        groups:
          - code: A
            title: Nhóm A
            criteria:
              - { code: A.1, title: Một, maxPoints: 20, rule: { kind: ratio, target: 3 } }
              - { code: A.2, title: Hai, maxPoints: 15, rule: { kind: manual }, mayBeNotApplicable: true }
              - { code: A.3, title: Ba, maxPoints: 15, rule: { kind: ratio, target: 7 }, mayBeNotApplicable: true }
          - code: B
            title: Nhóm B
            criteria:
              - { code: B.1, title: Bốn, maxPoints: 25, rule: { kind: ratio, target: 9 } }
              - { code: B.2, title: Năm, maxPoints: 17, rule: { kind: manual }, mayBeNotApplicable: true }
              - { code: B.3, title: Sáu, maxPoints: 8, rule: { kind: yes_no }, mayBeNotApplicable: true }
        levels:
          - { level: I, label: Mức I, minScore: 90 }
          - { level: II, label: Mức II, minScore: 70 }
`);
const part = base.tiers[0]!.parts[0]!;
const criteria = part.groups.flatMap((group) => group.criteria);

const withRounding = (rounding: RoundingRule): FrameworkDefinition => ({ ...base, rounding });

/** Manual points in thousandths; ratio values in hundredths, above the target sometimes. */
const answerOf = (code: string): fc.Arbitrary<CriterionAnswer> => {
  const criterion = criteria.find((c) => c.code === code)!;
  const value: fc.Arbitrary<CriterionAnswer> =
    criterion.rule.kind === 'yes_no'
      ? fc.boolean().map((v) => ({ kind: 'value', value: v }))
      : criterion.rule.kind === 'ratio'
        ? fc.integer({ min: 0, max: criterion.rule.target * 120 }).map((n) => ({ kind: 'value', value: n / 100 }))
        : fc.integer({ min: 0, max: criterion.maxPoints * 1000 }).map((n) => ({ kind: 'value', value: n / 1000 }));
  return criterion.mayBeNotApplicable ? fc.oneof(value, fc.constant<CriterionAnswer>({ kind: 'not_applicable' })) : value;
};
const answersArbitrary = fc
  .tuple(...criteria.map((criterion) => answerOf(criterion.code)))
  .map((list) => new Map(criteria.map((criterion, index) => [criterion.code, list[index]!])));
const ruleArbitrary = fc.record({ decimals: fc.integer({ min: 0, max: 3 }), mode: fc.constantFrom('half_up' as const, 'half_even' as const, 'down' as const) });

/** The figure no rounding touched: unrounded points over what counts, × the maximum. */
function exactScore(answers: ReadonlyMap<string, CriterionAnswer>): number {
  let earned = 0;
  let excluded = 0;
  for (const criterion of criteria) {
    const points = scoreCriterion(criterion, answers.get(criterion.code)!);
    if (points === null) excluded += criterion.maxPoints;
    else earned += points;
  }
  return excluded === 0 ? earned : (earned * part.maxPoints) / (part.maxPoints - excluded);
}

const score = (rounding: RoundingRule, answers: ReadonlyMap<string, CriterionAnswer>) => scorePart(withRounding(rounding), 'district', 'results', answers);
const unit = (rule: RoundingRule) => 10 ** -rule.decimals;
const slack = 1e-9;
const stageOf = (rule: RoundingRule, stage: RoundingStage): RoundingRule => ({ ...rule, stage });

describe('rounding stage properties (R-ROUND-STAGE, R-ROUND-MODE)', () => {
  it('R-ROUND-STAGE: "a framework without a stage rounds each criterion", exactly as stage criterion does', () => {
    fc.assert(
      fc.property(ruleArbitrary, answersArbitrary, (rule, answers) => {
        expect(score(rule, answers)).toEqual(score(stageOf(rule, 'criterion'), answers));
      }),
      { numRuns: 150 },
    );
  });

  it('R-ROUND-STAGE: "at stage final only the rescaled score is rounded": it is the exact figure rounded once by the mode', () => {
    fc.assert(
      fc.property(ruleArbitrary, answersArbitrary, (rule, answers) => {
        const result = score(stageOf(rule, 'final'), answers);
        expect(result.score).toBe(roundScore(roundScore(exactScore(answers), { decimals: 9, mode: 'half_up' }), rule));
      }),
      { numRuns: 150 },
    );
  });

  it('R-ROUND-MODE: "down never exceeds the exact figure and loses less than one unit; half_up and half_even stay within half a unit"', () => {
    fc.assert(
      fc.property(ruleArbitrary, answersArbitrary, (rule, answers) => {
        const exact = exactScore(answers);
        const result = score(stageOf(rule, 'final'), answers).score;
        if (rule.mode === 'down') {
          expect(result).toBeLessThanOrEqual(exact + slack);
          expect(exact - result).toBeLessThan(unit(rule) + slack);
        } else {
          expect(Math.abs(result - exact)).toBeLessThanOrEqual(unit(rule) / 2 + slack);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('R-ROUND-STAGE: "at stage total the rescaled score is computed from the rounded total", the sum of the rounded group totals', () => {
    fc.assert(
      fc.property(ruleArbitrary, answersArbitrary, (rule, answers) => {
        const result = score(stageOf(rule, 'total'), answers);
        const groups = result.groups.reduce((sum, group) => sum + group.points, 0);
        expect(result.total).toBe(roundScore(groups, rule));
        const counted = part.maxPoints - result.excludedPoints;
        expect(result.score).toBe(result.excludedPoints === 0 ? result.total : roundScore((result.total * part.maxPoints) / counted, rule));
      }),
      { numRuns: 150 },
    );
  });

  it('R-ROUND-STAGE: "stage final lands nearest the exact figure"; every stage stays on the grid of the rule', () => {
    fc.assert(
      fc.property(ruleArbitrary, answersArbitrary, (rule, answers) => {
        const exact = exactScore(answers);
        const final = score(stageOf(rule, 'final'), answers).score;
        for (const stage of ['criterion', 'total'] as const) {
          const other = score(stageOf(rule, stage), answers).score;
          expect(roundScore(other, rule)).toBe(other);
          if (rule.mode !== 'down') expect(Math.abs(final - exact)).toBeLessThanOrEqual(Math.abs(other - exact) + slack);
        }
      }),
      { numRuns: 150 },
    );
  });
});
