import { assertNever } from '@tieuchi/shared/kernel';
import fc from 'fast-check';
import { loadBundledFramework } from '../definition/framework-definition.loader';
import type { CriterionAnswer, CriterionDefinition, FrameworkDefinition, PartDefinition } from '../framework-definition';
import { levelFor, scorePart } from './scoring-engine';

const frameworks: readonly FrameworkDefinition[] = [loadBundledFramework('2392-2017'), loadBundledFramework('dti-example')];
const parts = frameworks.flatMap((framework) =>
  framework.tiers.flatMap((tier) => tier.parts.map((part) => ({ framework, tier: tier.tier, part, name: `${framework.id} ${tier.tier}/${part.code}` }))),
);

/** Any valid answer the rule accepts, in hundredths like a form would hold. */
function validValue(criterion: CriterionDefinition): fc.Arbitrary<CriterionAnswer> {
  const hundredths = (max: number) => fc.integer({ min: 0, max: Math.round(max * 100) }).map((n) => n / 100);
  const rule = criterion.rule;
  switch (rule.kind) {
    case 'yes_no':
      return fc.boolean().map((value) => ({ kind: 'value', value }));
    case 'manual':
      return hundredths(criterion.maxPoints).map((value) => ({ kind: 'value', value }));
    case 'ratio':
      return hundredths(rule.target * 2).map((value) => ({ kind: 'value', value }));
    case 'banded': {
      const last = rule.bands[rule.bands.length - 1]!;
      return hundredths((last.to ?? last.from + 10) - rule.bands[0]!.from)
        .map((offset) => rule.bands[0]!.from + offset)
        .filter((value) => rule.bands.some((b) => value >= b.from && (b.to === undefined || value < b.to)))
        .map((value) => ({ kind: 'value', value }));
    }
    default:
      return assertNever(rule, 'scoring rule');
  }
}

function answersArbitrary(part: PartDefinition, allowNotApplicable: boolean): fc.Arbitrary<Map<string, CriterionAnswer>> {
  const criteria = part.groups.flatMap((group) => group.criteria);
  return fc
    .tuple(
      ...criteria.map((criterion) =>
        allowNotApplicable && criterion.mayBeNotApplicable
          ? fc.oneof(fc.constant<CriterionAnswer>({ kind: 'not_applicable' }), validValue(criterion))
          : validValue(criterion),
      ),
    )
    .map((answers) => new Map(criteria.map((criterion, index) => [criterion.code, answers[index]!])));
}

/** 0 for the highest level, one more per level down, levels.length for unranked. */
const levelIndex = (part: PartDefinition, level: string | null) =>
  level === null ? part.levels.length : part.levels.findIndex((band) => band.level === level);

describe.each(parts)('scoring properties of $name', ({ framework, tier, part }) => {
  it('never gives a total or a rescaled score above the maximum, or below 0', () => {
    fc.assert(
      fc.property(answersArbitrary(part, true), (answers) => {
        const score = scorePart(framework, tier, part.code, answers);
        expect(score.total).toBeGreaterThanOrEqual(0);
        expect(score.total).toBeLessThanOrEqual(part.maxPoints);
        expect(score.rescaled).toBeGreaterThanOrEqual(0);
        expect(score.rescaled).toBeLessThanOrEqual(part.maxPoints);
        for (const group of score.groups) expect(group.points).toBeLessThanOrEqual(group.maxPoints);
      }),
    );
  });

  it('changes nothing by rescaling when no criterion is excluded', () => {
    fc.assert(
      fc.property(answersArbitrary(part, false), (answers) => {
        const score = scorePart(framework, tier, part.code, answers);
        const unscaled = scorePart({ ...framework, notApplicableRescaling: false }, tier, part.code, answers);
        expect(score.excludedPoints).toBe(0);
        expect(score.rescaled).toBe(score.total);
        expect(score).toEqual(unscaled);
      }),
    );
  });

  it('bands the part score exactly as levelFor does', () => {
    fc.assert(
      fc.property(answersArbitrary(part, true), (answers) => {
        const score = scorePart(framework, tier, part.code, answers);
        expect(score.level).toBe(levelFor(part, score.score, score.groups));
      }),
    );
  });

  it('gives levels that never fall as the score rises', () => {
    const score = fc.integer({ min: 0, max: part.maxPoints * 100 }).map((n) => n / 100);
    const share = fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null });
    const shares = fc.tuple(...part.groups.map((group) => share.map((s) => ({ code: group.code, share: s }))));
    fc.assert(
      fc.property(score, score, shares, (a, b, groups) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(levelIndex(part, levelFor(part, high, groups))).toBeLessThanOrEqual(levelIndex(part, levelFor(part, low, groups)));
      }),
    );
  });
});

describe('levels with per-group minimums', () => {
  const [framework] = frameworks;
  const readiness = framework!.tiers[0]!.parts[0]!;
  const withMinimums: PartDefinition = {
    ...readiness,
    levels: readiness.levels.map((band, index) => ({ ...band, minGroupShares: { HT: 0.9 - index * 0.1, CS: 0.5 } })),
  };

  it('never fall as the score rises, and never rise as a group share falls', () => {
    const score = fc.integer({ min: 0, max: 5000 }).map((n) => n / 100);
    const share = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(score, score, share, share, (a, b, s, t) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const [less, more] = s <= t ? [s, t] : [t, s];
        const groups = (ht: number) => [
          { code: 'HT', share: ht },
          { code: 'NL', share: 1 },
          { code: 'CS', share: 1 },
        ];
        expect(levelIndex(withMinimums, levelFor(withMinimums, high, groups(more)))).toBeLessThanOrEqual(
          levelIndex(withMinimums, levelFor(withMinimums, low, groups(more))),
        );
        expect(levelIndex(withMinimums, levelFor(withMinimums, high, groups(more)))).toBeLessThanOrEqual(
          levelIndex(withMinimums, levelFor(withMinimums, high, groups(less))),
        );
      }),
    );
  });
});
