import { assessmentWorkflow, miniFramework, waitForProjections } from '../testing/read-model-workflow';
import { seedThroughExecutor, startTestApp, type TestApp } from '../testing/test-app';

const period = 'views-2019';
const detail = (unit: string) => `/periods/${period}/assessments/${unit}`;

describe('assessment detail, review queue and unit history over HTTP', () => {
  let t: TestApp;
  let flow: ReturnType<typeof assessmentWorkflow>;
  const as = async (user: string) => t.bearer(user);

  beforeAll(async () => {
    t = await startTestApp();
    const seed = seedThroughExecutor(t.app);
    await seed.publishedFramework('mini', miniFramework);
    await seed.daknongUnits(['660', '662', '664']);
    await seed.period(period, {
      type: 'OpenPeriod',
      data: { periodId: period, provinceCode: '67', year: 2019, framework: { id: 'mini', version: 1 }, deadlines: { selfAssessment: '2099-11-30', review: '2099-12-20', appealWindowDays: 15 } },
    });
    flow = assessmentWorkflow(t.app);
    await flow.send('editor.660@daknong', period, '660', { type: 'StartAssessment', data: { periodId: period, unitCode: '660', tier: 'district' } });
    await flow.send('editor.660@daknong', period, '660', {
      type: 'ScoreCriterion',
      data: { criterionCode: 'D.HT.1', answer: { kind: 'value', value: 12 }, evidence: [{ kind: 'reference', reference: 'QĐ 1' }], explanation: 'nháp' },
    });
    await flow.submitted(period, '662', [28, 14]);
    await flow.submitted(period, '664', [20, 10]);
    await flow.send('reviewer.1@daknong', period, '664', { type: 'StartReview', data: {} });
    await flow.send('reviewer.1@daknong', period, '664', { type: 'AdjustCriterion', data: { criterionCode: 'D.HT.1', answer: { kind: 'value', value: 18 }, reason: 'thiếu minh chứng' } });
    await flow.send('reviewer.1@daknong', period, '664', { type: 'AcceptCriterion', data: { criterionCode: 'D.HT.2' } });
    await flow.send('reviewer.1@daknong', period, '664', { type: 'CompleteReview', data: {} });
    await waitForProjections(t.app, flow.lastCheckpoint);
  }, 60_000);

  afterAll(() => t?.close());

  it("shows a draft to its own unit's users only, with the version as ETag and the caller's next actions", async () => {
    const editor = await t.http().get(detail('660')).set('Authorization', await as('editor.660@daknong'));
    expect(editor.status).toBe(200);
    expect(editor.headers['etag']).toBe('"1"');
    expect(editor.body).toMatchObject({ status: 'draft', version: 1, tier: 'district', parts: [{ partCode: 'readiness', total: 12, score: 12, level: null }] });
    expect(editor.body.criteria).toEqual([
      { code: 'D.HT.1', self: expect.objectContaining({ answer: { kind: 'value', value: 12 }, points: 12, evidence: [{ kind: 'reference', reference: 'QĐ 1' }], explanation: 'nháp', by: 'editor.660@daknong' }), review: null },
    ]);
    expect(editor.body.nextActions).toEqual(['ScoreCriterion', 'MarkCriterionNotApplicable']);
    const lead = await t.http().get(detail('660')).set('Authorization', await as('lead.660@daknong'));
    expect(lead.body.nextActions).toContain('SubmitAssessment');

    for (const user of ['editor.662@daknong', 'reviewer.1@daknong', 'approver.1@daknong', 'admin@daknong', 'auditor@daknong']) {
      const res = await t.http().get(detail('660')).set('Authorization', await as(user));
      expect({ user, status: res.status, code: res.body.code }).toEqual({ user, status: 404, code: 'ASSESSMENT.NOT_FOUND' });
    }
    expect((await t.http().get(detail('660'))).status).toBe(401);
    expect((await t.http().get(detail('666')).set('Authorization', await as('lead.666@daknong'))).status).toBe(404);
  });

  it('shows a submitted assessment to staff, refuses other units (403), and offers each caller only what it may do', async () => {
    const reviewer = await t.http().get(detail('662')).set('Authorization', await as('reviewer.1@daknong'));
    expect(reviewer.status).toBe(200);
    expect(reviewer.body).toMatchObject({ status: 'submitted', submittedBy: 'lead.662@daknong', nextActions: ['StartReview'] });
    const auditor = await t.http().get(detail('662')).set('Authorization', await as('auditor@daknong'));
    expect(auditor.status).toBe(200);
    expect(auditor.body.nextActions).toEqual([]);
    const other = await t.http().get(detail('662')).set('Authorization', await as('editor.660@daknong'));
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('AUTH.OTHER_UNIT');

    const reviewed = await t.http().get(detail('664')).set('Authorization', await as('approver.1@daknong'));
    expect(reviewed.body.status).toBe('reviewed');
    expect(reviewed.body.criteria[0]).toMatchObject({
      code: 'D.HT.1',
      self: { points: 20 },
      review: { decision: 'adjusted', points: 18, reason: 'thiếu minh chứng', by: 'reviewer.1@daknong' },
    });
    expect(reviewed.body.parts[0]).toMatchObject({ total: 28, score: 28 });
    expect(reviewed.body.nextActions).toEqual(['ApproveAssessment', 'SendBack']);
  });

  it('answers 400 naming a malformed path parameter', async () => {
    const res = await t.http().get(`/periods/${period}/assessments/abc`).set('Authorization', await as('auditor@daknong'));
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('unitCode');
  });

  it('gives reviewers the submitted assessments and approvers the reviewed ones; nobody else has a queue', async () => {
    const reviewer = await t.http().get('/review-queue').set('Authorization', await as('reviewer.2@daknong'));
    expect(reviewer.status).toBe(200);
    expect(reviewer.body.items.map((i: { queue: string; unitCode: string; status: string }) => [i.queue, i.unitCode, i.status])).toEqual([['review', '662', 'submitted']]);
    const approver = await t.http().get('/review-queue').query({ periodId: period }).set('Authorization', await as('approver.1@daknong'));
    expect(approver.body.items.map((i: { queue: string; unitCode: string }) => [i.queue, i.unitCode])).toEqual([['approval', '664']]);
    expect((await t.http().get('/review-queue').set('Authorization', await as('lead.662@daknong'))).status).toBe(403);
    expect((await t.http().get('/review-queue').set('Authorization', await as('auditor@daknong'))).status).toBe(403);
    expect((await t.http().get('/review-queue')).status).toBe(401);
    const bad = await t.http().get('/review-queue').query({ periodId: 'NOT VALID' }).set('Authorization', await as('reviewer.1@daknong'));
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('periodId');
  });

  it("keeps a unit's unpublished history from outsiders, and drafts from staff", async () => {
    expect((await t.http().get('/units/662/history')).body).toEqual({ unitCode: '662', periods: [] });
    const own = await t.http().get('/units/662/history').set('Authorization', await as('lead.662@daknong'));
    expect(own.body.periods).toEqual([
      { periodId: period, provinceCode: '67', year: 2019, status: 'submitted', provisional: true, source: 'assessed', decision: null, parts: [{ partCode: 'readiness', maxPoints: 50, score: 42, level: 'II' }] },
    ]);
    expect((await t.http().get('/units/662/history').set('Authorization', await as('reviewer.1@daknong'))).body.periods).toHaveLength(1);
    expect((await t.http().get('/units/660/history').set('Authorization', await as('reviewer.1@daknong'))).body.periods).toEqual([]);
    expect((await t.http().get('/units/660/history').set('Authorization', await as('editor.660@daknong'))).body.periods).toHaveLength(1);
  });
});
