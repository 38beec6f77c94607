import fc from 'fast-check';
import type { PartRecalculation, ScoringInputs } from '@tieuchi/assessment/domain';
import { applyAmendment, type CriterionAnswer, type FrameworkDefinition, loadBundledFramework } from '@tieuchi/framework/domain';
import { bandedAnew, differOnlyInLevels, recalculateParts, scoreAssessment } from './recalculate-assessment.processor';

const v1: FrameworkDefinition = loadBundledFramework('2392-2017');
const district = v1.tiers.find((tier) => tier.tier === 'district')!;
const readiness = district.parts.find((part) => part.code === 'readiness')!;
const criteria = district.parts.flatMap((part) => part.groups.flatMap((group) => group.criteria));
const commune = v1.tiers.find((tier) => tier.tier === 'commune')!;
const communeCriteria = commune.parts.flatMap((part) => part.groups.flatMap((group) => group.criteria));

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
    newFigures: {
      maxPoints: after.maxPoints,
      total: after.total,
      excludedPoints: after.excludedPoints,
      unanswered: after.unanswered.length,
      groupShares: after.groups.map((group) => ({ code: group.code, share: group.share })),
    },
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

const inputsOf = (tier: string, scored: typeof criteria) =>
  fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean()), { minLength: scored.length, maxLength: scored.length }).map(
    (draws): ScoringInputs =>
      ({
        tier,
        answers: Object.fromEntries(scored.flatMap((criterion, i) => {
          const answer = answerOf(criterion, draws[i]![0], draws[i]![1]);
          return answer ? [[criterion.code, answer]] : [];
        })),
      }) as unknown as ScoringInputs,
  );
const inputsArbitrary = inputsOf('district', criteria);

/** The bundled framework with the level bands of one part moved by `shift` points, as version `version`. */
function thresholdAmended(from: FrameworkDefinition, tier: string, partCode: string, shift: number, version: number): FrameworkDefinition {
  const part = from.tiers.find((t) => t.tier === tier)!.parts.find((p) => p.code === partCode)!;
  return {
    ...applyAmendment(from, {
      cause: 'Điều chỉnh ngưỡng mức',
      decisionReference: `${version}/QĐ-UBND`,
      changes: [{ kind: 'levels_changed', tier, partCode, levels: part.levels.map(({ provisional: _p, ...band }) => ({ ...band, minScore: band.minScore + shift })) }],
    }),
    version,
  };
}

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

  it('bands anew the parts a recalculation recorded, as scoring the answers again would, when the amendment moves only levels', () => {
    fc.assert(
      fc.property(inputsOf('commune', communeCriteria), fc.integer({ min: -6, max: 3 }), fc.integer({ min: -6, max: 6 }), (inputs, first, second) => {
        const v2 = thresholdAmended(v1, 'commune', 'readiness', first, 2);
        const v3 = thresholdAmended(v2, 'commune', 'results', second, 3);
        const recorded = recalculateParts(inputs, v1, v2);
        expect(bandedAnew(recorded, 'commune', v2, v3)).toEqual(scoredTwice(inputs, v2, v3));
      }),
      { numRuns: 200 },
    );
  });

  it('bands anew by the recorded group shares where the bands set group minimums', () => {
    expect(readiness.levels.some((band) => Object.keys(band.minGroupShares ?? {}).length > 0)).toBe(true);
    fc.assert(
      fc.property(inputsArbitrary, fc.integer({ min: -6, max: 3 }), fc.integer({ min: -6, max: 3 }), (inputs, first, second) => {
        const v2 = thresholdAmended(v1, 'district', 'readiness', first, 2);
        // Bands `second` points from where v1 set them.
        const v3 = thresholdAmended(v2, 'district', 'readiness', second - first, 3);
        expect(bandedAnew(recalculateParts(inputs, v1, v2), 'district', v2, v3)).toEqual(scoredTwice(inputs, v2, v3));
      }),
      { numRuns: 200 },
    );
  });

  it('scores the answers again where recorded parts cannot be banded: group minimums without shares, figures not recorded, scoring changed, nothing recorded', () => {
    const inputs = fc.sample(inputsArbitrary, 1)[0]!;
    const v2 = thresholdAmended(v1, 'district', 'results', 1, 2);
    const recorded = recalculateParts(inputs, v1, v2);
    // District readiness bands set group minimums, which parts recorded before their group shares cannot meet.
    const v3 = thresholdAmended(v2, 'district', 'results', 1, 3);
    expect(bandedAnew(recorded, 'district', v2, v3)).not.toBeNull();
    expect(bandedAnew(recorded.map(({ newFigures, ...part }) => ({ ...part, newFigures: { ...newFigures!, groupShares: undefined } })), 'district', v2, v3)).toBeNull();
    const communeInputs = fc.sample(inputsOf('commune', communeCriteria), 1)[0]!;
    const communeV2 = thresholdAmended(v1, 'commune', 'readiness', 1, 2);
    const communeRecorded = recalculateParts(communeInputs, v1, communeV2);
    const communeV3 = thresholdAmended(communeV2, 'commune', 'readiness', 1, 3);
    expect(bandedAnew(communeRecorded, 'commune', communeV2, communeV3)).not.toBeNull();
    expect(bandedAnew(communeRecorded.map(({ newFigures: _f, ...part }) => part), 'commune', communeV2, communeV3)).toBeNull();
    expect(bandedAnew(null, 'commune', communeV2, communeV3)).toBeNull();
    const criterion = communeCriteria.find((c) => c.rule.kind === 'manual')!;
    const excluded = { ...applyAmendment(communeV2, { cause: 'Không đưa vào đánh giá', decisionReference: '14/QĐ-UBND', changes: [{ kind: 'criterion_excluded', criterionCode: criterion.code }] }), version: 3 };
    expect(bandedAnew(communeRecorded, 'commune', communeV2, excluded)).toBeNull();
  });
});
