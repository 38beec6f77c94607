import { isDomainError, type DomainError } from '@tieuchi/shared/kernel';
import { parseFrameworkDefinition } from '../definition/framework-definition.parser';
import type { CriterionAnswer, CriterionDefinition, FrameworkDefinition } from '../framework-definition';
import { levelFor, scoreCriterion, scorePart } from './scoring-engine';

const criterion = (rule: CriterionDefinition['rule'], extra: Partial<CriterionDefinition> = {}): CriterionDefinition => ({
  code: 'C.1',
  title: 'Tiêu chí',
  maxPoints: 5,
  rule,
  mayBeNotApplicable: false,
  evidenceRequired: false,
  explanationRequired: false,
  ...extra,
});
const value = (v: number | boolean): CriterionAnswer => ({ kind: 'value', value: v });
const notApplicable: CriterionAnswer = { kind: 'not_applicable' };

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('scoreCriterion', () => {
  it('R-POINTS: "yes/no scores 0 or the maximum"', () => {
    expect(scoreCriterion(criterion({ kind: 'yes_no' }), value(true))).toBe(5);
    expect(scoreCriterion(criterion({ kind: 'yes_no' }), value(false))).toBe(0);
  });

  it('R-POINTS: "manual points go from 0 to the maximum, inclusive"', () => {
    expect(scoreCriterion(criterion({ kind: 'manual' }), value(3.27))).toBe(3.27);
    expect(scoreCriterion(criterion({ kind: 'manual' }), value(5))).toBe(5);
    expect(scoreCriterion(criterion({ kind: 'manual' }), value(0))).toBe(0);
  });

  it('R-POINTS: "a ratio scores value / target × maximum, capped at the maximum"', () => {
    const ratio = criterion({ kind: 'ratio', target: 80 });
    expect(scoreCriterion(ratio, value(40))).toBe(2.5);
    expect(scoreCriterion(ratio, value(80))).toBe(5);
    expect(scoreCriterion(ratio, value(120))).toBe(5);
    expect(scoreCriterion(criterion({ kind: 'ratio', target: 3 }), value(1), { decimals: 2, mode: 'half_up' })).toBe(1.67);
  });

  it('R-POINTS: "a banded table gives the points of the range holding the value, lower bound inclusive"', () => {
    const banded = criterion({
      kind: 'banded',
      bands: [
        { from: 0, to: 5, points: 0 },
        { from: 5, to: 10, points: 2 },
        { from: 10, points: 5 },
      ],
    });
    expect(scoreCriterion(banded, value(4.99))).toBe(0);
    expect(scoreCriterion(banded, value(5))).toBe(2);
    expect(scoreCriterion(banded, value(10))).toBe(5);
    expect(scoreCriterion(banded, value(1000))).toBe(5);
    expect(refusal(() => scoreCriterion(banded, value(-1))).code).toBe('ASSESSMENT.INVALID_ANSWER');
  });

  it('R-NA-EXCLUDED: "a criterion an amendment excluded is not applicable for every unit", as is an allowed N/A answer', () => {
    expect(scoreCriterion(criterion({ kind: 'manual' }, { mayBeNotApplicable: true }), notApplicable)).toBeNull();
    expect(scoreCriterion(criterion({ kind: 'manual' }, { excluded: true }), value(4))).toBeNull();
  });

  it.each([
    ['manual points above the maximum', criterion({ kind: 'manual' }), value(5.01), 'ASSESSMENT.SCORE_ABOVE_MAXIMUM', 'answer.value'],
    ['negative manual points', criterion({ kind: 'manual' }), value(-0.5), 'ASSESSMENT.INVALID_ANSWER', 'answer.value'],
    ['a number for yes/no', criterion({ kind: 'yes_no' }), value(1), 'ASSESSMENT.INVALID_ANSWER', 'answer.value'],
    ['a boolean for manual points', criterion({ kind: 'manual' }), value(true), 'ASSESSMENT.INVALID_ANSWER', 'answer.value'],
    ['a negative ratio value', criterion({ kind: 'ratio', target: 100 }), value(-1), 'ASSESSMENT.INVALID_ANSWER', 'answer.value'],
    ['N/A where it is not allowed', criterion({ kind: 'manual' }), notApplicable, 'ASSESSMENT.NOT_APPLICABLE_NOT_ALLOWED', 'answer'],
  ])('refuses %s', (_what, definition, answer, code, field) => {
    const error = refusal(() => scoreCriterion(definition, answer));
    expect(error.code).toBe(code);
    expect(error.category).toBe('validation');
    expect(error.field).toBe(field);
    expect(error.details).toEqual(expect.objectContaining({ criterionCode: 'C.1' }));
  });
});

/** Readiness of 20 in two groups; N/A rescaling on; Mức II needs half of group B as well. */
const small: FrameworkDefinition = parseFrameworkDefinition(`
id: small
title: Small
notApplicableRescaling: true
tiers:
  - tier: district
    parts:
      - code: readiness
        title: Sẵn sàng
        maxPoints: 20
        groups:
          - code: A
            title: Nhóm A
            criteria:
              - { code: A.1, title: Một, maxPoints: 4, rule: { kind: yes_no } }
              - { code: A.2, title: Hai, maxPoints: 6, rule: { kind: manual }, mayBeNotApplicable: true }
          - code: B
            title: Nhóm B
            criteria:
              - { code: B.1, title: Ba, maxPoints: 10, rule: { kind: ratio, target: 100 } }
        levels:
          - { level: I, label: Mức I, minScore: 18 }
          - { level: II, label: Mức II, minScore: 14, minGroupShares: { B: 0.5 } }
          - { level: III, label: Mức III, minScore: 10 }
      - code: results
        title: Kết quả
        maxPoints: 5
        groups:
          - code: K
            title: Nhóm K
            criteria:
              - { code: K.1, title: Bốn, maxPoints: 5, rule: { kind: manual } }
        levels:
          - { level: I, label: Mức I, minScore: 5 }
`);
const answers = (entries: Record<string, CriterionAnswer>) => new Map(Object.entries(entries));

describe('scorePart', () => {
  it('R-SUM: "a part\'s score is the sum of its criteria\'s points"; groups and the level are reported with it', () => {
    const score = scorePart(small, 'district', 'readiness', answers({ 'A.1': value(true), 'A.2': value(4.5), 'B.1': value(60) }));
    expect(score).toMatchObject({ total: 14.5, maxPoints: 20, excludedPoints: 0, rescaled: 14.5, score: 14.5, level: 'II', levelLabel: 'Mức II' });
    expect(score.groups).toEqual([
      { code: 'A', points: 8.5, maxPoints: 10, excludedPoints: 0, share: 0.85 },
      { code: 'B', points: 6, maxPoints: 10, excludedPoints: 0, share: 0.6 },
    ]);
  });

  it('R-NA-RESCALE: "criteria that do not apply are excluded and the part score is rescaled: score / (max − excluded) × max"', () => {
    const score = scorePart(small, 'district', 'readiness', answers({ 'A.1': value(true), 'A.2': notApplicable, 'B.1': value(81.3) }));
    // 4 + 8.13 = 12.13 of 14 counted points → 12.13 / 14 × 20 = 17.328… → 17.33
    expect(score).toMatchObject({ total: 12.13, excludedPoints: 6, rescaled: 17.33, level: 'II' });
    expect(score.criteria.find((c) => c.code === 'A.2')).toEqual({ code: 'A.2', maxPoints: 6, points: 0, notApplicable: true, answered: true });
  });

  it('R-NA-RESCALE: "a framework that does not rescale leaves the points of excluded criteria unearned"', () => {
    const plain = { ...small, notApplicableRescaling: false };
    const score = scorePart(plain, 'district', 'readiness', answers({ 'A.1': value(true), 'A.2': notApplicable, 'B.1': value(81.3) }));
    expect(score).toMatchObject({ total: 12.13, excludedPoints: 6, rescaled: 12.13, level: 'III' });
  });

  it('R-GROUP-MIN: "a unit that misses a group minimum gets the highest level whose conditions it meets"', () => {
    const score = scorePart(small, 'district', 'readiness', answers({ 'A.1': value(true), 'A.2': value(6), 'B.1': value(49) }));
    expect(score.total).toBe(14.9);
    expect(score.level).toBe('III');
  });

  it('R-THRESHOLD: "a unit below the lowest level is unranked"', () => {
    const score = scorePart(small, 'district', 'readiness', answers({ 'A.1': value(false), 'A.2': value(3), 'B.1': value(69.9) }));
    expect(score.total).toBe(9.99);
    expect(score.level).toBeNull();
    expect(score.levelLabel).toBeNull();
  });

  it('R-UNANSWERED: "an unanswered criterion scores 0", and is listed', () => {
    const score = scorePart(small, 'district', 'readiness', answers({ 'A.1': value(true) }));
    expect(score.total).toBe(4);
    expect(score.unanswered).toEqual(['A.2', 'B.1']);
  });

  it('ignores answers of other parts and refuses codes the framework does not know', () => {
    const score = scorePart(small, 'district', 'results', answers({ 'A.1': value(true), 'K.1': value(5) }));
    expect(score.total).toBe(5);
    const error = refusal(() => scorePart(small, 'district', 'results', answers({ 'Z.9': value(1) })));
    expect(error).toMatchObject({ code: 'ASSESSMENT.UNKNOWN_CRITERION', field: 'answers[Z.9]' });
  });

  it('names the criterion of a refused answer in the field', () => {
    const error = refusal(() => scorePart(small, 'district', 'results', answers({ 'K.1': value(7) })));
    expect(error).toMatchObject({ code: 'ASSESSMENT.SCORE_ABOVE_MAXIMUM', field: 'answers[K.1].value' });
  });

  it('refuses a part the framework does not have', () => {
    expect(refusal(() => scorePart(small, 'commune', 'readiness', new Map())).code).toBe('FRAMEWORK.UNKNOWN_PART');
  });
});

describe('levelFor', () => {
  const readiness = small.tiers[0]!.parts[0]!;

  it('R-THRESHOLD: "a score equal to a level\'s lowest score reaches that level"', () => {
    expect(levelFor(readiness, 18)).toBe('I');
    expect(levelFor(readiness, 17.99, [{ code: 'B', share: 1 }])).toBe('II');
    expect(levelFor(readiness, 10)).toBe('III');
    expect(levelFor(readiness, 9.99)).toBeNull();
  });

  it('R-GROUP-MIN-NA: "a group every criterion of which is not applicable meets its minimum"', () => {
    expect(levelFor(readiness, 15)).toBe('III');
    expect(levelFor(readiness, 15, [{ code: 'B', share: null }])).toBe('II');
  });
});

/**
 * Results of 100 in the shape of Thừa Thiên Huế's A Lưới 2020: 8 points not applicable, 75.405
 * earned of the 92 that count (a ratio criterion gives 5.405). Published: 81.96, rescaled from
 * the unrounded raw score; rounding the raw score to 75.41 first gives 81.97.
 */
const aLuoi = (stage?: 'criterion' | 'total' | 'final'): FrameworkDefinition =>
  parseFrameworkDefinition(`
id: hue
title: Huế
rounding: { decimals: 2, mode: half_up${stage ? `, stage: ${stage}` : ''} }
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
              - { code: A.1, title: Một, maxPoints: 40, rule: { kind: yes_no } }
              - { code: A.2, title: Hai, maxPoints: 42, rule: { kind: manual } }
          - code: B
            title: Nhóm B
            criteria:
              - { code: B.1, title: Ba, maxPoints: 10, rule: { kind: ratio, target: 100 } }
              - { code: B.2, title: Bốn, maxPoints: 8, rule: { kind: manual }, mayBeNotApplicable: true }
        levels:
          - { level: I, label: Mức I, minScore: 90 }
`);
const aLuoiAnswers = answers({ 'A.1': value(true), 'A.2': value(30), 'B.1': value(54.05), 'B.2': notApplicable });

describe('rounding stage (R-ROUND-STAGE)', () => {
  it('R-ROUND-STAGE: "at stage final only the rescaled score is rounded, computed from the unrounded total" (Huế, A Lưới 2020: 81.96)', () => {
    const score = scorePart(aLuoi('final'), 'district', 'results', aLuoiAnswers);
    expect(score).toMatchObject({ total: 75.41, excludedPoints: 8, rescaled: 81.96, score: 81.96 });
    expect(score.criteria.find((c) => c.code === 'B.1')?.points).toBeCloseTo(5.405, 12);
  });

  it('R-ROUND-STAGE: "at stage total the rescaled score is computed from the rounded total" (A Lưới: 75.41 of 92 → 81.97)', () => {
    expect(scorePart(aLuoi('total'), 'district', 'results', aLuoiAnswers)).toMatchObject({ total: 75.41, rescaled: 81.97 });
  });

  it('R-ROUND-STAGE: "at stage criterion, the default, each criterion is rounded before the totals" (frameworks without a stage keep it)', () => {
    const criterion = scorePart(aLuoi('criterion'), 'district', 'results', aLuoiAnswers);
    expect(criterion).toMatchObject({ total: 75.41, rescaled: 81.97 });
    expect(criterion.criteria.find((c) => c.code === 'B.1')?.points).toBe(5.41);
    expect(scorePart(aLuoi(), 'district', 'results', aLuoiAnswers)).toEqual(criterion);
  });

  it('R-ROUND-STAGE: "at stage total each group total is rounded, so the part total is the sum of the group totals shown"', () => {
    const groups = answers({ 'A.1': value(false), 'A.2': value(1.004), 'B.1': value(10.04), 'B.2': value(0) });
    // 1.004 + 1.004 = 2.008 → 2.01 rounded once; 1.00 + 1.00 = 2.00 when each group total is rounded.
    expect(scorePart(aLuoi('final'), 'district', 'results', groups).total).toBe(2.01);
    expect(scorePart(aLuoi('total'), 'district', 'results', groups)).toMatchObject({ total: 2, groups: [{ points: 1 }, { points: 1 }] });
  });

  it('R-ROUND-MODE: "mode down truncates toward zero, half_up rounds halves away from zero"', () => {
    const truncating = { ...aLuoi('final'), rounding: { decimals: 2, mode: 'down' as const, stage: 'final' as const } };
    // 75.405 / 92 × 100 = 81.96195…: 81.96 either way; 75.41 / 92 × 100 = 81.96739… truncates to 81.96 too.
    expect(scorePart(truncating, 'district', 'results', aLuoiAnswers).rescaled).toBe(81.96);
    const total = { ...truncating, rounding: { decimals: 2, mode: 'down' as const, stage: 'total' as const } };
    expect(scorePart(total, 'district', 'results', aLuoiAnswers)).toMatchObject({ total: 75.4, rescaled: 81.95 });
  });
});
