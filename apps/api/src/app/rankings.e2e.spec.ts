import { RANKING_EDITIONS_CHANNEL } from '@tieuchi/ranking/data-access';
import { PUBLIC_RANKING_TTL_MS } from '@tieuchi/ranking/feature';
import { READ_MODEL_DB, READ_MODEL_SCHEMA as S } from '@tieuchi/shared/application';
import type { SqlClient } from '@tieuchi/shared/event-store';
import { RESPONSE_CACHE_HEADER } from '@tieuchi/shared/http';
import { assessmentWorkflow, miniFramework, publicAnswerOnceItShows, waitForProjections } from '../testing/read-model-workflow';
import { seedThroughExecutor, startTestApp, type TestApp } from '../testing/test-app';

const units = [
  ['660', 'Thành phố Gia Nghĩa'],
  ['662', 'Huyện Cư Jút'],
  ['664', 'Huyện Krông Nô'],
  ['666', "Huyện Đắk R'lấp"],
] as const;

async function openPeriod(t: TestApp, periodId: string, year: number): Promise<void> {
  await seedThroughExecutor(t.app).period(periodId, {
    type: 'OpenPeriod',
    data: {
      periodId,
      provinceCode: '67',
      year,
      framework: { id: 'mini', version: 1 },
      deadlines: { selfAssessment: '2099-11-30', review: '2099-12-20', appealWindowDays: 15 },
    },
  });
}

async function publish(t: TestApp, periodId: string, decisionNumber: string, decisionDate: string): Promise<string | null> {
  const seed = seedThroughExecutor(t.app);
  await seed.period(periodId, { type: 'CloseSelfAssessment', data: { periodId } });
  return (await seed.period(periodId, { type: 'PublishPeriod', data: { periodId, decisionNumber, decisionDate, exclusions: [], unitsWithoutApproval: [] } })).checkpoint;
}

describe('rankings over HTTP', () => {
  let t: TestApp;
  const path = '/periods/mini-2019/rankings/district/readiness';

  beforeAll(async () => {
    t = await startTestApp();
    const seed = seedThroughExecutor(t.app);
    await seed.publishedFramework('mini', miniFramework);
    await seed.daknongUnits(['67']);
    for (const [code, name] of units) {
      await seed.unit(code, { type: 'RegisterUnit', data: { code, name, type: 'huyện', tier: 'district', parentCode: '67' } });
    }
    const flow = assessmentWorkflow(t.app);
    await openPeriod(t, 'mini-2018', 2018);
    for (const [code, points] of [
      ['660', [30, 15]],
      ['662', [25, 13]],
      ['664', [20, 10]],
    ] as const) {
      await flow.submitted('mini-2018', code, points);
      await flow.reviewedAndApproved('mini-2018', code);
    }
    await publish(t, 'mini-2018', '12/QĐ-UBND', '2019-01-15');

    await openPeriod(t, 'mini-2019', 2019);
    await flow.submitted('mini-2019', '660', [28.8, 15]); // 43.8, Mức II
    await flow.submitted('mini-2019', '662', [25.8, 18]); // 43.8: ties with 660
    await flow.submitted('mini-2019', '664', [22, 16]); // self 38, reviewed 36: Mức IV
    await flow.submitted('mini-2019', '666', [10, 10]); // 20: unranked
    for (const code of ['660', '662', '666']) await flow.reviewedAndApproved('mini-2019', code);
    await flow.reviewedAndApproved('mini-2019', '664', 20);
    await waitForProjections(t.app, flow.lastCheckpoint);
  }, 120_000);

  afterAll(() => t?.close());

  it('hides the provisional ranking from anonymous callers and unit users before publication (404)', async () => {
    const anonymous = await t.http().get(path);
    expect(anonymous.status).toBe(404);
    expect(anonymous.body.code).toBe('RANKING.NOT_FOUND');
    const editor = await t.http().get(path).set('Authorization', await t.bearer('editor.660@daknong'));
    expect(editor.status).toBe(404);
  });

  it('shows staff the provisional ranking, marked provisional, with ties, unranked units apart and changes against the previous year', async () => {
    for (const user of ['reviewer.1@daknong', 'approver.1@daknong', 'admin@daknong', 'auditor@daknong']) {
      const res = await t.http().get(path).set('Authorization', await t.bearer(user));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ periodId: 'mini-2019', tier: 'district', part: 'readiness', provisional: true, decision: null });
    }
    const res = await t.http().get(path).set('Authorization', await t.bearer('auditor@daknong'));
    expect(res.body.ranked).toEqual([
      { rank: 1, unitCode: '660', unitName: 'Thành phố Gia Nghĩa', score: 43.8, level: 'II', previousScore: 45, change: -1.2 },
      { rank: 1, unitCode: '662', unitName: 'Huyện Cư Jút', score: 43.8, level: 'II', previousScore: 38, change: 5.8 },
      { rank: 3, unitCode: '664', unitName: 'Huyện Krông Nô', score: 36, level: 'IV', previousScore: 30, change: 6 },
    ]);
    expect(res.body.unranked).toEqual([{ unitCode: '666', unitName: "Huyện Đắk R'lấp", score: 20, previousScore: null, change: null }]);
    // The changes name the previous year's official edition they are taken against (R-PREVIOUS-OFFICIAL).
    expect(res.body.comparedWith).toEqual({ periodId: 'mini-2018', decision: { number: '12/QĐ-UBND', date: '2019-01-15' }, imported: false });
    expect(res.body.counts).toEqual({ units: 4, ranked: 3, unranked: 1, notAssessed: 0, byLevel: { II: 2, IV: 1 } });
    expect(res.body.notAssessed).toEqual([]);
  });

  it('is public once the period is published, under its decision; a correction adds an edition and the earlier stays readable', async () => {
    await waitForProjections(t.app, await publish(t, 'mini-2019', '47/QĐ-UBND', '2020-01-10'));
    const published = await t.http().get(path);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ provisional: false, decision: { number: '47/QĐ-UBND', date: '2020-01-10' } });
    expect(published.body.ranked.map((r: { unitCode: string; rank: number }) => [r.rank, r.unitCode])).toEqual([
      [1, '660'],
      [1, '662'],
      [3, '664'],
    ]);
    const staff = await t.http().get(path).set('Authorization', await t.bearer('reviewer.1@daknong'));
    expect(staff.body).toMatchObject({ provisional: false, decision: { number: '47/QĐ-UBND' } });

    const seed = seedThroughExecutor(t.app);
    const corrected = await seed.period('mini-2019', {
      type: 'CorrectPeriod',
      data: { periodId: 'mini-2019', decisionNumber: '52/QĐ-UBND', decisionDate: '2020-02-01', reason: 'đính chính' },
    });
    await waitForProjections(t.app, corrected.checkpoint);
    const official = await publicAnswerOnceItShows(
      () => t.http().get(path),
      (body) => (body as { decision: { number: string } }).decision.number === '52/QĐ-UBND',
    );
    expect(official.body.decision).toEqual({ number: '52/QĐ-UBND', date: '2020-02-01' });
    const earlier = await t.http().get(path).query({ decision: '47/QĐ-UBND' });
    expect(earlier.status).toBe(200);
    expect(earlier.body.decision).toEqual({ number: '47/QĐ-UBND', date: '2020-01-10' });
    expect(earlier.body.ranked).toHaveLength(3);
  });

  it('ranks the previous period on its own, without changes before it', async () => {
    const res = await t.http().get('/periods/mini-2018/rankings/district/readiness');
    expect(res.status).toBe(200);
    expect(res.body.ranked).toEqual([
      { rank: 1, unitCode: '660', unitName: 'Thành phố Gia Nghĩa', score: 45, level: 'I', previousScore: null, change: null },
      { rank: 2, unitCode: '662', unitName: 'Huyện Cư Jút', score: 38, level: 'III', previousScore: null, change: null },
    ]);
    expect(res.body.unranked.map((u: { unitCode: string }) => u.unitCode)).toEqual(['664']);
    expect(res.body.comparedWith).toBeNull();
  });

  it('links the rules documents from the OpenAPI description of every endpoint that answers with a ranking', async () => {
    const { body } = await t.http().get('/docs/openapi.json');
    const paths = body.paths as Record<string, Record<string, { description?: string }>>;
    // The ranking itself, its appendix and open-data exports, and the what-if of an amendment.
    const rankingPaths = Object.keys(paths).filter((path) => path.includes('/rankings/'));
    expect(rankingPaths.length).toBeGreaterThanOrEqual(4);
    for (const [path, method] of [...rankingPaths.map((path) => [path, 'get'] as const), ['/frameworks/{frameworkId}/amendments/what-if', 'post'] as const]) {
      expect({ path, description: paths[path]?.[method]?.description }).toEqual({
        path,
        description: expect.stringMatching(/docs\/rules\.vi\.md.*docs\/rules\.en\.md/),
      });
    }
  });

  it('answers 404 for an unknown part or period and 400 naming a malformed parameter', async () => {
    expect((await t.http().get('/periods/mini-2019/rankings/district/results')).status).toBe(404);
    expect((await t.http().get('/periods/nope-2019/rankings/district/readiness')).status).toBe(404);
    const bad = await t.http().get('/periods/mini-2019/rankings/District!/readiness');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('tier');
  });

  it('holds anonymous answers in memory: an edition written without the projection\'s NOTIFY shows only after PUBLIC_RANKING_TTL_MS, staff see it at once', async () => {
    const database = t.app.get<SqlClient>(READ_MODEL_DB);
    const before = await t.http().get(path);
    expect(before.body.decision.number).toBe('52/QĐ-UBND');
    // As a lost notification would leave it: a third edition, copied from the second, behind the query's back.
    const { rows } = await database.query<{ edition: number }>(`SELECT max(edition)::int AS edition FROM ${S}.ranking_tables WHERE period_id = 'mini-2019'`);
    const latest = Number(rows[0]?.edition);
    await database.query(
      `INSERT INTO ${S}.ranking_tables (period_id, edition, tier, part_code, decision_number, decision_date, counts)
       SELECT period_id, edition + 1, tier, part_code, '53/QĐ-UBND', '2020-03-01', counts FROM ${S}.ranking_tables WHERE period_id = 'mini-2019' AND edition = $1`,
      [latest],
    );
    await database.query(
      `INSERT INTO ${S}.ranking_rows (period_id, edition, tier, part_code, position, rank, unit_code, unit_name, score, level, previous_score, previous_source, change)
       SELECT period_id, edition + 1, tier, part_code, position, rank, unit_code, unit_name, score, level, previous_score, previous_source, change
       FROM ${S}.ranking_rows WHERE period_id = 'mini-2019' AND edition = $1`,
      [latest],
    );
    try {
      const held = await t.http().get(path);
      expect(held.body.decision.number).toBe('52/QĐ-UBND');
      expect(held.headers[RESPONSE_CACHE_HEADER]).toBe('hit');
      // A caller with a token always goes through the full pipeline.
      const staff = await t.http().get(path).set('Authorization', await t.bearer('reviewer.1@daknong'));
      expect(staff.body.decision.number).toBe('53/QĐ-UBND');
      expect(staff.headers[RESPONSE_CACHE_HEADER]).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, PUBLIC_RANKING_TTL_MS + 100));
      expect((await t.http().get(path)).body.decision).toEqual({ number: '53/QĐ-UBND', date: '2020-03-01' });
    } finally {
      await database.query(`DELETE FROM ${S}.ranking_rows WHERE period_id = 'mini-2019' AND edition = $1`, [latest + 1]);
      await database.query(`DELETE FROM ${S}.ranking_tables WHERE period_id = 'mini-2019' AND edition = $1`, [latest + 1]);
      await database.query('SELECT pg_notify($1, $2)', [RANKING_EDITIONS_CHANNEL, 'mini-2019']);
    }
  });
});
