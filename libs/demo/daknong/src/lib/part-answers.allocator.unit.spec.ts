import {
  decimalPlaces,
  groupMaxPoints,
  loadBundledFramework,
  scorePart,
  type CriterionAnswer,
  type FrameworkDefinition,
} from '@tieuchi/framework/domain';
import { answersForGroupTargets, splitAcrossGroups } from './part-answers.allocator';

// Reading the repository's framework file is the point: the demo must fit the real 2392 structure.
const framework: FrameworkDefinition = loadBundledFramework('2392-2017');
const parts = framework.tiers.flatMap((tier) => tier.parts.map((part) => ({ tier: tier.tier, part })));
const manualValues = (answers: ReadonlyMap<string, CriterionAnswer>, manualCodes: ReadonlySet<string>) =>
  [...answers].filter(([code]) => manualCodes.has(code)).map(([, answer]) => (answer.kind === 'value' ? Number(answer.value) : 0));

describe.each(parts.map(({ tier, part }) => [`${tier}/${part.code}`, tier, part] as const))('allocating %s', (_name, tier, part) => {
  const manualCodes = new Set(part.groups.flatMap((group) => group.criteria.filter((c) => c.rule.kind === 'manual').map((c) => c.code)));
  const totals = Array.from({ length: 41 }, (_, i) => Math.round((part.maxPoints * i * 100) / 40) / 100).concat([part.maxPoints - 0.01, 0.01]);

  it.each(totals)('reaches %p exactly, with whole percentages and manual points of at most 2 decimals', (total) => {
    const split = splitAcrossGroups(part, total, framework.rounding);
    const answers = answersForGroupTargets(part, split, framework.rounding);
    const score = scorePart(framework, tier, part.code, answers);
    expect(score.total).toBe(total);
    expect(score.unanswered).toEqual([]);
    score.groups.forEach((group) => expect(group.points).toBe(split.get(group.code)));
    manualValues(answers, manualCodes).forEach((value) => expect(decimalPlaces(value)).toBeLessThanOrEqual(2));
    for (const group of part.groups) {
      for (const criterion of group.criteria.filter((c) => c.rule.kind === 'ratio')) {
        const answer = answers.get(criterion.code);
        expect(answer?.kind === 'value' && Number.isInteger(answer.value)).toBe(true);
      }
    }
  });

  it('spreads a total over the groups in proportion to their maxima', () => {
    const split = splitAcrossGroups(part, part.maxPoints * 0.7, framework.rounding);
    for (const group of part.groups) {
      expect(split.get(group.code)! / groupMaxPoints(group)).toBeCloseTo(0.7, 3);
    }
  });
});

describe('explicit group targets', () => {
  const readiness = framework.tiers[0]!.parts[0]!;

  it('puts a third decimal on one manual criterion only, where the group target needs it', () => {
    const answers = answersForGroupTargets(
      readiness,
      new Map([
        ['HT', 19],
        ['NL', 13],
        ['CS', 5.865],
      ]),
      framework.rounding,
    );
    const score = scorePart(framework, 'district', 'readiness', answers);
    expect(score.total).toBe(37.865);
    expect(score.groups.map((group) => group.points)).toEqual([19, 13, 5.865]);
    const manualCodes = new Set(readiness.groups.flatMap((g) => g.criteria.filter((c) => c.rule.kind === 'manual').map((c) => c.code)));
    expect(manualValues(answers, manualCodes).filter((value) => decimalPlaces(value) === 3)).toHaveLength(1);
  });

  it('refuses a group target above the group maximum, a missing group and an unknown one', () => {
    const rounding = framework.rounding;
    expect(() => answersForGroupTargets(readiness, new Map([['HT', 21], ['NL', 0], ['CS', 0]]), rounding)).toThrow('target 21');
    expect(() => answersForGroupTargets(readiness, new Map([['HT', 1], ['NL', 1]]), rounding)).toThrow('no target for group CS');
    expect(() => answersForGroupTargets(readiness, new Map([['XX', 1]]), rounding)).toThrow('no group XX');
  });
});
