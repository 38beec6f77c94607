import { DAKNONG_2018, DAKNONG_2019, daknongCommands, loadDaknongDemoInput, type DaknongStep } from '@tieuchi/demo/daknong';
import { join } from 'node:path';
import { waitForProjections } from '../../apps/api/src/testing/read-model-workflow';
import { startTestApp, type TestApp } from '../../apps/api/src/testing/test-app';
import { DaknongHttpPlayer, type PlayReport } from './http/daknong-http.player';
import { HttpApiClient } from './http/http-api.client';
import { readPublishedRanking } from './http/published-ranking.reader';

/**
 * ARCHITECTURE.md §1.2, end to end: the Đắk Nông 2018 and 2019 periods played through the HTTP API
 * alone, against PostgreSQL, by the users of the record (editors fill in, leads submit, reviewers
 * accept or adjust with a reason, the approver approves, the administrator publishes); then an
 * anonymous reader gets exactly the table of Quyết định 47/QĐ-UBND.
 */
const published = readPublishedRanking(join(__dirname, 'fixtures', 'daknong-2019-published.csv'));

const TIER_PARTS = [
  ['district', 'readiness'],
  ['district', 'results'],
  ['commune', 'readiness'],
  ['commune', 'results'],
] as const;

/** The decision's figures: 8/8 districts and 71/71 communes took part; ranked counts per tier × part. */
const PARTICIPANTS: Readonly<Record<string, number>> = { district: 8, commune: 71 };
const RANKED_2019: Readonly<Record<string, number>> = { 'district/readiness': 3, 'district/results': 2, 'commune/readiness': 2, 'commune/results': 0 };
const RANKED_2018: Readonly<Record<string, number>> = { 'district/readiness': 1, 'district/results': 1, 'commune/readiness': 1, 'commune/results': 1 };

interface RankingAnswer {
  readonly provisional: boolean;
  readonly decision: { readonly number: string; readonly date: string } | null;
  readonly ranked: readonly { rank: number; unitCode: string; unitName: string; score: number; level: string; change: number | null }[];
  readonly unranked: readonly { unitCode: string; score: number }[];
  readonly counts: { readonly units: number; readonly ranked: number; readonly unranked: number };
}

/** The record happened in 2018–2020: the server judges deadlines at the time each command was given. */
const recordClock = (() => {
  let instant: Date | null = null;
  return { now: () => instant ?? new Date(), set: (at: string) => void (instant = new Date(at)) };
})();

describe('Đắk Nông 2018 and 2019 played through the HTTP API, published under 47/QĐ-UBND', () => {
  let t: TestApp;
  let api: HttpApiClient;
  let steps: readonly DaknongStep[];
  let report: PlayReport;
  const rankings = new Map<string, RankingAnswer>();

  const rankingPath = (periodId: string, tier: string, part: string) => `/periods/${periodId}/rankings/${tier}/${part}`;

  beforeAll(async () => {
    t = await startTestApp({}, { clock: recordClock });
    await t.app.listen(0, '127.0.0.1');
    api = new HttpApiClient(await t.app.getUrl());
    steps = daknongCommands(loadDaknongDemoInput());
    report = await new DaknongHttpPlayer(api, (principal) => t.bearer(principal), { concurrency: 8, readTimeoutMs: 30_000, clock: recordClock }).play(steps);
    const projectionsStart = performance.now();
    await waitForProjections(t.app, report.lastCheckpoint, 60_000);
    const projectionsMs = performance.now() - projectionsStart;

    for (const plan of [DAKNONG_2018, DAKNONG_2019]) {
      for (const [tier, part] of TIER_PARTS) {
        const answer = await api.get(rankingPath(plan.periodId, tier, part));
        if (answer.status !== 200) throw new Error(`GET ${rankingPath(plan.periodId, tier, part)} answered ${answer.status} ${JSON.stringify(answer.body)}`);
        rankings.set(`${plan.periodId}/${tier}/${part}`, answer.body as RankingAnswer);
      }
    }
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const lines = report.segments.map((s) => `  ${s.label.padEnd(40)} ${String(s.steps).padStart(5)} steps ${String(s.requests).padStart(5)} requests ${seconds(s.ms).padStart(8)}`);
    console.log(
      [
        `Đắk Nông over HTTP: ${report.commandsSent} commands sent, ${report.commandsObserved} carried out by the API itself, ${report.requests} requests in ${seconds(report.totalMs)} ` +
          `(${Math.round(report.requests / (report.totalMs / 1000))} requests/s); projections caught up ${seconds(projectionsMs)} later`,
        ...lines,
      ].join('\n'),
    );
  }, 600_000);

  afterAll(() => t?.close());

  const rankingOf = (periodId: string, tier: string, part: string): RankingAnswer => {
    const ranking = rankings.get(`${periodId}/${tier}/${part}`);
    if (!ranking) throw new Error(`no ranking read for ${periodId} ${tier} ${part}`);
    return ranking;
  };

  it('sent every command of the record as its actor, and saw the API publish every assessment with its period', () => {
    const publications = steps.filter((s) => s.kind === 'assessment' && s.command.type === 'PublishAssessment');
    expect(report.commandsSent + report.commandsObserved).toBe(steps.length);
    expect(report.commandsObserved).toBe(publications.length);
    expect(report.commandsObserved).toBe(2 * (PARTICIPANTS['district']! + PARTICIPANTS['commune']!));
  });

  it.each(TIER_PARTS)('publishes the 2019 %s %s table of the decision to anonymous readers, exactly', (tier, part) => {
    const ranking = rankingOf(DAKNONG_2019.periodId, tier, part);
    const expected = published
      .filter((row) => row.tier === tier && row.part === part)
      .sort((a, b) => a.rank - b.rank)
      .map(({ rank, unitCode, unitName, score, level, change }) => ({ rank, unitCode, unitName, score, level, change }));
    expect(expected).toHaveLength(RANKED_2019[`${tier}/${part}`]!);
    const [decision] = published;
    expect(ranking.provisional).toBe(false);
    expect(ranking.decision).toEqual({ number: decision!.decisionNumber, date: decision!.decisionDate });
    expect(ranking.decision).toEqual({ number: DAKNONG_2019.decisionNumber, date: DAKNONG_2019.decisionDate });
    expect(ranking.ranked.map(({ rank, unitCode, unitName, score, level, change }) => ({ rank, unitCode, unitName, score, level, change }))).toEqual(expected);
  });

  it('keeps both scores of every criterion the reviewers adjusted in 2019, with the written reason, readable by the auditor', async () => {
    const auditor = await t.bearer('auditor@daknong');
    const adjustments = steps.flatMap((step) =>
      step.kind === 'assessment' && step.periodId === DAKNONG_2019.periodId && step.command.type === 'AdjustCriterion' ? [{ step, data: step.command.data }] : [],
    );
    const selfScores = new Map(
      steps.flatMap((step) => (step.kind === 'assessment' && step.command.type === 'ScoreCriterion' ? [[`${step.streamId}/${step.command.data.criterionCode}`, step.command.data.answer] as const] : [])),
    );
    expect(adjustments.length).toBeGreaterThan(0);
    for (const { step, data } of adjustments) {
      const unitCode = step.streamId.slice(`assessment-${DAKNONG_2019.periodId}-`.length);
      const answer = await api.get(`/periods/${DAKNONG_2019.periodId}/assessments/${unitCode}`, auditor);
      expect(answer.status).toBe(200);
      const detail = answer.body as { status: string; criteria: readonly { code: string; self: unknown; review: unknown }[] };
      expect(detail.status).toBe('published');
      expect(detail.criteria.find((c) => c.code === data.criterionCode)).toMatchObject({
        self: { answer: selfScores.get(`${step.streamId}/${data.criterionCode}`), by: `editor.${unitCode}` },
        review: { decision: 'adjusted', answer: data.answer, reason: data.reason, by: step.actor.id },
      });
    }
  });

  it('ranks no commune in results in 2019', () => {
    const ranking = rankingOf(DAKNONG_2019.periodId, 'commune', 'results');
    expect(ranking.ranked).toEqual([]);
    expect(ranking.counts.ranked).toBe(0);
  });

  it.each(TIER_PARTS)('ranks, for %s %s, the counts of the decision: 2019 as published, 2018 one unit each', (tier, part) => {
    const key = `${tier}/${part}`;
    expect(rankingOf(DAKNONG_2019.periodId, tier, part).counts.ranked).toBe(RANKED_2019[key]);
    expect(rankingOf(DAKNONG_2019.periodId, tier, part).ranked).toHaveLength(RANKED_2019[key]!);
    const ranking2018 = rankingOf(DAKNONG_2018.periodId, tier, part);
    expect(ranking2018.decision).toEqual({ number: DAKNONG_2018.decisionNumber, date: DAKNONG_2018.decisionDate });
    expect(ranking2018.counts.ranked).toBe(RANKED_2018[key]);
    expect(ranking2018.ranked).toHaveLength(RANKED_2018[key]!);
  });

  it.each(TIER_PARTS)('lists every one of the 8 districts or 71 communes in %s %s, ranked or apart, in both years', (tier, part) => {
    for (const periodId of [DAKNONG_2018.periodId, DAKNONG_2019.periodId]) {
      const ranking = rankingOf(periodId, tier, part);
      const codes = new Set([...ranking.ranked, ...ranking.unranked].map((row) => row.unitCode));
      expect(codes.size).toBe(PARTICIPANTS[tier]);
      expect(ranking.ranked.length + ranking.unranked.length).toBe(PARTICIPANTS[tier]);
      expect(ranking.counts).toMatchObject({ units: PARTICIPANTS[tier], unranked: ranking.unranked.length });
    }
  });
});
