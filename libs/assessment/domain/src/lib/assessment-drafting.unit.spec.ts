import { assessmentDecider } from './assessment.decider';
import { AT, FRAMEWORK_V2, command, contextFor, PERIOD_ID, UNIT, actors, answered, given, returned, started, stateOf, submitted, underReview, run } from '../testing/assessment.fixtures';

const { editor, lead, otherLead, reviewer, admin } = actors;

describe('drafting an assessment', () => {
  describe('StartAssessment', () => {
    it('starts a draft pinned to the context framework version', () => {
      const outcome = given([]).as(lead).when('StartAssessment', { periodId: PERIOD_ID, unitCode: UNIT, tier: 'district' });
      outcome.then([
        {
          type: 'AssessmentStarted',
          data: { by: lead.id, at: AT, periodId: PERIOD_ID, unitCode: UNIT, tier: 'district', frameworkId: 'test-2392', frameworkVersion: 1 },
        },
      ]);
      expect(outcome.state()).toMatchObject({ status: 'draft', revision: 0, framework: { id: 'test-2392', version: 1 } });
    });
    it('lets an administrator open an assessment for any unit', () => {
      expect(given([]).as(admin).when('StartAssessment', { periodId: PERIOD_ID, unitCode: '663', tier: 'district' }).events()).toHaveLength(1);
    });
    it('refuses a second start', () => {
      given(started).as(lead).when('StartAssessment', { periodId: PERIOD_ID, unitCode: UNIT, tier: 'district' }).thenRefused('ASSESSMENT.ALREADY_STARTED', 'conflict');
    });
    it('refuses a tier the framework does not have', () => {
      given([]).as(lead).when('StartAssessment', { periodId: PERIOD_ID, unitCode: UNIT, tier: 'commune' }).thenRefused('ASSESSMENT.UNKNOWN_TIER');
    });
    it("refuses a lead of another unit", () => {
      given([]).as(otherLead).when('StartAssessment', { periodId: PERIOD_ID, unitCode: UNIT, tier: 'district' }).thenRefused('ASSESSMENT.FORBIDDEN', 'forbidden');
    });
  });

  describe('ScoreCriterion', () => {
    const data = { criterionCode: 'D.R.1', answer: { kind: 'value' as const, value: 7.5 }, evidence: [{ kind: 'reference' as const, reference: 'a.pdf' }, { kind: 'reference' as const, reference: ' ' }], explanation: ' Đủ ' };
    it('records the self score with evidence, explanation, who and when', () => {
      const outcome = given(started).as(editor).when('ScoreCriterion', data);
      outcome.then([
        {
          type: 'CriterionScored',
          data: { by: editor.id, at: AT, criterionCode: 'D.R.1', answer: data.answer, points: 7.5, evidence: [{ kind: 'reference' as const, reference: 'a.pdf' }], explanation: 'Đủ' },
        },
      ]);
      const state = outcome.state();
      expect(state.status !== 'not_started' && state.criteria['D.R.1']).toMatchObject({ self: { points: 7.5, by: editor.id }, review: null });
    });
    it('scores by the framework rule (ratio, banded)', () => {
      const ratio = given(started).as(editor).when('ScoreCriterion', { criterionCode: 'D.R.3', answer: { kind: 'value', value: 100 }, evidence: [] });
      expect(ratio.events()[0]).toMatchObject({ data: { points: 5 } });
      const half = given(started).as(editor).when('ScoreCriterion', { criterionCode: 'D.R.3', answer: { kind: 'value', value: 50 }, evidence: [] });
      expect(half.events()[0]).toMatchObject({ data: { points: 2.5 } });
      const banded = given(started).as(editor).when('ScoreCriterion', { criterionCode: 'D.K.1', answer: { kind: 'value', value: 60 }, evidence: [] });
      expect(banded.events()[0]).toMatchObject({ data: { points: 5 } });
    });
    it('refuses a criterion that does not exist', () => {
      const error = given(started).as(editor).when('ScoreCriterion', { ...data, criterionCode: 'X.9' }).thenRefused('ASSESSMENT.UNKNOWN_CRITERION', 'validation');
      expect(error.field).toBe('data.criterionCode');
    });
    it('refuses a score above the maximum', () => {
      const error = given(started)
        .as(editor)
        .when('ScoreCriterion', { ...data, answer: { kind: 'value', value: 10.5 } })
        .thenRefused('ASSESSMENT.SCORE_ABOVE_MAXIMUM', 'validation');
      expect(error.field).toBe('data.answer.value');
    });
    it('refuses an answer of the wrong kind', () => {
      given(started).as(editor).when('ScoreCriterion', { criterionCode: 'D.R.2', answer: { kind: 'value', value: 3 }, evidence: [] }).thenRefused('ASSESSMENT.INVALID_ANSWER');
    });
    it('refuses editing after submission', () => {
      given(submitted).as(editor).when('ScoreCriterion', data).thenRefused('ASSESSMENT.NOT_EDITABLE', 'conflict');
      given(underReview).as(lead).when('ScoreCriterion', data).thenRefused('ASSESSMENT.NOT_EDITABLE');
    });
    it('refuses a reviewer or a member of another unit', () => {
      given(started).as(reviewer).when('ScoreCriterion', data).thenRefused('ASSESSMENT.FORBIDDEN', 'forbidden');
      given(started).as(otherLead).when('ScoreCriterion', data).thenRefused('ASSESSMENT.FORBIDDEN');
    });
    it('refuses before the assessment is started', () => {
      given([]).as(editor).when('ScoreCriterion', data).thenRefused('ASSESSMENT.NOT_FOUND', 'not_found');
    });
    it('refuses a context with another framework version than the pinned one', () => {
      given(started).as(editor, { framework: FRAMEWORK_V2 }).when('ScoreCriterion', data).thenRefused('ASSESSMENT.FRAMEWORK_MISMATCH', 'conflict');
    });
    it('refuses a context whose actor is not the command actor', () => {
      const decider = assessmentDecider(contextFor(editor));
      expect(() => decider.decide(command(actors.lead, 'ScoreCriterion', data), stateOf(started))).toThrow(
        expect.objectContaining({ code: 'ASSESSMENT.ACTOR_MISMATCH', category: 'forbidden' }),
      );
    });
    it('reopens only the flagged criteria of a returned form, and clears their review', () => {
      given(returned).as(editor).when('ScoreCriterion', { ...data, criterionCode: 'D.K.1', answer: { kind: 'value', value: 90 } }).thenRefused('ASSESSMENT.NOT_EDITABLE');
      const accepted = run(run(underReview, reviewer, 'AcceptCriterion', { criterionCode: 'D.R.1' }), reviewer, 'ReturnAssessment', {
        comment: 'Xem lại',
        flaggedCriteria: ['D.R.1'],
      });
      const state = given(accepted).as(editor).when('ScoreCriterion', data).state();
      expect(state.status !== 'not_started' && state.criteria['D.R.1']?.review).toBeNull();
    });
  });

  describe('MarkCriterionNotApplicable', () => {
    it('records a not-applicable answer whose points are excluded (null)', () => {
      given(started)
        .as(editor)
        .when('MarkCriterionNotApplicable', { criterionCode: 'D.R.3', explanation: 'Không có dịch vụ' })
        .then([
          {
            type: 'CriterionScored',
            data: { by: editor.id, at: AT, criterionCode: 'D.R.3', answer: { kind: 'not_applicable' }, points: null, evidence: [], explanation: 'Không có dịch vụ' },
          },
        ]);
    });
    it('refuses a criterion the framework does not allow to be not applicable', () => {
      given(started).as(editor).when('MarkCriterionNotApplicable', { criterionCode: 'D.R.1', explanation: 'x' }).thenRefused('ASSESSMENT.NOT_APPLICABLE_NOT_ALLOWED');
    });
    it('refuses without an explanation', () => {
      given(started).as(editor).when('MarkCriterionNotApplicable', { criterionCode: 'D.R.3', explanation: '' }).thenRefused('ASSESSMENT.EXPLANATION_REQUIRED');
    });
    it('refuses after submission', () => {
      given(submitted).as(editor).when('MarkCriterionNotApplicable', { criterionCode: 'D.R.3', explanation: 'x' }).thenRefused('ASSESSMENT.NOT_EDITABLE');
    });
  });

  describe('SubmitAssessment', () => {
    it('submits a complete form as revision 1 and freezes it', () => {
      const outcome = given(answered).as(lead).when('SubmitAssessment', {});
      outcome.then([{ type: 'AssessmentSubmitted', data: { by: lead.id, at: AT, revision: 1 } }]);
      expect(outcome.state()).toMatchObject({ status: 'submitted', revision: 1, submitters: [lead.id], revisions: [{ revision: 1, kind: 'submitted' }] });
    });
    it('accepts not-applicable criteria without evidence', () => {
      const history = run(run(started, editor, 'ScoreCriterion', { criterionCode: 'D.R.1', answer: { kind: 'value', value: 1 }, evidence: [{ kind: 'reference' as const, reference: 'e' }] }), editor, 'ScoreCriterion', {
        criterionCode: 'D.R.2',
        answer: { kind: 'value', value: false },
        evidence: [],
        explanation: 'Chưa có',
      });
      const complete = run(run(history, editor, 'MarkCriterionNotApplicable', { criterionCode: 'D.R.3', explanation: 'n/a' }), editor, 'ScoreCriterion', {
        criterionCode: 'D.K.1',
        answer: { kind: 'value', value: 10 },
        evidence: [],
      });
      expect(given(complete).as(lead).when('SubmitAssessment', {}).events()).toHaveLength(1);
    });
    it('refuses unanswered criteria and names them', () => {
      const error = given(started).as(lead).when('SubmitAssessment', {}).thenRefused('ASSESSMENT.UNANSWERED_CRITERIA', 'validation');
      expect(error.details).toMatchObject({ criteria: ['D.R.1', 'D.R.2', 'D.R.3', 'D.K.1'] });
      expect(error.field).toBe('criteria');
      expect((error.details?.['errors'] as { field: string }[]).map((e) => e.field)).toEqual(['D.R.1', 'D.R.2', 'D.R.3', 'D.K.1'].map((c) => `criteria.${c}`));
    });
    it('refuses missing evidence where the framework asks for it', () => {
      const noEvidence = run(answered, editor, 'ScoreCriterion', { criterionCode: 'D.R.1', answer: { kind: 'value', value: 8 }, evidence: [] });
      const error = given(noEvidence).as(lead).when('SubmitAssessment', {}).thenRefused('ASSESSMENT.EVIDENCE_REQUIRED');
      expect(error.details).toMatchObject({ criteria: ['D.R.1'] });
      expect(error.field).toBe('criteria');
      expect((error.details?.['errors'] as { field: string }[]).map((e) => e.field)).toEqual(['D.R.1'].map((c) => `criteria.${c}`));
    });
    it('refuses a missing explanation where the framework asks for one', () => {
      const noExplanation = run(answered, editor, 'ScoreCriterion', { criterionCode: 'D.R.2', answer: { kind: 'value', value: true }, evidence: [] });
      given(noExplanation).as(lead).when('SubmitAssessment', {}).thenRefused('ASSESSMENT.EXPLANATION_REQUIRED');
    });
    it('refuses an editor: only the unit lead submits', () => {
      given(answered).as(editor).when('SubmitAssessment', {}).thenRefused('ASSESSMENT.FORBIDDEN');
    });
    it('refuses a second submission', () => {
      given(submitted).as(lead).when('SubmitAssessment', {}).thenRefused('ASSESSMENT.ALREADY_SUBMITTED', 'conflict');
      given(underReview).as(lead).when('SubmitAssessment', {}).thenRefused('ASSESSMENT.ALREADY_SUBMITTED');
    });
    it('refuses submitting a returned form (it is resubmitted)', () => {
      given(returned).as(lead).when('SubmitAssessment', {}).thenRefused('ASSESSMENT.WRONG_STATE');
    });
  });

  describe('WithdrawSubmission', () => {
    it('takes a submission back to draft before review starts', () => {
      const outcome = given(submitted).as(lead).when('WithdrawSubmission', {});
      outcome.then([{ type: 'SubmissionWithdrawn', data: { by: lead.id, at: AT, revision: 1 } }]);
      expect(outcome.state().status).toBe('draft');
      expect(stateOf([...submitted, ...outcome.events()])).toMatchObject({ revisions: [{ revision: 1 }] });
    });
    it('takes a resubmission back to returned', () => {
      const resubmitted = run(returned, lead, 'ResubmitAssessment', {});
      expect(given(resubmitted).as(lead).when('WithdrawSubmission', {}).state().status).toBe('returned');
    });
    it('refuses once review has started', () => {
      given(underReview).as(lead).when('WithdrawSubmission', {}).thenRefused('ASSESSMENT.WRONG_STATE', 'conflict');
    });
    it('refuses an editor', () => {
      given(submitted).as(editor).when('WithdrawSubmission', {}).thenRefused('ASSESSMENT.FORBIDDEN');
    });
  });
});
