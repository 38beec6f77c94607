import type { ScoresRecalculated } from '@tieuchi/assessment/domain';
import type { FrameworkDefinition, LevelBand } from '@tieuchi/framework/domain';
import { recalculationRunId } from '@tieuchi/recalculation/data-access';
import { PERIOD_ID, seedDaknong2019, type SeededPeriod } from '@tieuchi/recalculation/feature/testing';
import type { RankingView } from '@tieuchi/ranking/feature';
import type { RecordedEvent } from '@tieuchi/shared/event-store';
import { PublishAssessmentsWithPeriodProcess } from '@tieuchi/assessment/processes';
import { assessmentWorkflow, miniFramework, publicAnswerOnceItShows, waitForProjections } from '../testing/read-model-workflow';
import { seedThroughExecutor, startTestApp, type TestApp } from '../testing/test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const units = 8;

/** The bands of a part exactly as the framework holds them (2392's carry `provisional: true`), each lowered by `points`. */
function loweredBands(framework: FrameworkDefinition, tier: string, partCode: string, points: number): LevelBand[] {
  const part = framework.tiers.find((t) => t.tier === tier)?.parts.find((p) => p.code === partCode);
  if (!part) throw new Error(`no ${tier} ${partCode} in ${framework.id}`);
  return part.levels.map((band) => ({ ...band, minScore: band.minScore - points }));
}

const standing = (view: RankingView) => [
  ...view.ranked.map((r) => ({ unitCode: r.unitCode, score: r.score, level: r.level as string | null, rank: r.rank as number | null })),
  ...view.unranked.map((r) => ({ unitCode: r.unitCode, score: r.score, level: null, rank: null })),
];

describe('rankings after a recalculation (issue 5): official editions stay, a correction makes the recalculated ranking official', () => {
  let t: TestApp;
  let seeded: SeededPeriod;
  let admin: string;
  let auditor: string;
  let reviewer: string;
  let editor: string;

  const post = (path: string, body: object) => t.http().post(path).set('Authorization', admin).send(body);
  const ranking = (periodId: string, tier: string, part: string, who?: string, query: Record<string, string> = {}) => {
    const req = t.http().get(`/periods/${periodId}/rankings/${tier}/${part}`).query(query);
    return who ? req.set('Authorization', who) : req;
  };

  /** Amends over HTTP, pins the new version on the period over HTTP, and waits for the run and the projections. */
  async function amendAndRecalculate(frameworkId: string, periodId: string, streams: readonly string[], body: object, version: number) {
    const amended = await post(`/frameworks/${frameworkId}/amendments`, body);
    expect(amended.status).toBe(201);
    const pinned = await post(`/periods/${periodId}/framework-version`, { frameworkId, version, cause: 'Điều chỉnh ngưỡng mức', decisionRef: '12/QĐ-UBND' });
    expect(pinned.status).toBe(200);
    // A run is one pin × one period: its id derives from the FrameworkVersionPinned event's id.
    const pin = (await t.eventStore.readStream(`period-${periodId}`)).at(-1)!;
    expect(pin.type).toBe('FrameworkVersionPinned');
    const runId = recalculationRunId(pin.id);
    let run = await t.http().get(`/recalculation-runs/${runId}`).set('Authorization', admin);
    for (let i = 0; i < 200 && !(run.status === 200 && ['done', 'failed'].includes(run.body.status)); i += 1) {
      await sleep(100);
      run = await t.http().get(`/recalculation-runs/${runId}`).set('Authorization', admin);
    }
    expect(run.body).toMatchObject({ runId, status: 'done', failed: 0, toVersion: version });
    const recalculated: RecordedEvent<ScoresRecalculated['data']>[] = [];
    for (const stream of streams) {
      const events = (await t.eventStore.readStream(stream)).filter((e): e is RecordedEvent<ScoresRecalculated['data']> => e.type === 'ScoresRecalculated');
      recalculated.push(...events.filter((e) => e.data.cause.sourceEventId === pin.id));
    }
    expect(recalculated).toHaveLength(run.body.total);
    for (const event of recalculated) await waitForProjections(t.app, event.checkpoint);
    return recalculated;
  }

  beforeAll(async () => {
    t = await startTestApp({ redisUrl: undefined, runWorker: 'true' });
    admin = await t.bearer('admin@daknong');
    auditor = await t.bearer('auditor@daknong');
    reviewer = await t.bearer('reviewer.1@daknong');
    editor = await t.bearer('editor.660@daknong');
    // Approved only, then published over HTTP: the fixture appends stream by stream, so its own
    // PeriodPublished would come before the assessments in the global order.
    seeded = await seedDaknong2019(t.eventStore, { units });

    // An unpublished period of the one-part mini framework, in the same app.
    const seed = seedThroughExecutor(t.app);
    await seed.publishedFramework('mini', miniFramework);
    await seed.daknongUnits(['660', '662', '664']);
    await seed.period('mini-2019', {
      type: 'OpenPeriod',
      data: { periodId: 'mini-2019', provinceCode: '67', year: 2019, framework: { id: 'mini', version: 1 }, deadlines: { selfAssessment: '2099-11-30', review: '2099-12-20', appealWindowDays: 15 } },
    });
    const flow = assessmentWorkflow(t.app);
    for (const [code, points] of [
      ['660', [30, 15]], // 45: Mức I
      ['662', [25, 13]], // 38: Mức III
      ['664', [20, 10]], // 30: unranked
    ] as const) {
      await flow.submitted('mini-2019', code, points);
      await flow.reviewedAndApproved('mini-2019', code);
    }
    await waitForProjections(t.app, flow.lastCheckpoint);
    const published = await post(`/periods/${PERIOD_ID}/publish`, { decisionNumber: '47/QĐ-UBND', decisionDate: '2020-01-10' });
    expect(published.status).toBe(200);
    await t.app.get(PublishAssessmentsWithPeriodProcess).waitFor(published.body.position);
    for (const stream of seeded.streams) await waitForProjections(t.app, (await t.eventStore.readStream(stream)).at(-1)!.checkpoint);
  }, 120_000);

  afterAll(() => t?.close());

  const rows = (view: RankingView) => view.ranked.map((r) => [r.rank, r.unitCode, r.score, r.level]);

  it('keeps the published ranking official and shows staff the provisional corrected one until a correction decision makes it official', async () => {
    const path = ['district', 'results'] as const;
    const before = await ranking(PERIOD_ID, ...path);
    expect(before.status).toBe(200);
    expect(rows(before.body)).toEqual([
      [1, '660', 81.75, 'III'],
      [2, '664', 71.18, 'IV'],
    ]);

    // Bands copied from the bundled 2392 file, `provisional: true` included, each 10 points lower.
    const levels = loweredBands(seeded.framework, ...path, 10);
    expect(levels.every((band) => band.provisional === true)).toBe(true);
    const amendment = { cause: 'Điều chỉnh ngưỡng mức', decisionReference: '12/QĐ-UBND 05/03/2020', changes: [{ kind: 'levels_changed', tier: 'district', partCode: 'results', levels }] };
    const recalculated = await amendAndRecalculate('2392-2017', PERIOD_ID, seeded.streams, amendment, 2);
    expect(recalculated).toHaveLength(units);

    // Anonymous callers, and staff by default, still get exactly what 47/QĐ-UBND published.
    expect((await ranking(PERIOD_ID, ...path)).body).toEqual(before.body);
    expect((await ranking(PERIOD_ID, ...path, reviewer)).body).toEqual(before.body);

    const working = await ranking(PERIOD_ID, ...path, auditor, { view: 'working' });
    expect(working.status).toBe(200);
    expect(working.body).toMatchObject({ provisional: true, decision: null, correctionPending: true, corrects: { number: '47/QĐ-UBND', date: '2020-01-10' } });
    expect(rows(working.body)).toEqual([
      [1, '660', 81.75, 'I'],
      [2, '664', 71.18, 'III'],
      [3, '666', 68.3, 'III'],
      [4, '662', 66.4, 'III'],
      [5, '663', 63.9, 'IV'],
    ]);
    expect(working.body.counts).toEqual({ units, ranked: 5, unranked: units - 5, notAssessed: 0, byLevel: { I: 1, III: 3, IV: 1 } });
    // What is ranked is what the recalculation recorded.
    const recorded = recalculated.flatMap((e) => e.data.parts.filter((p) => p.partCode === 'results').map((p) => ({ unitCode: e.streamName.split('-').at(-1), score: p.newTotal, level: p.newLevel })));
    expect(standing(working.body).map(({ unitCode, score, level }) => ({ unitCode, score, level }))).toEqual(expect.arrayContaining(recorded));
    // Readiness was not amended: its working ranking is the published one.
    const readiness = await ranking(PERIOD_ID, 'district', 'readiness', admin, { view: 'working' });
    expect(standing(readiness.body)).toEqual(standing((await ranking(PERIOD_ID, 'district', 'readiness')).body));

    const corrected = await post(`/periods/${PERIOD_ID}/corrections`, { decisionNumber: '52/QĐ-UBND', decisionDate: '2020-03-10', reason: 'Ngưỡng mức theo 12/QĐ-UBND' });
    expect(corrected.status).toBe(201);
    await waitForProjections(t.app, corrected.body.position);

    const official = await publicAnswerOnceItShows(
      () => ranking(PERIOD_ID, ...path),
      (body) => (body as RankingView).decision?.number === '52/QĐ-UBND',
    );
    expect(official.body).toMatchObject({ provisional: false, decision: { number: '52/QĐ-UBND', date: '2020-03-10' }, correctionPending: false, corrects: null });
    expect(rows(official.body)).toEqual(rows(working.body));
    const earlier = await ranking(PERIOD_ID, ...path, undefined, { decision: '47/QĐ-UBND' });
    expect(earlier.status).toBe(200);
    expect(earlier.body).toEqual(before.body);
    const settled = await ranking(PERIOD_ID, ...path, admin, { view: 'working' });
    expect(settled.body).toMatchObject({ provisional: true, correctionPending: false, corrects: { number: '52/QĐ-UBND' } });
    expect(rows(settled.body)).toEqual(rows(official.body));
  }, 60_000);

  it('lets only staff read the working ranking: 401 anonymous, 403 unit users, 400 naming view when combined with a decision or misspelt', async () => {
    const path = `/periods/${PERIOD_ID}/rankings/district/results`;
    const anonymous = await t.http().get(path).query({ view: 'working' });
    expect(anonymous.status).toBe(401);
    const unitUser = await t.http().get(path).query({ view: 'working' }).set('Authorization', editor);
    expect(unitUser.status).toBe(403);
    expect(JSON.stringify(unitUser.body)).not.toContain('"ranked"');
    for (const who of [reviewer, await t.bearer('approver.1@daknong'), admin, auditor]) {
      expect((await t.http().get(path).query({ view: 'working' }).set('Authorization', who)).status).toBe(200);
    }
    const both = await t.http().get(path).query({ view: 'working', decision: '47/QĐ-UBND' }).set('Authorization', admin);
    expect(both.status).toBe(400);
    expect(both.body.field).toBe('view');
    const misspelt = await t.http().get(path).query({ view: 'pending' }).set('Authorization', admin);
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.field).toBe('view');
    expect((await t.http().get(path).query({ view: 'official' })).body.decision).toEqual({ number: '52/QĐ-UBND', date: '2020-03-10' });
  });

  it('updates the working ranking of an unpublished period directly, still hidden from anonymous callers', async () => {
    const path = ['district', 'readiness'] as const;
    const before = await ranking('mini-2019', ...path, admin);
    expect(before.body).toMatchObject({ provisional: true, decision: null, correctionPending: false, corrects: null });
    expect(rows(before.body)).toEqual([
      [1, '660', 45, 'I'],
      [2, '662', 38, 'III'],
    ]);

    const amendment = { cause: 'Hạ ngưỡng', decisionReference: '3/QĐ-UBND', changes: [{ kind: 'levels_changed', tier: 'district', partCode: 'readiness', levels: loweredBands(miniFramework, ...path, 5) }] };
    const streams = ['660', '662', '664'].map((code) => `assessment-mini-2019-${code}`);
    expect(await amendAndRecalculate('mini', 'mini-2019', streams, amendment, 2)).toHaveLength(3);

    for (const query of [{}, { view: 'working' }] as Record<string, string>[]) {
      const after = await ranking('mini-2019', ...path, reviewer, query);
      expect(after.body).toMatchObject({ provisional: true, decision: null, correctionPending: false, corrects: null });
      expect(rows(after.body)).toEqual([
        [1, '660', 45, 'I'],
        [2, '662', 38, 'II'],
        [3, '664', 30, 'IV'],
      ]);
    }
    expect((await ranking('mini-2019', ...path)).status).toBe(404);
  }, 60_000);
});
