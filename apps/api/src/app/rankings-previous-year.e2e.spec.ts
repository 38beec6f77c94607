import { assessmentRoutes } from '../testing/assessment-workflow';
import { assessmentWorkflow, miniFramework, publicAnswerOnceItShows, waitForProjections } from '../testing/read-model-workflow';
import { seedThroughExecutor, startTestApp, type TestApp } from '../testing/test-app';

/** Today in Vietnam (UTC+7): a decision of today has its appeal window open now. */
const todayLocal = (): string => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

interface Row {
  unitCode: string;
  score: number;
  previousScore: number | null;
  change: number | null;
}

/**
 * docs/rules.en.md R-PREVIOUS-OFFICIAL over HTTP (issue 22 item 2): an appeal of year N revised but
 * not yet confirmed by a decision leaves year N + 1's changes as they were, in its working ranking
 * and its official edition; year N's correction moves year N + 1's working ranking and marks a
 * published year N + 1 as awaiting its own correction, which then makes the new changes official.
 */
describe('changes against the previous year over HTTP, across a correction of year N (issue 22 item 2)', () => {
  let t: TestApp;
  let admin: string;
  let reviewer: string;

  const post = (path: string, body: object, who = admin) => t.http().post(path).set('Authorization', who).send(body);
  const ranking = (periodId: string, who?: string) => {
    const req = t.http().get(`/periods/${periodId}/rankings/district/readiness`);
    return who ? req.set('Authorization', who).query({ view: 'working' }) : req;
  };
  const rowOf = (body: { ranked: Row[] }, unitCode: string): Row => {
    const row = body.ranked.find((r) => r.unitCode === unitCode);
    if (!row) throw new Error(`unit ${unitCode} is not ranked`);
    return { unitCode: row.unitCode, score: row.score, previousScore: row.previousScore, change: row.change };
  };
  /** A command answered (200, a correction 201) and read back once the projections applied it. */
  const answered = async (res: { status: number; body: { position?: string | null } }, status = 200) => {
    expect(res.status).toBe(status);
    await waitForProjections(t.app, res.body.position ?? null);
  };

  /** Both units approved with the points of D.HT.1 and D.HT.2 given, then closed and optionally published over HTTP. */
  async function yearWithScores(periodId: string, year: number, scores: Record<'660' | '662', readonly [number, number]>, decisionNumber: string | null) {
    await seedThroughExecutor(t.app).period(periodId, {
      type: 'OpenPeriod',
      data: { periodId, provinceCode: '67', year, framework: { id: 'mini', version: 1 }, deadlines: { selfAssessment: '2099-11-30', review: '2099-12-20', appealWindowDays: 15 } },
    });
    const flow = assessmentWorkflow(t.app);
    for (const code of ['660', '662'] as const) {
      await flow.submitted(periodId, code, scores[code]);
      await flow.reviewedAndApproved(periodId, code);
    }
    await waitForProjections(t.app, flow.lastCheckpoint);
    expect((await post(`/periods/${periodId}/self-assessment/close`, {})).status).toBe(200);
    if (decisionNumber !== null) await answered(await post(`/periods/${periodId}/publish`, { decisionNumber, decisionDate: todayLocal() }));
  }

  /** 660 appeals year N and another reviewer revises D.HT.1 from 25 to 28: 43 instead of 40, official only once a decision says so. */
  async function revisedOnAppeal(periodId: string) {
    const routes = assessmentRoutes(periodId, '660');
    const appealed = await post(routes.appeal, { reason: 'Xin phúc khảo tiêu chí D.HT.1', criteriaCodes: ['D.HT.1'] }, await t.bearer('lead.660@daknong'));
    expect(appealed.status).toBe(200);
    const resolved = await post(
      routes.resolveAppeal,
      { outcome: 'revised', reason: 'Minh chứng bổ sung hợp lệ', adjustments: [{ criterionCode: 'D.HT.1', answer: { kind: 'value', value: 28 }, reason: 'Đủ minh chứng' }] },
      reviewer,
    );
    await answered(resolved);
  }

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.bearer('admin@daknong');
    reviewer = await t.bearer('reviewer.2@daknong');
    const seed = seedThroughExecutor(t.app);
    await seed.publishedFramework('mini', miniFramework);
    await seed.daknongUnits(['660', '662']);
  }, 60_000);

  afterAll(() => t?.close());

  const yearN = { '660': [25, 15], '662': [25, 13] } as const;
  const nextYear = { '660': [27, 15], '662': [25, 13] } as const;

  it('R-PREVIOUS-OFFICIAL: "a change compares with the previous year\'s latest official edition" over HTTP, year N + 1 published: its official edition keeps its changes until its own correction, its working ranking moves and is marked', async () => {
    await yearWithScores('prev-a-2040', 2040, yearN, '1/QĐ-A2040');
    await yearWithScores('next-a-2041', 2041, nextYear, '1/QĐ-A2041');
    const asPublished = { unitCode: '660', score: 42, previousScore: 40, change: 2 };
    expect(rowOf((await ranking('next-a-2041')).body, '660')).toEqual(asPublished);

    await revisedOnAppeal('prev-a-2040');
    // Year N's working ranking has the revised score and awaits a correction; year N + 1 compares with year N's decision in force.
    const yearNWorking = (await ranking('prev-a-2040', admin)).body;
    expect([rowOf(yearNWorking, '660').score, yearNWorking.correctionPending]).toEqual([43, true]);
    const unconfirmed = (await ranking('next-a-2041', admin)).body;
    expect(rowOf(unconfirmed, '660')).toEqual(asPublished);
    expect(unconfirmed.correctionPending).toBe(false);
    expect(rowOf((await ranking('next-a-2041')).body, '660')).toEqual(asPublished);

    await answered(await post('/periods/prev-a-2040/corrections', { decisionNumber: '2/QĐ-A2040', decisionDate: todayLocal(), reason: 'Phúc khảo Gia Nghĩa' }), 201);
    const working = (await ranking('next-a-2041', admin)).body;
    expect(rowOf(working, '660')).toEqual({ unitCode: '660', score: 42, previousScore: 43, change: -1 });
    expect(working.comparedWith).toEqual({ periodId: 'prev-a-2040', decision: { number: '2/QĐ-A2040', date: todayLocal() }, imported: false });
    expect(working.correctionPending).toBe(true);
    // The unit whose previous score did not move keeps its change.
    expect(rowOf(working, '662')).toEqual({ unitCode: '662', score: 38, previousScore: 38, change: 0 });
    const official = (await ranking('next-a-2041')).body;
    expect(rowOf(official, '660')).toEqual(asPublished);
    expect(official.comparedWith).toEqual({ periodId: 'prev-a-2040', decision: { number: '1/QĐ-A2040', date: todayLocal() }, imported: false });

    await answered(await post('/periods/next-a-2041/corrections', { decisionNumber: '2/QĐ-A2041', decisionDate: todayLocal(), reason: 'Thay đổi so với năm trước sau đính chính' }), 201);
    const corrected = await publicAnswerOnceItShows(
      () => ranking('next-a-2041'),
      (body) => (body as { decision?: { number: string } }).decision?.number === '2/QĐ-A2041',
    );
    expect(rowOf(corrected.body, '660')).toEqual({ unitCode: '660', score: 42, previousScore: 43, change: -1 });
    expect((await ranking('next-a-2041', admin)).body.correctionPending).toBe(false);
  }, 120_000);

  it('R-PREVIOUS-OFFICIAL: "when year N gets a new official edition, year N + 1\'s working ranking is recomputed at once" over HTTP, year N + 1 unpublished: its working ranking moves with year N\'s correction only, and its publication takes the corrected changes', async () => {
    await yearWithScores('prev-b-2050', 2050, yearN, '1/QĐ-B2050');
    await yearWithScores('next-b-2051', 2051, nextYear, null);
    expect((await ranking('next-b-2051')).status).toBe(404);
    const beforeCorrection = { unitCode: '660', score: 42, previousScore: 40, change: 2 };
    expect(rowOf((await ranking('next-b-2051', admin)).body, '660')).toEqual(beforeCorrection);

    await revisedOnAppeal('prev-b-2050');
    expect(rowOf((await ranking('next-b-2051', admin)).body, '660')).toEqual(beforeCorrection);

    await answered(await post('/periods/prev-b-2050/corrections', { decisionNumber: '2/QĐ-B2050', decisionDate: todayLocal(), reason: 'Phúc khảo Gia Nghĩa' }), 201);
    const working = (await ranking('next-b-2051', admin)).body;
    expect(rowOf(working, '660')).toEqual({ unitCode: '660', score: 42, previousScore: 43, change: -1 });
    // Nothing official to correct yet: not marked.
    expect(working.correctionPending).toBe(false);

    await answered(await post('/periods/next-b-2051/publish', { decisionNumber: '1/QĐ-B2051', decisionDate: todayLocal() }));
    const official = (await ranking('next-b-2051')).body;
    expect(rowOf(official, '660')).toEqual({ unitCode: '660', score: 42, previousScore: 43, change: -1 });
    expect(official.comparedWith).toEqual({ periodId: 'prev-b-2050', decision: { number: '2/QĐ-B2050', date: todayLocal() }, imported: false });
  }, 120_000);
});
