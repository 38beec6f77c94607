import { answersForTarget } from '../../testing/answers-for-target';
import type { CriterionAnswer, FrameworkDefinition, PartDefinition } from '../framework-definition';
import { levelFor, scorePart } from '../scoring/scoring-engine';
import { loadBundledFramework } from './framework-definition.loader';
import { roundScore } from '../scoring/rounding';
import { findPart, groupMaxPoints, listCriteria } from './framework-definition.lookup';

// Reading the repository's own config files is the point of these tests; nothing else is touched.
const framework2392: FrameworkDefinition = loadBundledFramework('2392-2017');
const dti: FrameworkDefinition = loadBundledFramework('dti-example');

const part2392 = (tier: string, part: string): PartDefinition => {
  const found = findPart(framework2392, tier, part);
  if (!found) throw new Error(`no ${tier}/${part}`);
  return found;
};
const parts2392 = framework2392.tiers.flatMap((tier) => tier.parts.map((part) => ({ tier: tier.tier, part })));

/**
 * answersForTarget, group by group in proportion to the group maxima: district readiness levels
 * also ask for half of each group's maximum, which a total piled into the first groups misses.
 */
const balancedAnswers = (part: PartDefinition, total: number): Map<string, CriterionAnswer> => {
  const answers = new Map<string, CriterionAnswer>();
  let left = total;
  part.groups.forEach((group, index) => {
    const last = index === part.groups.length - 1;
    const target = last ? left : roundScore((total * groupMaxPoints(group)) / part.maxPoints, { decimals: 3, mode: 'half_up' });
    left = roundScore(left - target, { decimals: 6, mode: 'half_up' });
    answersForTarget({ ...part, groups: [group] }, target).forEach((answer, code) => answers.set(code, answer));
  });
  return answers;
};
/** Every group at its maximum: levelFor then judges the total alone. */
const fullGroups = (part: PartDefinition) => part.groups.map((group) => ({ code: group.code, share: 1 }));

describe('config/frameworks/2392-2017.yaml', () => {
  it('loads as a provisional framework of two tiers with two parts each', () => {
    expect(framework2392).toMatchObject({ id: '2392-2017', version: 1, provisional: true, notApplicableRescaling: true });
    expect(framework2392.rounding).toEqual({ decimals: 3, mode: 'half_up' });
    expect(parts2392.map(({ tier, part }) => `${tier}/${part.code}`)).toEqual([
      'district/readiness',
      'district/results',
      'commune/readiness',
      'commune/results',
    ]);
  });

  it.each([
    ['district', 'readiness', 50],
    ['district', 'results', 100],
    ['commune', 'readiness', 30],
    ['commune', 'results', 100],
  ])('%s %s is scored out of %p', (tier, part, max) => {
    expect(part2392(tier, part).maxPoints).toBe(max);
  });

  it('groups readiness as infrastructure, workforce, policy and results as presence, interaction, transaction, transformation', () => {
    for (const { part } of parts2392) {
      const groups = part.groups.map((group) => group.code);
      expect(groups).toEqual(part.code === 'readiness' ? ['HT', 'NL', 'CS'] : ['CK', 'TT', 'GD', 'CD']);
    }
    expect(part2392('district', 'readiness').groups.map((g) => g.title)).toEqual([
      'Hạ tầng thông tin',
      'Nhân lực công nghệ thông tin',
      'Môi trường chính sách',
    ]);
  });

  it('codes every criterion <tier>.<part>.<group>.<n>, marks it a placeholder, and keeps 2 to 6 per group', () => {
    const tierPrefix: Record<string, string> = { district: 'H', commune: 'X' };
    const partPrefix: Record<string, string> = { readiness: 'SS', results: 'KQ' };
    for (const { tier, part, group, criterion } of listCriteria(framework2392)) {
      expect(criterion.code).toMatch(new RegExp(`^${tierPrefix[tier.tier]}\\.${partPrefix[part.code]}\\.${group.code}\\.\\d+$`));
      expect(criterion.placeholder).toBe(true);
      expect(group.criteria.length).toBeGreaterThanOrEqual(2);
      expect(group.criteria.length).toBeLessThanOrEqual(6);
    }
  });

  it('mixes every scoring rule, N/A-able and evidence-required criteria in each tier', () => {
    for (const tier of framework2392.tiers) {
      const criteria = tier.parts.flatMap((part) => part.groups.flatMap((group) => group.criteria));
      expect(new Set(criteria.map((c) => c.rule.kind))).toEqual(new Set(['yes_no', 'manual', 'ratio', 'banded']));
      expect(criteria.some((c) => c.mayBeNotApplicable)).toBe(true);
      expect(criteria.some((c) => c.evidenceRequired)).toBe(true);
    }
  });

  it.each([
    ['district', 'readiness', [45, 40, 37.5, 35]],
    ['district', 'results', [90, 85, 75, 70]],
    ['commune', 'readiness', [27, 24, 22.5, 21]],
    ['commune', 'results', [90, 85, 75, 70]],
  ])('%s %s has the provisional thresholds of ARCHITECTURE.md §1.2', (tier, part, thresholds) => {
    const levels = part2392(tier, part).levels;
    expect(levels.map((band) => band.level)).toEqual(['I', 'II', 'III', 'IV']);
    expect(levels.map((band) => band.minScore)).toEqual(thresholds);
    expect(levels.every((band) => band.provisional === true)).toBe(true);
  });

  it('R-2392: "district readiness levels also require half of each group\'s maximum" (provisional), and no other part asks it', () => {
    for (const { tier, part } of parts2392) {
      const expected = tier === 'district' && part.code === 'readiness' ? { HT: 0.5, NL: 0.5, CS: 0.5 } : undefined;
      for (const band of part.levels) expect(band.minGroupShares).toEqual(expected);
    }
    const readiness = part2392('district', 'readiness');
    const weakPolicy = [
      { code: 'HT', share: 1 },
      { code: 'NL', share: 1 },
      { code: 'CS', share: 0.49 },
    ];
    expect(levelFor(readiness, 45, weakPolicy)).toBeNull();
  });

  it.each([
    ['district', 'readiness', 43.8, 'II'],
    ['district', 'readiness', 40.23, 'II'],
    ['district', 'readiness', 37.42, 'IV'],
    ['district', 'results', 81.75, 'III'],
    ['district', 'results', 71.18, 'IV'],
    ['commune', 'readiness', 21.5, 'IV'],
    ['commune', 'readiness', 21.4, 'IV'],
  ])('lets per-criterion answers add up to the published %s %s score %p (Mức %s)', (tier, part, published, level) => {
    const score = scorePart(framework2392, tier, part, balancedAnswers(part2392(tier, part), published));
    expect(score.total).toBe(published);
    expect(score.score).toBe(published);
    expect(score.level).toBe(level);
  });

  it('R-2392: "scores round to 3 decimals, half-up, as the published change +2.365 requires" (Cư Jút 2018: 37.865)', () => {
    const answers = answersForTarget(part2392('district', 'readiness'), 37.865);
    expect(scorePart(framework2392, 'district', 'readiness', answers).score).toBe(37.865);
    const twoDecimals = { ...framework2392, rounding: { decimals: 2, mode: 'half_up' as const } };
    expect(scorePart(twoDecimals, 'district', 'readiness', answers).score).toBe(37.87);
  });

  describe.each(parts2392.map(({ tier, part }) => [`${tier}/${part.code}`, tier, part] as const))('%s bands', (_name, tier, part) => {
    it.each(part.levels.map((band, index) => [band.level, band.minScore, part.levels[index + 1]?.level ?? null] as const))(
      'Mức %s starts at %p inclusive; 0.01 below is %p',
      (level, minScore, below) => {
        const levelOf = (total: number) => scorePart(framework2392, tier, part.code, balancedAnswers(part, total)).level;
        expect(levelOf(minScore)).toBe(level);
        expect(levelOf(minScore + 0.01)).toBe(level);
        expect(levelOf(minScore - 0.01)).toBe(below);
        expect(levelFor(part, minScore, fullGroups(part))).toBe(level);
        expect(levelFor(part, minScore - 0.01, fullGroups(part))).toBe(below);
      },
    );
  });
});

describe('config/frameworks/dti-example.yaml', () => {
  const part = findPart(dti, 'province', 'dti')!;
  const value = (v: number | boolean) => ({ kind: 'value', value: v }) as const;
  const full = new Map<string, CriterionAnswer>([
    ['P.DTI.NT.1', value(true)],
    ['P.DTI.NT.2', value(100)],
    ['P.DTI.TC.1', value(true)],
    ['P.DTI.TC.2', value(1)],
    ['P.DTI.HT.1', value(100)],
    ['P.DTI.HT.2', value(150)],
    ['P.DTI.HD.1', value(100)],
    ['P.DTI.HD.2', value(2)],
  ]);

  it('is a weighted 1000-point index whose weights sum to 1, banded tốt / khá / trung bình', () => {
    expect(part).toMatchObject({ maxPoints: 1000, aggregation: 'weighted' });
    expect(part.groups.reduce((sum, group) => sum + (group.weight ?? 0), 0)).toBeCloseTo(1, 12);
    expect(part.levels.map((band) => band.label)).toEqual(['tốt', 'khá', 'trung bình']);
  });

  it('gives full marks 1000, tốt', () => {
    expect(scorePart(dti, 'province', 'dti', full)).toMatchObject({ total: 1000, score: 1000, level: 'tot', levelLabel: 'tốt' });
  });

  it('R-WEIGHTED: "a weighted part adds, for each group, its weight × its share of its own maximum × the part\'s maximum"', () => {
    const answers = new Map(full);
    answers.set('P.DTI.TC.2', value(0.5)); // TC 1.5 / 2 → 0.75 × 0.2 × 1000 = 150
    answers.set('P.DTI.HT.1', value(50)); // HT (1 + 0.5) / 3 → 0.5 × 0.3 × 1000 = 150
    answers.set('P.DTI.HT.2', value(75));
    answers.set('P.DTI.HD.1', value(80)); // HD (2.4 + 1) / 5 → 0.68 × 0.4 × 1000 = 272
    answers.set('P.DTI.HD.2', value(1));
    const score = scorePart(dti, 'province', 'dti', answers);
    expect(score).toMatchObject({ total: 672, rescaled: 672, level: 'kha', levelLabel: 'khá' }); // NT 100 + 150 + 150 + 272
    const shares = score.groups.map((group) => group.share ?? Number.NaN);
    [1, 0.75, 0.5, 0.68].forEach((share, index) => expect(shares[index]).toBeCloseTo(share, 12));
  });

  it('R-WEIGHTED: "in a weighted part, a group\'s share is rescaled within the group" when one of its indicators is not applicable', () => {
    const answers = new Map(full);
    answers.set('P.DTI.HD.1', value(80));
    answers.set('P.DTI.HD.2', { kind: 'not_applicable' });
    // Raw: 100 + 200 + 300 + HD 2.4 / 5 × 400 = 792 (khá). Excluded: 2 / 5 × 400 = 160.
    // Rescaled: HD 2.4 / 3 × 400 = 320, so 920 (tốt).
    expect(scorePart(dti, 'province', 'dti', answers)).toMatchObject({ total: 792, excludedPoints: 160, rescaled: 920, level: 'tot' });
  });

  it.each([
    [800, 'tot'],
    [799.99, 'kha'],
    [650, 'kha'],
    [649.99, 'trung_binh'],
    [500, 'trung_binh'],
    [499.99, null],
  ])('bands %p as %p', (score, level) => {
    expect(levelFor(part, score)).toBe(level);
  });
});
