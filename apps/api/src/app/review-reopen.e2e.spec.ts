import type { Principal } from '@tieuchi/shared/auth';
import type { Response } from 'supertest';
import { assessmentRoutes } from '../testing/assessment-workflow';
import { assessmentWorkflow, miniFramework, waitForProjections } from '../testing/read-model-workflow';
import { seedThroughExecutor, startTestApp, type TestApp } from '../testing/test-app';

const period = 'reopen-2019';
const dakMil = '662'; // reviewed, reopened by its reviewer, adjusted, completed again, approved
const dakSong = '664'; // reopened by a colleague who also holds the approver role
const reviewer = 'reviewer.1@daknong';
const approver = 'approver.1@daknong';
const reason = 'Huyện gửi bổ sung Quyết định 12/QĐ-UBND cho tiêu chí D.HT.1, cần thẩm định lại';
// Holds both staff roles and took no part in the review of 664 until reopening it.
const reviewerApprover: Principal = { id: 'reviewer.approver@daknong', roles: ['reviewer', 'approver'], unitCode: null, provinceCode: '67', national: false };
const hueReviewer: Principal = { id: 'reviewer.1@hue', roles: ['reviewer'], unitCode: null, provinceCode: '46', national: false };

interface AuditRow {
  type: string;
  actor: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  reason: string | null;
}

describe('reopening a completed review over HTTP', () => {
  let t: TestApp;
  let flow: ReturnType<typeof assessmentWorkflow>;
  const routes = assessmentRoutes(period, dakMil);
  const reopen = `${routes.start}/review/reopen`;

  async function post(path: string, who: string | Principal, body?: object, headers: Readonly<Record<string, string>> = {}): Promise<Response> {
    let req = t.http().post(path).set('Authorization', await t.bearer(who));
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
    return body === undefined ? req : req.send(body);
  }

  async function get(path: string, who: string | Principal): Promise<Response> {
    return t.http().get(path).set('Authorization', await t.bearer(who));
  }

  function expectOk(res: Response, events: readonly string[]): void {
    expect({ status: res.status, events: res.body.events }).toEqual({ status: 200, events });
  }

  function expectProblem(res: Response, status: number, code: string, field?: string): void {
    expect({ status: res.status, code: res.body.code, ...(field ? { field: res.body.field } : {}) }).toEqual({ status, code, ...(field ? { field } : {}) });
  }

  /** Waits for the read models to show the stream's latest event. */
  async function settled(res: Response): Promise<void> {
    await waitForProjections(t.app, res.body.position ?? null);
  }

  /** The assessment's audit row of that event type, once the audit projection (not awaited by waitForProjections) has it. */
  async function auditRowOf(assessment: string, type: string): Promise<AuditRow | undefined> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await get(`${assessment}/audit?limit=100`, 'auditor@daknong');
      expect(res.status).toBe(200);
      const row = (res.body.events as AuditRow[]).find((candidate) => candidate.type === type);
      if (row || Date.now() > deadline) return row;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const queueOf = async (who: string | Principal) => (await get(`/review-queue?periodId=${period}`, who)).body.items as { queue: string; unitCode: string; status: string; revision: number }[];

  beforeAll(async () => {
    t = await startTestApp();
    const seed = seedThroughExecutor(t.app);
    await seed.publishedFramework('mini', miniFramework);
    await seed.daknongUnits([dakMil, dakSong]);
    await seed.period(period, {
      type: 'OpenPeriod',
      data: { periodId: period, provinceCode: '67', year: 2019, framework: { id: 'mini', version: 1 }, deadlines: { selfAssessment: '2099-11-30', review: '2099-12-20', appealWindowDays: 15 } },
    });
    flow = assessmentWorkflow(t.app);
    await flow.submitted(period, dakMil, [28, 14]);
    await flow.submitted(period, dakSong, [20, 10]);
    for (const unit of [dakSong]) {
      await flow.send(reviewer, period, unit, { type: 'StartReview', data: {} });
      for (const criterionCode of ['D.HT.1', 'D.HT.2']) await flow.send(reviewer, period, unit, { type: 'AcceptCriterion', data: { criterionCode } });
      await flow.send(reviewer, period, unit, { type: 'CompleteReview', data: {} });
    }
    await waitForProjections(t.app, flow.lastCheckpoint);
  }, 60_000);

  afterAll(() => t?.close());

  it('lets the reviewer complete a review and reopen it with a reason, as an If-Match / Idempotency-Key command', async () => {
    expectOk(await post(routes.startReview, reviewer), ['ReviewStarted']);
    for (const code of ['D.HT.1', 'D.HT.2']) expectOk(await post(routes.accept(code), reviewer), ['CriterionAccepted']);
    const completed = await post(routes.completeReview, reviewer);
    expectOk(completed, ['ReviewCompleted']);
    await settled(completed);
    expect((await queueOf(approver)).filter((item) => item.unitCode === dakMil)).toEqual([expect.objectContaining({ queue: 'approval', status: 'reviewed', revision: 2 })]);
    expect((await get(routes.start, reviewer)).body.nextActions).toEqual(['ReopenReview']);

    const version = completed.body.version as number;
    expectProblem(await post(reopen, reviewer, { reason }, { 'If-Match': `"${version - 1}"` }), 412, 'REQUEST.STALE_VERSION');
    const headers = { 'If-Match': `"${version}"`, 'Idempotency-Key': 'reopen-662-0001' };
    const reopened = await post(reopen, reviewer, { reason }, headers);
    expectOk(reopened, ['ReviewReopened']);
    expect(reopened.body.version).toBe(version + 1);
    // A retry of the same request gets the first answer back and appends nothing.
    const retried = await post(reopen, reviewer, { reason }, headers);
    expect({ status: retried.status, version: retried.body.version }).toEqual({ status: 200, version: version + 1 });
    const stream = await t.eventStore.readStream(routes.streamName);
    expect(stream.filter((event) => event.type === 'ReviewReopened').map((event) => event.data)).toEqual([
      { by: reviewer, at: expect.any(String), revision: 2, reason },
    ]);
    await settled(reopened);
  });

  it('shows the reopened review under review again: detail, period list, both queues and the audit trail', async () => {
    const detail = await get(routes.start, reviewer);
    expect(detail.body).toMatchObject({ status: 'under_review', revision: 2, lastComment: reason });
    expect(detail.body.nextActions).toEqual(['AcceptCriterion', 'AdjustCriterion', 'ReturnAssessment', 'CompleteReview']);
    expect((await get(routes.start, approver)).body.nextActions).toEqual([]);

    const listed = await get(`/periods/${period}/assessments?status=under_review`, approver);
    expect(listed.body.items.map((item: { unitCode: string }) => item.unitCode)).toEqual([dakMil]);
    expect((await queueOf(approver)).map((item) => item.unitCode)).toEqual([dakSong]);
    expect((await queueOf(reviewer)).filter((item) => item.unitCode === dakMil)).toEqual([expect.objectContaining({ queue: 'review', status: 'under_review' })]);

    expect(await auditRowOf(routes.start, 'ReviewReopened')).toMatchObject({
      actor: reviewer,
      before: { status: 'reviewed' },
      after: { status: 'under_review' },
      reason,
    });
  });

  it('takes the adjustment and a new completion, and has a different approver approve only the new revision', async () => {
    expectOk(await post(routes.adjust('D.HT.1'), reviewer, { answer: { kind: 'value', value: 25 }, reason: 'Quyết định bổ sung chỉ chứng minh 25 điểm' }), ['CriterionAdjusted']);
    const completed = await post(routes.completeReview, reviewer);
    expectOk(completed, ['ReviewCompleted']);
    await settled(completed);
    expect((await queueOf(approver)).filter((item) => item.unitCode === dakMil)).toEqual([expect.objectContaining({ queue: 'approval', revision: 3 })]);

    // The reviewer, whatever other role they hold, never approves; the approver only the revision completed last.
    await t.accounts.withGrant(reviewer, { role: 'approver', provinceCode: '67' }, async () =>
      expectProblem(await post(routes.approve, reviewer, { revision: 3 }), 403, 'ASSESSMENT.FOUR_EYES'),
    );
    expectProblem(await post(routes.approve, approver, { revision: 2 }), 409, 'ASSESSMENT.STALE_REVISION');
    const approved = await post(routes.approve, approver, { revision: 3 });
    expectOk(approved, ['AssessmentApproved']);
    await settled(approved);
    const detail = await get(routes.start, approver);
    expect(detail.body).toMatchObject({ status: 'approved', revision: 3, approvedBy: approver, parts: [{ partCode: 'readiness', total: 39, score: 39, level: 'III' }] });
  });

  it('refuses reopening once approved (409), and refuses the unit, approvers and another province (403)', async () => {
    expectProblem(await post(reopen, reviewer, { reason }), 409, 'ASSESSMENT.WRONG_STATE');
    const reviewedRoute = `${assessmentRoutes(period, dakSong).start}/review/reopen`;
    expectProblem(await post(reviewedRoute, `editor.${dakSong}@daknong`, { reason }), 403, 'AUTH.FORBIDDEN_ROLE');
    expectProblem(await post(reviewedRoute, `lead.${dakSong}@daknong`, { reason }), 403, 'AUTH.FORBIDDEN_ROLE');
    expectProblem(await post(reviewedRoute, approver, { reason }), 403, 'AUTH.FORBIDDEN_ROLE');
    expectProblem(await post(reviewedRoute, hueReviewer, { reason }), 403, 'ASSESSMENT.FORBIDDEN');
    const stream = await t.eventStore.readStream(assessmentRoutes(period, dakSong).streamName);
    expect(stream.at(-1)?.type).toBe('ReviewCompleted');
  });

  it('refuses a reopening without a reason (400 naming the field)', async () => {
    const reviewedRoute = `${assessmentRoutes(period, dakSong).start}/review/reopen`;
    expectProblem(await post(reviewedRoute, reviewer, {}), 400, 'REQUEST.INVALID', 'reason');
    expectProblem(await post(reviewedRoute, reviewer, { reason: '   ' }), 400, 'ASSESSMENT.REASON_REQUIRED', 'data.reason');
  });

  it('counts whoever reopened as a reviewer: they leave the approval queue and may not approve what they reopened', async () => {
    const dakSongRoutes = assessmentRoutes(period, dakSong);
    const approvalsOf = async (who: string | Principal) => (await queueOf(who)).filter((item) => item.queue === 'approval').map((item) => `${item.unitCode}@${item.revision}`);
    expect(await approvalsOf(reviewerApprover)).toEqual([`${dakSong}@2`]);
    const reopened = await post(`${dakSongRoutes.start}/review/reopen`, reviewerApprover, { reason: 'Cần đối chiếu lại số liệu D.HT.2' });
    expectOk(reopened, ['ReviewReopened']);
    const completed = await post(dakSongRoutes.completeReview, reviewer);
    expectOk(completed, ['ReviewCompleted']);
    await settled(completed);
    expect(await approvalsOf(reviewerApprover)).toEqual([]);
    expect(await approvalsOf(approver)).toEqual([`${dakSong}@3`]);
    expectProblem(await post(dakSongRoutes.approve, reviewerApprover, { revision: 3 }), 403, 'ASSESSMENT.FOUR_EYES');
    expectOk(await post(dakSongRoutes.approve, approver, { revision: 3 }), ['AssessmentApproved']);
  });
});
