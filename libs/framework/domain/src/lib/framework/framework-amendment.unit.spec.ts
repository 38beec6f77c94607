import { isDomainError, type DomainError } from '@tieuchi/shared/kernel';
import { loadBundledFramework } from '../definition/framework-definition.loader';
import { findCriterion, findPart } from '../definition/framework-definition.lookup';
import type { FrameworkDefinition } from '../framework-definition';
import { roundScore } from '../scoring/rounding';
import { scorePart } from '../scoring/scoring-engine';
import { answersForTarget } from '../../testing/answers-for-target';
import { applyAmendment, type AmendmentChange, type FrameworkAmendment } from './framework-amendment';

const v1: FrameworkDefinition = loadBundledFramework('2392-2017');
const amendment = (...changes: AmendmentChange[]): FrameworkAmendment => ({
  cause: 'Điều chỉnh ngưỡng theo hướng dẫn của Bộ',
  decisionReference: '12/QĐ-UBND 05/03/2019',
  changes,
});

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('applyAmendment', () => {
  it('changes thresholds in a new version and leaves the old one as it was', () => {
    const before = structuredClone(v1);
    const levels = findPart(v1, 'district', 'readiness')!.levels.map((band) => ({ ...band, minScore: band.minScore + 1 }));
    const v2 = applyAmendment(v1, amendment({ kind: 'levels_changed', tier: 'district', partCode: 'readiness', levels }));
    expect(v2.version).toBe(2);
    expect(findPart(v2, 'district', 'readiness')!.levels.map((band) => band.minScore)).toEqual([46, 41, 38.5, 36]);
    expect(v1).toEqual(before);
    expect(findPart(v2, 'district', 'results')).toEqual(findPart(v1, 'district', 'results'));
  });

  it('changes criterion maxima when the part still adds up', () => {
    const v2 = applyAmendment(
      v1,
      amendment(
        { kind: 'criterion_maximum_changed', criterionCode: 'H.SS.HT.4', maxPoints: 3 },
        { kind: 'criterion_maximum_changed', criterionCode: 'H.SS.HT.5', maxPoints: 6 },
      ),
    );
    expect(findCriterion(v2, 'H.SS.HT.4')!.criterion.maxPoints).toBe(3);
    expect(findCriterion(v2, 'H.SS.HT.5')!.criterion.maxPoints).toBe(6);
  });

  it('refuses a maximum change that breaks the part total, naming the field', () => {
    const error = refusal(() => applyAmendment(v1, amendment({ kind: 'criterion_maximum_changed', criterionCode: 'H.SS.HT.4', maxPoints: 3 })));
    expect(error).toMatchObject({ code: 'FRAMEWORK.INVALID_AMENDMENT', category: 'validation', field: 'tiers[0].parts[0].maxPoints' });
    expect(error.message).toContain('add up to 49');
  });

  it('removes a criterion together with the part maximum it carried', () => {
    const v2 = applyAmendment(
      v1,
      amendment(
        { kind: 'criterion_removed', criterionCode: 'H.KQ.CD.3' },
        { kind: 'part_maximum_changed', tier: 'district', partCode: 'results', maxPoints: 95 },
      ),
    );
    expect(findCriterion(v2, 'H.KQ.CD.3')).toBeUndefined();
    expect(findPart(v2, 'district', 'results')!.maxPoints).toBe(95);
    expect(refusal(() => applyAmendment(v1, amendment({ kind: 'criterion_removed', criterionCode: 'H.KQ.CD.3' }))).code).toBe(
      'FRAMEWORK.INVALID_AMENDMENT',
    );
  });

  it('excludes a criterion for every unit: its points are excluded and the part rescaled', () => {
    const v2 = applyAmendment(v1, amendment({ kind: 'criterion_excluded', criterionCode: 'H.SS.HT.5' }));
    const part = findPart(v1, 'district', 'readiness')!;
    const answers = answersForTarget(part, 40);
    const before = scorePart(v1, 'district', 'readiness', answers);
    const after = scorePart(v2, 'district', 'readiness', answers);
    const htFive = before.criteria.find((c) => c.code === 'H.SS.HT.5')!.points;
    expect(after.excludedPoints).toBe(5);
    expect(after.total).toBe(40 - htFive);
    expect(after.rescaled).toBe(roundScore(((40 - htFive) / 45) * 50, v2.rounding));
  });

  it('changes whether a unit may declare a criterion not applicable', () => {
    const v2 = applyAmendment(v1, amendment({ kind: 'criterion_applicability_changed', criterionCode: 'H.SS.HT.1', mayBeNotApplicable: true }));
    expect(findCriterion(v2, 'H.SS.HT.1')!.criterion.mayBeNotApplicable).toBe(true);
  });

  it('changes the rounding rule', () => {
    const v2 = applyAmendment(v1, amendment({ kind: 'rounding_changed', rounding: { decimals: 3, mode: 'half_up' } }));
    expect(v2.rounding).toEqual({ decimals: 3, mode: 'half_up' });
  });

  it('R-ROUND-STAGE: "a rounding change that names no stage keeps the framework\'s stage"; one that names a stage sets it', () => {
    const final = applyAmendment(v1, amendment({ kind: 'rounding_changed', rounding: { decimals: 2, mode: 'half_up', stage: 'final' } }));
    expect(final.rounding).toEqual({ decimals: 2, mode: 'half_up', stage: 'final' });
    const truncated = applyAmendment(final, amendment({ kind: 'rounding_changed', rounding: { decimals: 2, mode: 'down' } }));
    expect(truncated.rounding).toEqual({ decimals: 2, mode: 'down', stage: 'final' });
    expect(applyAmendment(v1, amendment({ kind: 'rounding_changed', rounding: { decimals: 1, mode: 'down' } })).rounding).toEqual({ decimals: 1, mode: 'down' });
  });

  it('refuses a rounding stage the engine does not know', () => {
    const bad = { kind: 'rounding_changed', rounding: { decimals: 2, mode: 'half_up', stage: 'group' } } as unknown as AmendmentChange;
    expect(refusal(() => applyAmendment(v1, amendment(bad)))).toMatchObject({ code: 'FRAMEWORK.INVALID_AMENDMENT', field: expect.stringContaining('rounding.stage') });
  });

  it.each([
    ['an unknown criterion', amendment({ kind: 'criterion_excluded', criterionCode: 'H.SS.ZZ.9' }), 'FRAMEWORK.UNKNOWN_CRITERION', 'changes[0].criterionCode'],
    [
      'an unknown part',
      amendment({ kind: 'part_maximum_changed', tier: 'province', partCode: 'readiness', maxPoints: 10 }),
      'FRAMEWORK.UNKNOWN_PART',
      'changes[0].partCode',
    ],
    ['no changes', amendment(), 'FRAMEWORK.EMPTY_AMENDMENT', 'changes'],
    ['no cause', { ...amendment({ kind: 'criterion_excluded', criterionCode: 'H.SS.HT.5' }), cause: ' ' }, 'FRAMEWORK.AMENDMENT_CAUSE_REQUIRED', 'cause'],
    [
      'no decision reference',
      { ...amendment({ kind: 'criterion_excluded', criterionCode: 'H.SS.HT.5' }), decisionReference: '' },
      'FRAMEWORK.DECISION_REFERENCE_REQUIRED',
      'decisionReference',
    ],
    [
      'thresholds out of order',
      amendment({
        kind: 'levels_changed',
        tier: 'commune',
        partCode: 'results',
        levels: [
          { level: 'I', label: 'Mức I', minScore: 70 },
          { level: 'II', label: 'Mức II', minScore: 80 },
        ],
      }),
      'FRAMEWORK.INVALID_AMENDMENT',
      'tiers[1].parts[1].levels[1].minScore',
    ],
  ])('refuses %s', (_what, change, code, field) => {
    const error = refusal(() => applyAmendment(v1, change));
    expect(error.code).toBe(code);
    expect(error.category).toBe('validation');
    expect(error.field).toBe(field);
  });
});
