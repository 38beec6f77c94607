import { isDomainError } from '@tieuchi/shared/kernel';
import fc from 'fast-check';
import { compareUnitCodes, mergesInEffect, rankUnits, type DatedUnitMerge, type RankingInput, type UnitScore } from './rankings';

const unit = (unitCode: string, score: number, level: string | null, unitName = `Đơn vị ${unitCode}`): UnitScore => ({
  unitCode,
  unitName,
  score,
  level,
});
const input = (units: readonly UnitScore[], extra: Partial<RankingInput> = {}): RankingInput => ({
  tier: 'district',
  partCode: 'readiness',
  units,
  previousScores: new Map(),
  ...extra,
});

describe('rankUnits', () => {
  it('R-CHANGE: "a change is the score minus the previous score, kept at the precision of both" (Đắk Nông 2019: Cư Jút +2.365)', () => {
    // Given the published 2019 scores and the 2018 scores the changes imply.
    const ranking = rankUnits(
      input(
        [
          unit('666', 37.42, 'IV', "Đắk R'Lấp"),
          unit('660', 43.8, 'II', 'Gia Nghĩa'),
          unit('661', 28.5, null, 'Đăk Glong'),
          unit('662', 40.23, 'II', 'Cư Jút'),
        ],
        { previousScores: new Map([['660', 45.7], ['662', 37.865], ['666', 35.58]]) },
      ),
    );
    expect(ranking.ranked.map(({ rank, unitName, score, level, change }) => [rank, unitName, score, level, change])).toEqual([
      [1, 'Gia Nghĩa', 43.8, 'II', -1.9],
      [2, 'Cư Jút', 40.23, 'II', 2.365],
      [3, "Đắk R'Lấp", 37.42, 'IV', 1.84],
    ]);
    expect(ranking.unranked).toEqual([
      { unitCode: '661', unitName: 'Đăk Glong', score: 28.5, previousScore: null, previousScoreSource: null, change: null },
    ]);
    expect(ranking.counts).toEqual({ units: 4, ranked: 3, unranked: 1, byLevel: { II: 2, IV: 1 } });
  });

  it('R-TIE: "tied units share a rank and the next rank skips"; "tied units are listed by unit code, compared as numbers"', () => {
    const ranking = rankUnits(
      input([unit('24728', 21.5, 'IV'), unit('663', 21.5, 'IV'), unit('660', 30, 'I'), unit('24655', 21.4, 'IV'), unit('662', 21.5, 'IV')]),
    );
    expect(ranking.ranked.map((r) => [r.rank, r.unitCode])).toEqual([
      [1, '660'],
      [2, '662'],
      [2, '663'],
      [2, '24728'],
      [5, '24655'],
    ]);
  });

  it('R-TIE: "scores are compared after rounding by the framework\'s rule", so arithmetic noise does not break a tie', () => {
    const ranking = rankUnits(input([unit('2', 0.1 + 0.2, 'IV'), unit('1', 0.3, 'IV')]));
    expect(ranking.ranked.map((r) => [r.rank, r.unitCode, r.score])).toEqual([
      [1, '1', 0.3],
      [1, '2', 0.3],
    ]);
  });

  it('R-THRESHOLD: "a unit below the lowest level is unranked", and so is every unit when all are below', () => {
    const ranking = rankUnits(input([unit('24611', 68.5, null), unit('24612', 40, null)], { partCode: 'results' }));
    expect(ranking.ranked).toEqual([]);
    expect(ranking.unranked.map((u) => u.unitCode)).toEqual(['24611', '24612']);
    expect(ranking.counts).toMatchObject({ ranked: 0, unranked: 2 });
  });

  it('R-MERGE-RULE: "a successor is compared with its predecessors\' previous scores combined by the merge\'s rule", even when it kept one of their codes', () => {
    const previousScores = new Map([
      ['24640', 20],
      ['24661', 18],
      ['24655', 21.1],
      ['24658', 16.5],
    ]);
    const merges = [{ successor: '24640', predecessors: ['24640', '24661', '24655', '24658'], rule: 'mean' as const }];
    const [ranked] = rankUnits(input([unit('24640', 21.5, 'IV')], { previousScores, merges })).ranked;
    // (20 + 18 + 21.1 + 16.5) / 4 = 18.9
    expect(ranked).toMatchObject({ previousScore: 18.9, previousScoreSource: 'merge', change: 2.6 });
  });

  it.each([
    ['sum', 60],
    ['max', 25],
    ['mean', 20],
  ] as const)('R-MERGE-MISSING: "predecessors without a previous score are left out, not counted as 0" (%s rule)', (rule, previous) => {
    const previousScores = new Map([
      ['a', 15],
      ['b', 25],
      ['c', 20],
    ]);
    const merges = [{ successor: 'n', predecessors: ['a', 'b', 'c', 'gone'], rule }];
    const [ranked] = rankUnits(input([unit('n', 70, 'IV')], { previousScores, merges })).ranked;
    expect(ranked).toMatchObject({ previousScore: previous, change: 70 - previous });
  });

  it('R-MERGE-ROUND: "a successor\'s combined previous score is rounded by the framework\'s rule"', () => {
    const previousScores = new Map([
      ['a', 10],
      ['b', 10],
      ['c', 10.01],
    ]);
    const merges = [{ successor: 'n', predecessors: ['a', 'b', 'c'], rule: 'mean' as const }];
    const [ranked] = rankUnits(input([unit('n', 12, 'IV')], { previousScores, merges })).ranked;
    expect(ranked).toMatchObject({ previousScore: 10, change: 2 });
  });

  it('R-CHANGE: "a unit with no previous score has no change", nor has a successor none of whose predecessors has one', () => {
    const merges = [{ successor: 'n', predecessors: ['x', 'y'], rule: 'mean' as const }];
    const ranking = rankUnits(input([unit('n', 70, 'IV'), unit('m', 71, 'IV')], { merges }));
    expect(ranking.ranked.map((r) => [r.unitCode, r.previousScore, r.change])).toEqual([
      ['m', null, null],
      ['n', null, null],
    ]);
  });

  it.each([
    ['a unit listed twice', input([unit('1', 10, 'I'), unit('1', 11, 'I')]), 'RANKING.DUPLICATE_UNIT', 'units[1].unitCode'],
    ['a score that is not a number', input([unit('1', Number.NaN, 'I')]), 'RANKING.INVALID_SCORE', 'units[0].score'],
    [
      'two merges into one successor',
      input([unit('1', 10, 'I')], {
        merges: [
          { successor: '1', predecessors: ['a'], rule: 'mean' },
          { successor: '1', predecessors: ['b'], rule: 'mean' },
        ],
      }),
      'RANKING.DUPLICATE_MERGE',
      'merges[1].successor',
    ],
  ])('refuses %s', (_what, bad, code, field) => {
    let caught: unknown;
    try {
      rankUnits(bad);
    } catch (error) {
      caught = error;
    }
    expect(isDomainError(caught) && { code: caught.code, field: caught.field, category: caught.category }).toEqual({
      code,
      field,
      category: 'validation',
    });
  });

  it('does not depend on the order of its input (property)', () => {
    const units = fc.uniqueArray(
      fc.record({
        unitCode: fc.integer({ min: 1, max: 99_999 }).map(String),
        unitName: fc.constant('x'),
        score: fc.integer({ min: 0, max: 200 }).map((n) => n / 4),
        level: fc.constantFrom<string | null>('I', 'II', null),
      }),
      { selector: (u) => u.unitCode, maxLength: 30 },
    );
    fc.assert(
      fc.property(units, fc.nat(), (list, seed) => {
        const shuffled = [...list].sort((a, b) => ((Number(a.unitCode) * 7919 + seed) % 101) - ((Number(b.unitCode) * 7919 + seed) % 101));
        expect(rankUnits(input(shuffled))).toEqual(rankUnits(input(list)));
      }),
    );
  });

  it('gives competition ranks: each rank is 1 + the number of units scoring strictly more (property)', () => {
    const scores = fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 25 });
    fc.assert(
      fc.property(scores, (list) => {
        const ranking = rankUnits(input(list.map((score, index) => unit(String(index + 1), score, 'I'))));
        for (const row of ranking.ranked) {
          expect(row.rank).toBe(1 + ranking.ranked.filter((other) => other.score > row.score).length);
        }
        expect(ranking.ranked.map((r) => r.score)).toEqual([...list].sort((a, b) => b - a));
      }),
    );
  });
});

describe('mergesInEffect', () => {
  const merge = (successor: string, effectiveDate: string, predecessors: readonly string[] = ['a', 'b']): DatedUnitMerge => ({
    successor,
    predecessors,
    rule: 'mean',
    effectiveDate,
  });

  it('R-MERGE-WINDOW: "a merge counts for a period whose year is the merge\'s effective year or later, compared with a previous period before that year"', () => {
    const merges = [merge('24640', '2025-07-01')];
    expect(mergesInEffect(merges, 2024, 2025).map((m) => m.successor)).toEqual(['24640']);
    // Both periods after the merge: the successor has its own history.
    expect(mergesInEffect(merges, 2025, 2026)).toEqual([]);
    // Both before it: nothing was merged yet.
    expect(mergesInEffect(merges, 2023, 2024)).toEqual([]);
    // A gap year: 2023 compared with 2026 still crosses the 2025 merge.
    expect(mergesInEffect(merges, 2023, 2026).map((m) => m.successor)).toEqual(['24640']);
  });

  it('R-MERGE-WINDOW: "of two merges into one successor in the window, the later counts"', () => {
    const merges = [merge('n', '2025-12-01', ['later']), merge('n', '2025-01-01', ['earlier'])];
    expect(mergesInEffect(merges, 2024, 2025)).toEqual([{ successor: 'n', predecessors: ['later'], rule: 'mean' }]);
  });
});

describe('compareUnitCodes', () => {
  it('R-TIE: "tied units are listed by unit code, compared as numbers" (other codes as text)', () => {
    expect(['24728', '660', '0662', 'b', 'a'].sort(compareUnitCodes)).toEqual(['660', '0662', '24728', 'a', 'b']);
  });
});
