import type { Principal } from '@tieuchi/shared/auth';
import { assessmentWorkflow, miniFramework, waitForProjections } from '../testing/read-model-workflow';
import { seedThroughExecutor, startTestApp, type TestApp } from '../testing/test-app';

const farDeadlines = { selfAssessment: '2099-11-30', review: '2099-12-20', appealWindowDays: 15 };
const PERIOD = 'next-2030';
const APPEALS = 'next-appeals-2030';

/** Holds both province roles of Đắk Nông: the four-eyes rule keeps what she reviewed from her approvals. */
const reviewerApprover: Principal = { id: 'hai.vai@daknong', roles: ['reviewer', 'approver'], unitCode: null, provinceCode: '67', national: false };
const hueReviewer: Principal = { id: 'thamdinh@hue', roles: ['reviewer'], unitCode: null, provinceCode: '46', national: false };
const nationalReviewer: Principal = { id: 'thamdinh@bo', roles: ['reviewer'], unitCode: null, provinceCode: null, national: true };

interface Item {
  readonly action: string;
  readonly periodId: string;
  readonly unitCode: string | null;
  readonly status: string;
}
interface Next {
  readonly counts: Readonly<Record<string, number>>;
  readonly items: readonly Item[];
}

/** `GET /me`'s "what I may do next", by role, in one province and across provinces. */
describe('GET /me: what I may do next', () => {
  let t: TestApp;

  const nextOf = async (who: string | Principal): Promise<Next> => {
    const res = await t.http().get('/me').set('Authorization', await t.bearer(who));
    expect(res.status).toBe(200);
    return res.body.next as Next;
  };
  const keys = (next: Next) => next.items.map((i) => `${i.action} ${i.periodId} ${i.unitCode ?? '-'} ${i.status}`);
  const post = async (who: string | Principal, path: string, body: object = {}) => {
    const res = await t.http().post(path).set('Authorization', await t.bearer(who)).send(body);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };

  beforeAll(async () => {
    t = await startTestApp();
    const seed = seedThroughExecutor(t.app);
    await seed.publishedFramework('mini', miniFramework);
    await seed.unit('67', { type: 'RegisterUnit', data: { code: '67', name: 'Tỉnh Đắk Nông', type: 'tỉnh', tier: 'province', parentCode: null } });
    for (const code of ['660', '662', '664', '666']) {
      await seed.unit(code, { type: 'RegisterUnit', data: { code, name: `Huyện ${code}`, type: 'huyện', tier: 'district', parentCode: '67' } });
    }
    for (const periodId of [PERIOD, APPEALS]) {
      await seed.period(periodId, { type: 'OpenPeriod', data: { periodId, provinceCode: '67', year: 2030, framework: { id: 'mini', version: 1 }, deadlines: farDeadlines } });
    }
    const flow = assessmentWorkflow(t.app);
    // 660: draft; 662: submitted; 664: reviewed by the reviewer-approver; 666 (other period): published, then appealed.
    await flow.send('editor.660@daknong', PERIOD, '660', { type: 'StartAssessment', data: { periodId: PERIOD, unitCode: '660', tier: 'district' } });
    await flow.submitted(PERIOD, '662', [20, 10]);
    await flow.submitted(PERIOD, '664', [25, 15]);
    await flow.submitted(APPEALS, '666', [25, 15]);
    await flow.reviewedAndApproved(APPEALS, '666');
    await waitForProjections(t.app, flow.lastCheckpoint);
    const base = `/periods/${PERIOD}/assessments/664`;
    await post(reviewerApprover, `${base}/review/start`);
    await post(reviewerApprover, `${base}/review/accept-remaining`);
    await post(reviewerApprover, `${base}/review/complete`);
    await post('admin@daknong', `/periods/${APPEALS}/self-assessment/close`);
    const others = ['660', '662', '664'].map((unitCode) => ({ unitCode, reason: 'không tham gia kỳ này' }));
    await post('admin@daknong', `/periods/${APPEALS}/publish`, { decisionNumber: '30/QĐ-UBND', decisionDate: '2031-01-10', exclusions: others });
    await waitForStatus(APPEALS, '666', 'published');
    await post('lead.666@daknong', `/periods/${APPEALS}/assessments/666/appeal`, { reason: 'Điểm D.HT.1 chưa phản ánh đúng', criteriaCodes: ['D.HT.1'] });
    await waitForStatus(APPEALS, '666', 'appealed');
    await waitForStatus(PERIOD, '664', 'reviewed');
  }, 120_000);

  afterAll(() => t?.close());

  async function waitForStatus(periodId: string, unitCode: string, status: string): Promise<void> {
    const auditor = await t.bearer('auditor@daknong');
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await t.http().get(`/periods/${periodId}/assessments/${unitCode}`).set('Authorization', auditor);
      if (res.body?.status === status) return;
      if (Date.now() > deadline) throw new Error(`${periodId}/${unitCode} is still ${res.status} ${res.body?.status}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('gives unit staff their own unit only: the editor drafts to fill, the lead drafts to submit', async () => {
    expect(keys(await nextOf('editor.660@daknong'))).toEqual([`fill ${PERIOD} 660 draft`]);
    expect(keys(await nextOf('lead.660@daknong'))).toEqual([`submit ${PERIOD} 660 draft`]);
    expect((await nextOf('lead.660@daknong')).counts).toMatchObject({ submit: 1, fill: 0, review: 0 });
    // Submitted and published assessments wait on nobody of the unit.
    expect(await nextOf('editor.662@daknong')).toEqual({ counts: expect.objectContaining({ fill: 0 }), items: [] });
    expect(keys(await nextOf('editor.24728@daknong'))).toEqual([]);
  });

  it('gives reviewers of the province what awaits review and the appeals to resolve; reviewers of another province nothing', async () => {
    const reviewer = await nextOf('reviewer.1@daknong');
    // 664 was reviewed by another reviewer and waits on the approvers now.
    expect(keys(reviewer)).toEqual([`review ${PERIOD} 662 submitted`, `resolve_appeal ${APPEALS} 666 appealed`]);
    expect(reviewer.counts).toMatchObject({ review: 1, resolve_appeal: 1, approve: 0 });
    expect(keys(await nextOf(hueReviewer))).toEqual([]);
    expect(keys(await nextOf(nationalReviewer))).toEqual([`review ${PERIOD} 662 submitted`, `resolve_appeal ${APPEALS} 666 appealed`]);
  });

  it('keeps from an approver what she reviewed herself (four eyes), and gives it to the other approvers', async () => {
    expect(keys(await nextOf('approver.1@daknong'))).toEqual([`approve ${PERIOD} 664 reviewed`]);
    const both = await nextOf(reviewerApprover);
    expect(keys(both)).toEqual([`review ${PERIOD} 662 submitted`, `resolve_appeal ${APPEALS} 666 appealed`]);
    expect(both.counts.approve).toBe(0);
  });

  it('gives the admin the periods to publish once their self-assessment is closed, and a returned assessment back to its unit', async () => {
    expect((await nextOf('admin@daknong')).counts.publish).toBe(0);
    await post('admin@daknong', `/periods/${PERIOD}/self-assessment/close`);
    await post('reviewer.1@daknong', `/periods/${PERIOD}/assessments/662/review/start`);
    await post('reviewer.1@daknong', `/periods/${PERIOD}/assessments/662/return`, { comment: 'Bổ sung minh chứng', flaggedCriteria: ['D.HT.1'] });
    await waitForStatus(PERIOD, '662', 'returned');
    const deadline = Date.now() + 20_000;
    let admin = await nextOf('admin@daknong');
    while (admin.counts.publish === 0 && Date.now() < deadline) admin = await nextOf('admin@daknong');
    expect(admin.items).toEqual([{ action: 'publish', periodId: PERIOD, unitCode: null, status: 'self_assessment_closed', since: null }]);
    // The draft of a closed period is no longer to fill; the returned one is, and is the lead's to resubmit.
    expect(keys(await nextOf('editor.662@daknong'))).toEqual([`fill ${PERIOD} 662 returned`]);
    expect(keys(await nextOf('lead.662@daknong'))).toEqual([`resubmit ${PERIOD} 662 returned`]);
    expect(keys(await nextOf('lead.660@daknong'))).toEqual([]);
    expect(keys(await nextOf('reviewer.1@daknong'))).toEqual([`resolve_appeal ${APPEALS} 666 appealed`]);
  });
});
