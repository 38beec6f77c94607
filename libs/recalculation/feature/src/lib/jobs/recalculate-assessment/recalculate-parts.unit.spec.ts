import fc from 'fast-check';
import type { PartRecalculation, ScoringInputs } from '@tieuchi/assessment/domain';
import { applyAmendment, type CriterionAnswer, type FrameworkDefinition, loadBundledFramework } from '@tieuchi/framework/domain';
import { differOnlyInLevels, recalculateParts, scoreAssessment } from './recalculate-assessment.processor';

const v1: FrameworkDefinition = loadBundledFramework('2392-2017');
const district = v1.tiers.find((tier) => tier.tier === 'district')!;
const readiness = district.parts.find((part) => part.code === 'readiness')!;
const criteria = district.parts.flatMap((part) => part.groups.flatMap((group) => group.criteria));

/** The reference: every part scored under both versions, as any amendment needs. */
function scoredTwice(inputs: ScoringInputs, from: FrameworkDefinition, to: FrameworkDefinition): PartRecalculation[] {
  const answers = new Map(Object.entries(inputs.answers));
  const before = new Map(scoreAssessment(from, inputs.tier, answers).map((part) => [part.partCode, part]));
  return scoreAssessment(to, inputs.tier, answers).map((after) => ({
    partCode: after.partCode,
    oldTotal: before.get(after.partCode)!.score,
    newTotal: after.score,
    oldLevel: before.get(after.partCode)!.level,
    newLevel: after.level,
    newFigures: { maxPoints: after.maxPoints, total: after.total, excludedPoints: after.excludedPoints, unanswered: after.unanswered.length },
  }));
}

const answerOf = (criterion: (typeof criteria)[number], share: number, notApplicable: boolean): CriterionAnswer | null => {
  if (notApplicable && criterion.mayBeNotApplicable) return { kind: 'not_applicable' };
  switch (criterion.rule.kind) {
    case 'yes_no':
      return { kind: 'value', value: share >= 0.5 };
    case 'manual':
      return { kind: 'value', value: Math.round(share * criterion.maxPoints * 4) / 4 };
    default:
      return null;
  }
};

const inputsArbitrary = fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean()), { minLength: criteria.length, maxLength: criteria.length }).map(
  (draws): ScoringInputs =>
    ({
      tier: 'district',
      answers: Object.fromEntries(criteria.flatMap((criterion, i) => {
        const answer = answerOf(criterion, draws[i]![0], draws[i]![1]);
        return answer ? [[criterion.code, answer]] : [];
      })),
    }) as unknown as ScoringInputs,
);

describe('recalculating the parts of an assessment', () => {
  it('scores once for a threshold amendment, and records exactly what scoring under both versions gives', () => {
    fc.assert(
      fc.property(inputsArbitrary, fc.integer({ min: -8, max: 4 }), (inputs, shift) => {
        const to = {
          ...applyAmendment(v1, {
            cause: 'Điều chỉnh ngưỡng mức',
            decisionReference: '12/QĐ-UBND',
            changes: [{ kind: 'levels_changed', tier: 'district', partCode: 'readiness', levels: readiness.levels.map(({ provisional: _p, ...band }) => ({ ...band, minScore: band.minScore + shift })) }],
          }),
          version: 2,
        };
        expect(differOnlyInLevels(v1, to)).toBe(true);
        expect(recalculateParts(inputs, v1, to)).toEqual(scoredTwice(inputs, v1, to));
      }),
      { numRuns: 200 },
    );
  });

  it('scores under both versions when the amendment changes how answers score', () => {
    const criterion = criteria.find((c) => c.rule.kind === 'manual')!;
    const to = {
      ...applyAmendment(v1, { cause: 'Không đưa vào đánh giá', decisionReference: '13/QĐ-UBND', changes: [{ kind: 'criterion_excluded', criterionCode: criterion.code }] }),
      version: 2,
    };
    expect(differOnlyInLevels(v1, to)).toBe(false);
    fc.assert(fc.property(inputsArbitrary, (inputs) => expect(recalculateParts(inputs, v1, to)).toEqual(scoredTwice(inputs, v1, to))), { numRuns: 50 });
  });
});
