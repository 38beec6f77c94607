import { AT, actors, allReviewed, answered, given, returned, reviewed, run, submitted, underReview } from '../testing/assessment.fixtures';
import { revisionAt } from './assessment.selectors';

const { editor, lead, reviewer, reviewer2, localReviewer } = actors;

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
});
