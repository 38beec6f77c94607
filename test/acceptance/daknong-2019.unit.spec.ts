import { join } from 'node:path';
import {
  DAKNONG_2018,
  DAKNONG_2019,
  buildDaknongHistory,
  daknongPartScores,
  daknongRankings,
  loadDaknongDemoInput,
  type DaknongHistory,
} from '@tieuchi/demo/daknong';
import { exactDifference, findPart, levelFor, type FrameworkDefinition, type PartDefinition } from '@tieuchi/framework/domain';
import { type PublishedRankingRow as PublishedRow, readPublishedRanking } from './http/published-ranking.reader';

/**
 * Quyết định 47/QĐ-UBND (10/01/2020), as published (ARCHITECTURE.md §1.2): the only source of
 * expected figures in this file. The history is played from config/ through the real deciders.
 */
const published: readonly PublishedRow[] = readPublishedRanking(join(__dirname, 'fixtures', 'daknong-2019-published.csv'));

/** Every tier × part of 2392; commune results has no row in the table because no commune was ranked. */
const TIER_PARTS = [
  ['district', 'readiness'],
  ['district', 'results'],
  ['commune', 'readiness'],
  ['commune', 'results'],
] as const;

/**
 * The decision's other figures, in its own words: "ranked counts changed from 2018 to 2019 as
 * district readiness +2, district results +1, commune readiness +1, commune results −1", and
 * "8/8 districts and 71/71 communes took part".
 */
const RANKED_COUNT_CHANGE: Readonly<Record<string, number>> = {
  'district/readiness': 2,
  'district/results': 1,
  'commune/readiness': 1,
  'commune/results': -1,
};
const PARTICIPANTS: Readonly<Record<string, number>> = { district: 8, commune: 71 };

const rowsOf = (tier: string, part: string) =>
  published.filter((row) => row.tier === tier && row.part === part).sort((a, b) => a.rank - b.rank);

describe('Đắk Nông 2019, as published by Quyết định 47/QĐ-UBND, replayed from events', () => {
  let history: DaknongHistory;

  beforeAll(() => {
    history = buildDaknongHistory(loadDaknongDemoInput());
  });

  it('was published under the decision number and date of the record', () => {
    const decisions = new Set(published.map((row) => `${row.decisionNumber} ${row.decisionDate}`));
    expect(decisions.size).toBe(1);
    expect(history.periods.get(DAKNONG_2019.periodId)).toMatchObject({
      status: 'published',
      year: 2019,
      publication: { decisionNumber: published[0]!.decisionNumber, decisionDate: published[0]!.decisionDate },
    });
  });

  it.each(TIER_PARTS)('reproduces the %s %s table: ranks, units, scores, levels and changes against 2018', (tier, part) => {
    const ranking = daknongRankings(history, DAKNONG_2019.periodId, tier, part);
    const actual = ranking.ranked.map((row) => ({
      rank: row.rank,
      unitCode: row.unitCode,
      unitName: row.unitName,
      score: row.score,
      level: row.level,
      change: row.change,
    }));
    const expected = rowsOf(tier, part).map(({ rank, unitCode, unitName, score, level, change }) => ({ rank, unitCode, unitName, score, level, change }));
    expect(actual).toEqual(expected);
    // The unranked are listed apart, with no level, every one of them below the lowest ranked score.
    const lowest = Math.min(...ranking.ranked.map((row) => row.score));
    ranking.unranked.forEach((row) => expect(ranking.ranked.length === 0 || row.score <= lowest).toBe(true));
  });

  it('ranks no commune in results', () => {
    expect(rowsOf('commune', 'results')).toEqual([]);
    expect(daknongRankings(history, DAKNONG_2019.periodId, 'commune', 'results').counts.ranked).toBe(0);
  });

  it.each(Object.entries(PARTICIPANTS))('had every %s take part (%p of them), each assessment published', (tier, count) => {
    const registered = [...history.units.values()].filter((unit) => unit.status !== 'unregistered' && unit.tier === tier);
    const assessments = [...history.assessments.values()].filter(
      (state) => state.status !== 'not_started' && state.periodId === DAKNONG_2019.periodId && state.tier === tier,
    );
    expect(registered).toHaveLength(count);
    expect(assessments).toHaveLength(count);
    expect(new Set(assessments.map((state) => (state.status === 'not_started' ? '' : state.unitCode)))).toEqual(
      new Set(registered.map((unit) => (unit.status === 'unregistered' ? '' : unit.code))),
    );
    assessments.forEach((state) => expect(state.status).toBe('published'));
    for (const part of ['readiness', 'results']) {
      expect(daknongRankings(history, DAKNONG_2019.periodId, tier, part).counts.units).toBe(count);
    }
  });

  it.each(TIER_PARTS)('ranked in 2018, for %s %s, the 2019 count less the published change', (tier, part) => {
    const count2019 = daknongRankings(history, DAKNONG_2019.periodId, tier, part).counts.ranked;
    const count2018 = daknongRankings(history, DAKNONG_2018.periodId, tier, part).counts.ranked;
    expect(count2019).toBe(rowsOf(tier, part).length);
    expect(count2019 - count2018).toBe(RANKED_COUNT_CHANGE[`${tier}/${part}`]);
    expect(count2018).toBe(1);
  });

  describe('2018 district readiness: why Cư Jút (37.865) was unranked while 37.42 was Mức IV in 2019', () => {
    const cuJut = () => published.find((row) => row.tier === 'district' && row.part === 'readiness' && row.unitName === 'Cư Jút')!;
    const result2018 = () => {
      const result = daknongPartScores(history, DAKNONG_2018.periodId, 'district', 'readiness').get(cuJut().unitCode);
      if (!result) throw new Error('Cư Jút has no 2018 readiness score');
      return result;
    };
    const withoutGroupMinimums = (part: PartDefinition): PartDefinition => ({
      ...part,
      levels: part.levels.map(({ minGroupShares: _minimums, ...band }) => band),
    });
    const readiness = (framework: FrameworkDefinition) => findPart(framework, 'district', 'readiness')!;

    it('scored 40.23 − 2.365 = 37.865 in 2018, kept to the third decimal', () => {
      const { score } = result2018();
      expect(score.total).toBe(exactDifference(cuJut().score, cuJut().change));
      expect(score.score).toBe(score.total);
      expect(score.total).toBeGreaterThan(Math.min(...rowsOf('district', 'readiness').map((row) => row.score)));
    });

    it('is unranked because its policy group (CS) is below half of its maximum', () => {
      const { score, framework } = result2018();
      expect(score.level).toBeNull();
      const part = readiness(framework);
      const missed = score.groups.filter((group) =>
        part.levels.some((band) => group.share !== null && group.share < (band.minGroupShares?.[group.code] ?? 0)),
      );
      expect(missed.map((group) => group.code)).toEqual(['CS']);
    });

    it('would be Mức III on its total alone, without the per-group minimums', () => {
      const { score, framework } = result2018();
      expect(levelFor(withoutGroupMinimums(readiness(framework)), score.score, score.groups)).toBe('III');
    });

    it('leaves Gia Nghĩa the only district ranked in readiness in 2018, and every 2019 ranked district clear of the minimums', () => {
      const ranking2018 = daknongRankings(history, DAKNONG_2018.periodId, 'district', 'readiness');
      const giaNghia = rowsOf('district', 'readiness').find((row) => row.unitName === 'Gia Nghĩa')!;
      expect(ranking2018.ranked.map((row) => row.unitCode)).toEqual([giaNghia.unitCode]);
      const scores2019 = daknongPartScores(history, DAKNONG_2019.periodId, 'district', 'readiness');
      for (const row of rowsOf('district', 'readiness')) {
        const { score, framework } = scores2019.get(row.unitCode)!;
        expect(levelFor(withoutGroupMinimums(readiness(framework)), score.score, score.groups)).toBe(score.level);
      }
    });
  });
});
