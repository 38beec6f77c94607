import { scorePart } from '@tieuchi/framework/domain';
import {
  APPEAL_WINDOW_ENDS_AT,
  FRAMEWORK,
  OPEN_PERIOD,
  actors,
  allReviewed,
  answered,
  appealed,
  approved,
  published,
  returned,
  reviewed,
  run,
  started,
  stateOf,
  submitted,
  underReview,
} from '../testing/assessment.fixtures';
import { isSubmitted } from './assessment.guards';
import { criteriaView, effectiveAnswers, effectivePoints, nextActions } from './assessment.selectors';
import { initialAssessmentState } from './assessment.state';

const { editor, lead, reviewer, reviewer2, localReviewer, approver, reviewerApprover, admin, system } = actors;

describe('assessment selectors', () => {
  it('shows self and reviewed points side by side, effective = reviewed if present else self', () => {
    const state = stateOf(run(allReviewed, reviewer, 'AcceptCriterion', { criterionCode: 'D.R.2' }));
    expect(criteriaView(state).map(({ code, selfPoints, reviewedPoints, effectivePoints: points }) => [code, selfPoints, reviewedPoints, points])).toEqual([
      ['D.R.1', 8, 6, 6],
      ['D.R.2', 5, 5, 5],
      ['D.R.3', 3, 3, 3],
      ['D.K.1', 10, 10, 10],
    ]);
    expect(Object.fromEntries(effectivePoints(stateOf(answered)))).toEqual({ 'D.R.1': 8, 'D.R.2': 5, 'D.R.3': 3, 'D.K.1': 10 });
  });

  it('reads the criteria as they were at an earlier revision', () => {
    expect(effectivePoints(stateOf(reviewed), 1).get('D.R.1')).toBe(8);
    expect(effectivePoints(stateOf(reviewed), 2).get('D.R.1')).toBe(6);
  });

  it('marks not-applicable criteria with null points', () => {
    const state = stateOf(run(started, editor, 'MarkCriterionNotApplicable', { criterionCode: 'D.R.3', explanation: 'n/a' }));
    expect(criteriaView(state)).toEqual([expect.objectContaining({ code: 'D.R.3', notApplicable: true, effectivePoints: null })]);
  });

  it('R-REVIEWED: "the reviewed answer counts where there is one, else the self-assessed one"', () => {
    expect(scorePart(FRAMEWORK, 'district', 'readiness', effectiveAnswers(stateOf(answered))).score).toBe(16);
    expect(scorePart(FRAMEWORK, 'district', 'readiness', effectiveAnswers(stateOf(reviewed))).score).toBe(14);
    expect(scorePart(FRAMEWORK, 'district', 'results', effectiveAnswers(stateOf(reviewed))).level).toBe('IV');
  });

  it('is empty before the assessment starts', () => {
    expect(criteriaView(initialAssessmentState())).toEqual([]);
    expect(effectiveAnswers(initialAssessmentState()).size).toBe(0);
  });

  describe('nextActions', () => {
    const open = { period: OPEN_PERIOD };
    it('offers each actor what the state allows them, and nothing else', () => {
      expect(nextActions(initialAssessmentState(), lead, open)).toEqual(['StartAssessment']);
      expect(nextActions(stateOf(started), editor, open)).toEqual(['ScoreCriterion', 'MarkCriterionNotApplicable']);
      expect(nextActions(stateOf(answered), lead, open)).toEqual(['ScoreCriterion', 'MarkCriterionNotApplicable', 'SubmitAssessment']);
      expect(nextActions(stateOf(answered), reviewer, open)).toEqual([]);
      expect(nextActions(stateOf(submitted), lead, open)).toEqual(['WithdrawSubmission']);
      expect(nextActions(stateOf(submitted), reviewer, open)).toEqual(['StartReview']);
      expect(nextActions(stateOf(submitted), localReviewer, open)).toEqual([]);
      expect(nextActions(stateOf(underReview), reviewer, open)).toEqual(['AcceptCriterion', 'AdjustCriterion', 'ReturnAssessment', 'CompleteReview']);
      expect(nextActions(stateOf(returned), lead, open)).toEqual(['ScoreCriterion', 'MarkCriterionNotApplicable', 'ResubmitAssessment']);
      expect(nextActions(stateOf(reviewed), approver, open)).toEqual(['ApproveAssessment', 'SendBack']);
      expect(nextActions(stateOf(reviewed), reviewer, open)).toEqual(['ReopenReview']);
      // Four eyes across roles: who reviewed it neither approves it nor sends it back, but may reopen the review.
      expect(nextActions(stateOf(reviewed), reviewerApprover, open)).toEqual(['ReopenReview']);
      expect(nextActions(stateOf(approved), admin, open)).toEqual(['PublishAssessment', 'RecordScoresRecalculated']);
      expect(nextActions(stateOf(appealed), reviewer2, open)).toEqual(['ResolveAppeal']);
      expect(nextActions(stateOf(appealed), reviewer, open)).toEqual([]);
      expect(nextActions(stateOf(published), system, open)).toEqual(['RecordScoresRecalculated']);
    });

    it('offers the unit nothing of a period nobody loaded, as decide refuses it', () => {
      expect(nextActions(initialAssessmentState(), lead)).toEqual([]);
      expect(nextActions(stateOf(answered), lead)).toEqual([]);
    });


    it('judges the appeal window when given the time', () => {
      const state = stateOf(published);
      expect(nextActions(state, lead)).toEqual(['AppealAssessment']);
      expect(nextActions(state, lead, { now: '2020-01-20T00:00:00Z', appealWindowEndsAt: APPEAL_WINDOW_ENDS_AT })).toEqual(['AppealAssessment']);
      expect(nextActions(state, lead, { now: APPEAL_WINDOW_ENDS_AT, appealWindowEndsAt: APPEAL_WINDOW_ENDS_AT })).toEqual([]);
    });
  });

  it('walks every state of the table in ARCHITECTURE.md §3', () => {
    const resubmitted = run(
      run(returned, editor, 'ScoreCriterion', { criterionCode: 'D.R.1', answer: { kind: 'value', value: 9 }, evidence: [{ kind: 'reference', reference: 'b.pdf' }] }),
      lead,
      'ResubmitAssessment',
      {},
    );
    const upheld = run(appealed, reviewer2, 'ResolveAppeal', { outcome: 'upheld', reason: 'Giữ nguyên' });
    const revised = run(appealed, reviewer2, 'ResolveAppeal', {
      outcome: 'revised',
      reason: 'Sửa',
      adjustments: [{ criterionCode: 'D.K.1', answer: { kind: 'value', value: 70 }, reason: 'Tỷ lệ thực tế 70%' }],
    });
    const statuses = [started, submitted, underReview, returned, resubmitted, reviewed, approved, published, appealed, upheld, revised].map(
      (history) => stateOf(history).status,
    );
    expect(statuses).toEqual([
      'draft',
      'submitted',
      'under_review',
      'returned',
      'resubmitted',
      'reviewed',
      'approved',
      'published',
      'appealed',
      'upheld',
      'revised',
    ]);
    expect(statuses.map(isSubmitted)).toEqual([false, true, true, false, true, true, true, true, true, true, true]);
  });
});
