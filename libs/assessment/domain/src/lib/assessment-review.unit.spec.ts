import type { AssessmentActor } from './assessment.context';
import { AT, actors, allReviewed, answered, approved, given, published, returned, reviewed, run, started, stateOf, submitted, underReview } from '../testing/assessment.fixtures';
import { nextActions, revisionAt } from './assessment.selectors';

const { editor, lead, reviewer, reviewer2, localReviewer, approver } = actors;

describe('reviewing an assessment', () => {
  describe('StartReview', () => {
    it('puts a submitted assessment under review and records the reviewer', () => {
      const outcome = given(submitted).as(reviewer).when('StartReview', {});
      outcome.then([{ type: 'ReviewStarted', data: { by: reviewer.id, at: AT, revision: 1 } }]);
      expect(outcome.state()).toMatchObject({ status: 'under_review', reviewers: [reviewer.id] });
    });
    it("refuses a reviewer from the assessed unit", () => {
      given(submitted).as(localReviewer).when('StartReview', {}).thenRefused('ASSESSMENT.OWN_UNIT_REVIEW', 'forbidden');
    });
    it('refuses someone without the reviewer role', () => {
      given(submitted).as(editor).when('StartReview', {}).thenRefused('ASSESSMENT.FORBIDDEN');
    });
    it('refuses a draft', () => {
      given(answered).as(reviewer).when('StartReview', {}).thenRefused('ASSESSMENT.WRONG_STATE', 'conflict');
    });
  });

  describe('AcceptCriterion', () => {
    it('copies the self score as the reviewed score', () => {
      const outcome = given(underReview).as(reviewer2).when('AcceptCriterion', { criterionCode: 'D.R.1' });
      outcome.then([
        { type: 'CriterionAccepted', data: { by: reviewer2.id, at: AT, criterionCode: 'D.R.1', answer: { kind: 'value', value: 8 }, points: 8 } },
      ]);
      const state = outcome.state();
      expect(state.status !== 'not_started' && state.criteria['D.R.1']).toMatchObject({
        self: { points: 8 },
        review: { decision: 'accepted', points: 8, reason: null },
      });
    });
    it('refuses before the review has started', () => {
      given(submitted).as(reviewer).when('AcceptCriterion', { criterionCode: 'D.R.1' }).thenRefused('ASSESSMENT.WRONG_STATE');
    });
    it('refuses an unknown criterion', () => {
      given(underReview).as(reviewer).when('AcceptCriterion', { criterionCode: 'D.Z' }).thenRefused('ASSESSMENT.UNKNOWN_CRITERION');
    });
    it('refuses a reviewer of their own unit', () => {
      given(underReview).as(localReviewer).when('AcceptCriterion', { criterionCode: 'D.R.1' }).thenRefused('ASSESSMENT.OWN_UNIT_REVIEW');
    });
  });

  describe('AdjustCriterion', () => {
    const data = { criterionCode: 'D.R.1', answer: { kind: 'value' as const, value: 6 }, reason: 'Thiếu minh chứng' };
    it('keeps both the self score and the reviewed score, with the reason', () => {
      const outcome = given(underReview).as(reviewer).when('AdjustCriterion', data);
      outcome.then([
        { type: 'CriterionAdjusted', data: { by: reviewer.id, at: AT, criterionCode: 'D.R.1', answer: data.answer, points: 6, selfPoints: 8, reason: data.reason } },
      ]);
      const state = outcome.state();
      expect(state.status !== 'not_started' && state.criteria['D.R.1']).toMatchObject({
        self: { points: 8, by: editor.id },
        review: { decision: 'adjusted', points: 6, reason: 'Thiếu minh chứng', by: reviewer.id },
      });
    });
    it('refuses an adjustment without a reason', () => {
      const error = given(underReview).as(reviewer).when('AdjustCriterion', { ...data, reason: '  ' }).thenRefused('ASSESSMENT.REASON_REQUIRED', 'validation');
      expect(error.field).toBe('data.reason');
    });
    it('refuses a reviewed score above the maximum', () => {
      given(underReview).as(reviewer).when('AdjustCriterion', { ...data, answer: { kind: 'value', value: 11 } }).thenRefused('ASSESSMENT.SCORE_ABOVE_MAXIMUM');
    });
    it('refuses a reviewer of their own unit', () => {
      given(underReview).as(localReviewer).when('AdjustCriterion', data).thenRefused('ASSESSMENT.OWN_UNIT_REVIEW');
    });
  });

  describe('ReturnAssessment', () => {
    it('returns the form with a comment and the flagged criteria', () => {
      const outcome = given(underReview).as(reviewer).when('ReturnAssessment', { comment: 'Bổ sung', flaggedCriteria: ['D.R.1', 'D.R.1'] });
      outcome.then([{ type: 'AssessmentReturned', data: { by: reviewer.id, at: AT, revision: 1, comment: 'Bổ sung', flaggedCriteria: ['D.R.1'] } }]);
      expect(outcome.state()).toMatchObject({ status: 'returned', flaggedCriteria: ['D.R.1'], comments: [{ kind: 'returned', comment: 'Bổ sung' }] });
    });
    it('refuses to return without a comment', () => {
      given(underReview).as(reviewer).when('ReturnAssessment', { comment: '', flaggedCriteria: [] }).thenRefused('ASSESSMENT.COMMENT_REQUIRED', 'validation');
    });
    it('refuses to flag an unknown criterion', () => {
      const error = given(underReview).as(reviewer).when('ReturnAssessment', { comment: 'x', flaggedCriteria: ['D.R.9'] }).thenRefused('ASSESSMENT.UNKNOWN_CRITERION');
      expect(error.field).toBe('data.flaggedCriteria.0');
    });
    it('refuses a form not under review', () => {
      given(submitted).as(reviewer).when('ReturnAssessment', { comment: 'x', flaggedCriteria: [] }).thenRefused('ASSESSMENT.WRONG_STATE');
    });
  });

  describe('ResubmitAssessment', () => {
    const edited = run(returned, editor, 'ScoreCriterion', { criterionCode: 'D.R.1', answer: { kind: 'value', value: 9 }, evidence: [{ kind: 'reference', reference: 'b.pdf' }] });
    it('makes a new revision and keeps the earlier submission readable', () => {
      const outcome = given(edited).as(lead).when('ResubmitAssessment', {});
      outcome.then([{ type: 'AssessmentResubmitted', data: { by: lead.id, at: AT, revision: 2, previousRevision: 1 } }]);
      const state = outcome.state();
      expect(state).toMatchObject({ status: 'resubmitted', revision: 2, flaggedCriteria: [] });
      expect(revisionAt(state, 1)?.criteria['D.R.1']?.self?.points).toBe(8);
      expect(revisionAt(state, 2)?.criteria['D.R.1']?.self?.points).toBe(9);
    });
    it('can be reviewed again', () => {
      const resubmitted = run(edited, lead, 'ResubmitAssessment', {});
      expect(given(resubmitted).as(reviewer).when('StartReview', {}).state().status).toBe('under_review');
    });
    it('refuses a form that was not returned', () => {
      given(underReview).as(lead).when('ResubmitAssessment', {}).thenRefused('ASSESSMENT.WRONG_STATE');
    });
    it('refuses an editor', () => {
      given(edited).as(editor).when('ResubmitAssessment', {}).thenRefused('ASSESSMENT.FORBIDDEN');
    });
  });

  describe('CompleteReview', () => {
    it('completes when every criterion is accepted or adjusted, as a new revision', () => {
      const outcome = given(allReviewed).as(reviewer).when('CompleteReview', {});
      outcome.then([{ type: 'ReviewCompleted', data: { by: reviewer.id, at: AT, revision: 2 } }]);
      expect(outcome.state()).toMatchObject({ status: 'reviewed', revision: 2, revisions: [{ kind: 'submitted' }, { kind: 'reviewed' }] });
    });
    it('refuses while criteria are unreviewed, and names them', () => {
      const error = given(underReview).as(reviewer).when('CompleteReview', {}).thenRefused('ASSESSMENT.UNREVIEWED_CRITERIA', 'validation');
      expect(error.details).toMatchObject({ criteria: ['D.R.1', 'D.R.2', 'D.R.3', 'D.K.1'] });
      expect(error.field).toBe('criteria');
      expect((error.details?.['errors'] as { field: string }[]).map((e) => e.field)).toEqual(['D.R.1', 'D.R.2', 'D.R.3', 'D.K.1'].map((c) => `criteria.${c}`));
    });
    it('refuses a completed review', () => {
      given(reviewed).as(reviewer).when('CompleteReview', {}).thenRefused('ASSESSMENT.WRONG_STATE');
    });
  });

  describe('ReopenReview', () => {
    const reason = 'D.R.1: đơn vị gửi bổ sung quyết định, cần xem lại';
    // Holds both staff roles and took no part in the review so far.
    const reviewerApprover2: AssessmentActor = { id: 'reviewer-approver-2', roles: ['reviewer', 'approver'], unitCodes: [] };

    it('takes a completed review back to review at the same revision, with the reason', () => {
      const outcome = given(reviewed).as(reviewer).when('ReopenReview', { reason: `  ${reason}  ` });
      outcome.then([{ type: 'ReviewReopened', data: { by: reviewer.id, at: AT, revision: 2, reason } }]);
      expect(outcome.state()).toMatchObject({
        status: 'under_review',
        revision: 2,
        comments: [{ kind: 'reopened', by: reviewer.id, revision: 2, comment: reason, flaggedCriteria: [] }],
        // The completed review stays readable as its revision.
        revisions: [{ kind: 'submitted' }, { kind: 'reviewed', revision: 2 }],
      });
    });
    it('keeps the reviewed answers, so the reviewer changes only what needs it and completes again as a new revision', () => {
      const reopened = run(reviewed, reviewer, 'ReopenReview', { reason });
      const adjusted = run(reopened, reviewer, 'AdjustCriterion', { criterionCode: 'D.R.1', answer: { kind: 'value', value: 9 }, reason: 'Quyết định bổ sung hợp lệ' });
      const outcome = given(adjusted).as(reviewer).when('CompleteReview', {});
      outcome.then([{ type: 'ReviewCompleted', data: { by: reviewer.id, at: AT, revision: 3 } }]);
      expect(outcome.state()).toMatchObject({ status: 'reviewed', revision: 3 });
      expect(revisionAt(outcome.state(), 2)?.criteria['D.R.1']?.review?.points).toBe(6);
      expect(revisionAt(outcome.state(), 3)?.criteria['D.R.1']?.review?.points).toBe(9);
    });
    it('makes the revision the approver looked at stale: only the newly completed one is approved', () => {
      const again = run(run(reviewed, reviewer, 'ReopenReview', { reason }), reviewer, 'CompleteReview', {});
      given(again).as(approver).when('ApproveAssessment', { revision: 2 }).thenRefused('ASSESSMENT.STALE_REVISION', 'conflict');
      expect(given(again).as(approver).when('ApproveAssessment', { revision: 3 }).state().status).toBe('approved');
    });
    it('lets any reviewer of the province reopen, who then took part in the review and may not approve it', () => {
      expect(nextActions(stateOf(reviewed), reviewerApprover2, {})).toEqual(['ApproveAssessment', 'SendBack', 'ReopenReview']);
      const outcome = given(reviewed).as(reviewerApprover2).when('ReopenReview', { reason });
      expect(outcome.state()).toMatchObject({ status: 'under_review', reviewers: [reviewer.id, reviewerApprover2.id] });
      const again = run(run(reviewed, reviewerApprover2, 'ReopenReview', { reason }), reviewer, 'CompleteReview', {});
      given(again).as(reviewerApprover2).when('ApproveAssessment', { revision: 3 }).thenRefused('ASSESSMENT.FOUR_EYES', 'forbidden');
      given(again).as(reviewerApprover2).when('SendBack', { comment: 'x' }).thenRefused('ASSESSMENT.FOUR_EYES', 'forbidden');
    });
    it('refuses without a reason, naming the field', () => {
      for (const blank of ['', '   ']) {
        const error = given(reviewed).as(reviewer).when('ReopenReview', { reason: blank }).thenRefused('ASSESSMENT.REASON_REQUIRED', 'validation');
        expect(error.field).toBe('data.reason');
      }
    });
    it('refuses the unit, an approver and a reviewer of the unit', () => {
      given(reviewed).as(editor).when('ReopenReview', { reason }).thenRefused('ASSESSMENT.FORBIDDEN', 'forbidden');
      given(reviewed).as(lead).when('ReopenReview', { reason }).thenRefused('ASSESSMENT.FORBIDDEN', 'forbidden');
      given(reviewed).as(approver).when('ReopenReview', { reason }).thenRefused('ASSESSMENT.FORBIDDEN', 'forbidden');
      given(reviewed).as(localReviewer).when('ReopenReview', { reason }).thenRefused('ASSESSMENT.OWN_UNIT_REVIEW', 'forbidden');
    });
    it('refuses once the approver has acted, and anything not awaiting approval', () => {
      const error = given(approved).as(reviewer).when('ReopenReview', { reason }).thenRefused('ASSESSMENT.WRONG_STATE', 'conflict');
      expect(error.details).toEqual({ status: 'approved', allowed: ['reviewed'] });
      given(published).as(reviewer).when('ReopenReview', { reason }).thenRefused('ASSESSMENT.WRONG_STATE');
      given(run(reviewed, approver, 'SendBack', { comment: 'Xem lại D.R.1' })).as(reviewer).when('ReopenReview', { reason }).thenRefused('ASSESSMENT.WRONG_STATE');
      given(underReview).as(reviewer).when('ReopenReview', { reason }).thenRefused('ASSESSMENT.WRONG_STATE');
      given(submitted).as(reviewer).when('ReopenReview', { reason }).thenRefused('ASSESSMENT.WRONG_STATE');
      given(returned).as(reviewer).when('ReopenReview', { reason }).thenRefused('ASSESSMENT.WRONG_STATE');
      given(started).as(reviewer).when('ReopenReview', { reason }).thenRefused('ASSESSMENT.WRONG_STATE');
      given([]).as(reviewer).when('ReopenReview', { reason }).thenRefused('ASSESSMENT.NOT_FOUND', 'not_found');
    });
  });
});
