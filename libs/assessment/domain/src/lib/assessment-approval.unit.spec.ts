import {
  APPEAL_WINDOW_ENDS_AT,
  AT,
  PERIOD_ID,
  actors,
  appealed,
  approved,
  given,
  published,
  reviewed,
  run,
  underReview,
} from '../testing/assessment.fixtures';
import { criteriaView, revisionAt } from './assessment.selectors';

const { editor, lead, reviewer, reviewer2, localReviewer, approver, reviewerApprover, leadApprover, admin, system } = actors;
const publishData = { periodId: PERIOD_ID, decisionNumber: '47/QĐ-UBND', decisionDate: '2020-01-10' };
const inWindow = '2020-01-20T03:00:00.000Z';
const cause = { kind: 'framework_amended', frameworkId: 'test-2392', frameworkVersion: 2, decisionRef: '12/QĐ-STTTT', sourceEventId: 'evt-9' };
const parts = [{ partCode: 'readiness', oldTotal: 16, newTotal: 17, oldLevel: 'IV', newLevel: 'IV' }];

describe('approving, publishing and appealing', () => {
  describe('ApproveAssessment', () => {
    it('approves the exact current revision', () => {
      const outcome = given(reviewed).as(approver).when('ApproveAssessment', { revision: 2 });
      outcome.then([{ type: 'AssessmentApproved', data: { by: approver.id, at: AT, revision: 2 } }]);
      expect(outcome.state()).toMatchObject({ status: 'approved', approval: { revision: 2, by: approver.id } });
    });
    it('refuses any other revision', () => {
      const error = given(reviewed).as(approver).when('ApproveAssessment', { revision: 1 }).thenRefused('ASSESSMENT.STALE_REVISION', 'conflict');
      expect(error.details).toEqual({ currentRevision: 2 });
    });
    it('refuses the reviewer approving their own review', () => {
      given(reviewed).as(reviewerApprover).when('ApproveAssessment', { revision: 2 }).thenRefused('ASSESSMENT.FOUR_EYES', 'forbidden');
    });
    it('refuses the submitter approving their own submission', () => {
      given(reviewed).as(leadApprover).when('ApproveAssessment', { revision: 2 }).thenRefused('ASSESSMENT.FOUR_EYES');
    });
    it('refuses someone without the approver role', () => {
      given(reviewed).as(reviewer2).when('ApproveAssessment', { revision: 2 }).thenRefused('ASSESSMENT.FORBIDDEN');
    });
    it('refuses before the review is complete', () => {
      given(underReview).as(approver).when('ApproveAssessment', { revision: 1 }).thenRefused('ASSESSMENT.WRONG_STATE');
    });
  });

  describe('SendBack', () => {
    it('sends a reviewed assessment back to review with a comment', () => {
      const outcome = given(reviewed).as(approver).when('SendBack', { comment: 'Kiểm tra lại D.R.1' });
      outcome.then([{ type: 'AssessmentSentBack', data: { by: approver.id, at: AT, revision: 2, comment: 'Kiểm tra lại D.R.1' } }]);
      expect(outcome.state()).toMatchObject({ status: 'under_review', comments: [{ kind: 'sent_back' }] });
    });
    it('makes the re-completed review a new revision, so the old one goes stale', () => {
      const again = run(run(reviewed, approver, 'SendBack', { comment: 'x' }), reviewer, 'CompleteReview', {});
      given(again).as(approver).when('ApproveAssessment', { revision: 2 }).thenRefused('ASSESSMENT.STALE_REVISION');
      expect(given(again).as(approver).when('ApproveAssessment', { revision: 3 }).events()).toHaveLength(1);
    });
    it('refuses without a comment', () => {
      given(reviewed).as(approver).when('SendBack', { comment: '' }).thenRefused('ASSESSMENT.COMMENT_REQUIRED');
    });
    it('refuses an approved assessment', () => {
      given(approved).as(approver).when('SendBack', { comment: 'x' }).thenRefused('ASSESSMENT.WRONG_STATE');
    });
  });

  describe('PublishAssessment', () => {
    it('publishes the approved revision with the period decision', () => {
      const outcome = given(approved).as(admin).when('PublishAssessment', publishData);
      outcome.then([{ type: 'AssessmentPublished', data: { by: admin.id, at: AT, revision: 2, ...publishData } }]);
      expect(outcome.state()).toMatchObject({ status: 'published', publication: { decisionNumber: '47/QĐ-UBND' } });
    });
    it('refuses another period', () => {
      given(approved).as(admin).when('PublishAssessment', { ...publishData, periodId: 'daknong-2018' }).thenRefused('ASSESSMENT.PERIOD_MISMATCH');
    });
    it('refuses a non-administrator', () => {
      given(approved).as(approver).when('PublishAssessment', publishData).thenRefused('ASSESSMENT.FORBIDDEN');
    });
    it('refuses an assessment that is not approved', () => {
      given(reviewed).as(admin).when('PublishAssessment', publishData).thenRefused('ASSESSMENT.WRONG_STATE');
    });
  });

  describe('AppealAssessment', () => {
    const data = { reason: 'D.R.1 đủ minh chứng', criteriaCodes: ['D.R.1'] };
    it('lets the unit lead appeal within the window', () => {
      const outcome = given(published).as(lead).when('AppealAssessment', data, inWindow);
      outcome.then([{ type: 'AssessmentAppealed', data: { by: lead.id, at: inWindow, revision: 2, ...data } }]);
      expect(outcome.state().status).toBe('appealed');
    });
    it('refuses at the end of the window (exclusive) and after it', () => {
      given(published).as(lead).when('AppealAssessment', data, APPEAL_WINDOW_ENDS_AT).thenRefused('ASSESSMENT.APPEAL_WINDOW_CLOSED', 'conflict');
      given(published).as(lead).when('AppealAssessment', data, '2020-03-01T00:00:00.000Z').thenRefused('ASSESSMENT.APPEAL_WINDOW_CLOSED');
    });
    it('refuses when the period has no open window', () => {
      given(published).as(lead, { appealWindowEndsAt: null }).when('AppealAssessment', data, inWindow).thenRefused('ASSESSMENT.APPEAL_WINDOW_CLOSED');
    });
    it('refuses an appeal without a reason', () => {
      given(published).as(lead).when('AppealAssessment', { reason: '' }, inWindow).thenRefused('ASSESSMENT.REASON_REQUIRED');
    });
    it('refuses an editor and an unpublished assessment', () => {
      given(published).as(editor).when('AppealAssessment', data, inWindow).thenRefused('ASSESSMENT.FORBIDDEN');
      given(approved).as(lead).when('AppealAssessment', data, inWindow).thenRefused('ASSESSMENT.WRONG_STATE');
    });
  });

  describe('ResolveAppeal', () => {
    it('upholds the published result', () => {
      const outcome = given(appealed).as(reviewer2).when('ResolveAppeal', { outcome: 'upheld', reason: 'Giữ nguyên' });
      outcome.then([
        {
          type: 'AppealResolved',
          data: { by: reviewer2.id, at: AT, outcome: 'upheld', reason: 'Giữ nguyên', appealedRevision: 2, revision: 2, adjustments: [] },
        },
      ]);
      expect(outcome.state()).toMatchObject({ status: 'upheld', revision: 2 });
    });
    it('revises as a new revision and keeps the old one readable', () => {
      const outcome = given(appealed).as(reviewer2).when('ResolveAppeal', {
        outcome: 'revised',
        reason: 'Chấp nhận một phần',
        adjustments: [{ criterionCode: 'D.R.1', answer: { kind: 'value', value: 8 }, reason: 'Minh chứng bổ sung hợp lệ' }],
      });
      outcome.then([
        {
          type: 'AppealResolved',
          data: {
            by: reviewer2.id,
            at: AT,
            outcome: 'revised',
            reason: 'Chấp nhận một phần',
            appealedRevision: 2,
            revision: 3,
            adjustments: [{ criterionCode: 'D.R.1', answer: { kind: 'value', value: 8 }, points: 8, previousPoints: 6, reason: 'Minh chứng bổ sung hợp lệ' }],
          },
        },
      ]);
      const state = outcome.state();
      expect(state).toMatchObject({ status: 'revised', revision: 3 });
      expect(revisionAt(state, 2)?.criteria['D.R.1']?.review?.points).toBe(6);
      expect(criteriaView(state).find((c) => c.code === 'D.R.1')).toMatchObject({ selfPoints: 8, reviewedPoints: 8, review: { decision: 'revised_on_appeal' } });
    });
    it('refuses the original reviewer', () => {
      given(appealed).as(reviewer).when('ResolveAppeal', { outcome: 'upheld', reason: 'x' }).thenRefused('ASSESSMENT.ORIGINAL_REVIEWER', 'forbidden');
    });
    it('refuses a reviewer of the appealing unit', () => {
      given(appealed).as(localReviewer).when('ResolveAppeal', { outcome: 'upheld', reason: 'x' }).thenRefused('ASSESSMENT.OWN_UNIT_REVIEW');
    });
    it('refuses a revision that changes nothing, and one without reasons', () => {
      given(appealed).as(reviewer2).when('ResolveAppeal', { outcome: 'revised', reason: 'x', adjustments: [] }).thenRefused('ASSESSMENT.ADJUSTMENT_REQUIRED');
      given(appealed).as(reviewer2).when('ResolveAppeal', { outcome: 'upheld', reason: '' }).thenRefused('ASSESSMENT.REASON_REQUIRED');
      const error = given(appealed)
        .as(reviewer2)
        .when('ResolveAppeal', { outcome: 'revised', reason: 'x', adjustments: [{ criterionCode: 'D.R.1', answer: { kind: 'value', value: 7 }, reason: '' }] })
        .thenRefused('ASSESSMENT.REASON_REQUIRED');
      expect(error.field).toBe('data.adjustments.0.reason');
    });
    it('refuses when there is no appeal', () => {
      given(published).as(reviewer2).when('ResolveAppeal', { outcome: 'upheld', reason: 'x' }).thenRefused('ASSESSMENT.WRONG_STATE');
    });
  });

  describe('RecordScoresRecalculated', () => {
    it('records the cause, old and new totals and levels as a new revision on the amended version', () => {
      const outcome = given(published).as(system).when('RecordScoresRecalculated', { cause, parts });
      outcome.then([{ type: 'ScoresRecalculated', data: { by: system.id, at: AT, revision: 3, cause, parts } }]);
      expect(outcome.state()).toMatchObject({
        status: 'published',
        revision: 3,
        framework: { version: 2 },
        recalculations: [{ cause: { decisionRef: '12/QĐ-STTTT' } }],
        revisions: [{ revision: 1 }, { revision: 2 }, { revision: 3, kind: 'recalculated' }],
      });
    });
    it('makes a pending approval stale', () => {
      const recalculated = run(reviewed, system, 'RecordScoresRecalculated', { cause, parts });
      given(recalculated).as(approver).when('ApproveAssessment', { revision: 2 }).thenRefused('ASSESSMENT.STALE_REVISION');
    });
    it('refuses a cause on another framework or an older version', () => {
      given(published).as(system).when('RecordScoresRecalculated', { cause: { ...cause, frameworkVersion: 0 }, parts }).thenRefused('ASSESSMENT.INVALID_RECALCULATION');
      given(published).as(system).when('RecordScoresRecalculated', { cause: { ...cause, frameworkId: 'dti' }, parts }).thenRefused('ASSESSMENT.INVALID_RECALCULATION');
    });
    it('refuses a recalculation without parts or cause', () => {
      given(published).as(system).when('RecordScoresRecalculated', { cause, parts: [] }).thenRefused('ASSESSMENT.INVALID_RECALCULATION');
      given(published).as(system).when('RecordScoresRecalculated', { cause: { ...cause, kind: '' }, parts }).thenRefused('ASSESSMENT.REASON_REQUIRED');
    });
    it('refuses users other than the system or an administrator', () => {
      given(published).as(editor).when('RecordScoresRecalculated', { cause, parts }).thenRefused('ASSESSMENT.FORBIDDEN');
    });
  });
});
