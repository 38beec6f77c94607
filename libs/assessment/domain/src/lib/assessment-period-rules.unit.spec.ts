import {
  actors,
  AT,
  approved,
  CLOSED_PERIOD,
  given,
  OPEN_PERIOD,
  PERIOD_ID,
  PUBLISHED_PERIOD,
  published,
  returned,
  reviewed,
  run,
  started,
  submitted,
  underReview,
  UNIT,
  answered,
  stateOf,
} from '../testing/assessment.fixtures';
import type { AssessmentActor } from './assessment.context';
import { publishingDecision, statusWithPeriod } from './assessment.publication';

const { editor, lead, reviewer, reviewer2, approver, admin } = actors;
const startData = { periodId: PERIOD_ID, unitCode: UNIT, tier: 'district' };
const scoreData = { criterionCode: 'D.R.1', answer: { kind: 'value', value: 9 } as const, evidence: [{ kind: 'reference' as const, reference: 'b.pdf' }] };
const naData = { criterionCode: 'D.R.3', explanation: 'Không có đơn vị trực thuộc' };
const beforeSelfDeadline = '2019-11-29T16:59:59.999Z';
const atSelfDeadline = OPEN_PERIOD.selfAssessmentEndsAt;
const beforeReviewDeadline = '2019-12-20T16:59:59.999Z';
const atReviewDeadline = OPEN_PERIOD.reviewEndsAt;
const inAppealWindow = '2020-01-20T03:00:00.000Z';

describe('the period decides when a unit may act (issue 15, item 1)', () => {
  describe('start, score, mark N/A and submit need the period open for self-assessment', () => {
    for (const [name, period] of [
      ['closed for self-assessment', CLOSED_PERIOD],
      ['published', PUBLISHED_PERIOD],
      ['not loaded', null],
    ] as const) {
      it(`refuses each of them when the period is ${name}`, () => {
        given([]).as(lead, { period }).when('StartAssessment', startData).thenRefused('ASSESSMENT.PERIOD_CLOSED', 'conflict');
        given([]).as(admin, { period }).when('StartAssessment', startData).thenRefused('ASSESSMENT.PERIOD_CLOSED', 'conflict');
        given(started).as(editor, { period }).when('ScoreCriterion', scoreData).thenRefused('ASSESSMENT.PERIOD_CLOSED', 'conflict');
        given(started).as(editor, { period }).when('MarkCriterionNotApplicable', naData).thenRefused('ASSESSMENT.PERIOD_CLOSED', 'conflict');
        given(answered).as(lead, { period }).when('SubmitAssessment', {}).thenRefused('ASSESSMENT.PERIOD_CLOSED', 'conflict');
        given(submitted).as(lead, { period }).when('WithdrawSubmission', {}).thenRefused('ASSESSMENT.PERIOD_CLOSED', 'conflict');
      });
    }

    it('allows them until the end of the local day of the self-assessment deadline, and refuses them from then on', () => {
      expect(given([]).as(lead).when('StartAssessment', startData, beforeSelfDeadline).events()).toHaveLength(1);
      expect(given(started).as(editor).when('ScoreCriterion', scoreData, beforeSelfDeadline).events()).toHaveLength(1);
      expect(given(answered).as(lead).when('SubmitAssessment', {}, beforeSelfDeadline).events()).toHaveLength(1);
      const refused = given([]).as(lead).when('StartAssessment', startData, atSelfDeadline).thenRefused('ASSESSMENT.DEADLINE_PASSED', 'conflict');
      expect(refused.details).toEqual({ deadline: 'selfAssessment', endsAt: atSelfDeadline });
      given(started).as(editor).when('ScoreCriterion', scoreData, atSelfDeadline).thenRefused('ASSESSMENT.DEADLINE_PASSED', 'conflict');
      given(started).as(editor).when('MarkCriterionNotApplicable', naData, atSelfDeadline).thenRefused('ASSESSMENT.DEADLINE_PASSED', 'conflict');
      given(answered).as(lead).when('SubmitAssessment', {}, atSelfDeadline).thenRefused('ASSESSMENT.DEADLINE_PASSED', 'conflict');
    });

    it('reads an extended deadline from the period, not a date of its own', () => {
      const extended = { ...OPEN_PERIOD, selfAssessmentEndsAt: '2019-12-06T17:00:00.000Z' };
      expect(given(answered).as(lead, { period: extended }).when('SubmitAssessment', {}, atSelfDeadline).events()).toHaveLength(1);
    });
  });

  describe('a form returned for revision may be revised and resubmitted until the review deadline', () => {
    const revised = run(returned, editor, 'ScoreCriterion', scoreData);

    it('allows revising and resubmitting after self-assessment closed, before the end of the review deadline', () => {
      const closed = { period: CLOSED_PERIOD };
      expect(given(returned).as(editor, closed).when('ScoreCriterion', scoreData, beforeReviewDeadline).events()).toHaveLength(1);
      expect(given(revised).as(lead, closed).when('ResubmitAssessment', {}, beforeReviewDeadline).events()).toHaveLength(1);
    });

    it('refuses revising, resubmitting or withdrawing a resubmission from the end of the review deadline', () => {
      const closed = { period: CLOSED_PERIOD };
      given(returned).as(editor, closed).when('ScoreCriterion', scoreData, atReviewDeadline).thenRefused('ASSESSMENT.DEADLINE_PASSED', 'conflict');
      const error = given(revised).as(lead, closed).when('ResubmitAssessment', {}, atReviewDeadline).thenRefused('ASSESSMENT.DEADLINE_PASSED', 'conflict');
      expect(error.details).toEqual({ deadline: 'review', endsAt: atReviewDeadline });
      const resubmitted = run(revised, lead, 'ResubmitAssessment', {}, AT, { period: CLOSED_PERIOD });
      given(resubmitted).as(lead, closed).when('WithdrawSubmission', {}, atReviewDeadline).thenRefused('ASSESSMENT.DEADLINE_PASSED', 'conflict');
    });

    it('refuses revising once the period is published, and a reviewer returning a form after the review deadline', () => {
      given(returned).as(editor, { period: PUBLISHED_PERIOD }).when('ScoreCriterion', scoreData).thenRefused('ASSESSMENT.PERIOD_CLOSED', 'conflict');
      given(revised).as(lead, { period: PUBLISHED_PERIOD }).when('ResubmitAssessment', {}).thenRefused('ASSESSMENT.PERIOD_CLOSED', 'conflict');
      const returnData = { comment: 'Bổ sung', flaggedCriteria: [] };
      given(underReview).as(reviewer, { period: CLOSED_PERIOD }).when('ReturnAssessment', returnData, atReviewDeadline).thenRefused('ASSESSMENT.DEADLINE_PASSED');
      expect(given(underReview).as(reviewer, { period: CLOSED_PERIOD }).when('ReturnAssessment', returnData, beforeReviewDeadline).events()).toHaveLength(1);
    });

    it('does not let a draft use the review deadline: a draft follows the self-assessment window', () => {
      given(started).as(editor, { period: CLOSED_PERIOD }).when('ScoreCriterion', scoreData, beforeReviewDeadline).thenRefused('ASSESSMENT.PERIOD_CLOSED');
    });
  });
});

describe('publication is one moment (issue 22, item 1)', () => {
  const appealData = { reason: 'D.R.1 đủ minh chứng', criteriaCodes: ['D.R.1'] };

  it('lets the unit appeal an approved assessment as soon as its period is published, recording the publication first', () => {
    const outcome = given(approved).as(lead, { period: PUBLISHED_PERIOD }).when('AppealAssessment', appealData, inAppealWindow);
    outcome.then([
      {
        type: 'AssessmentPublished',
        data: { by: 'admin-1', at: '2020-01-13T02:00:00.000Z', revision: 2, periodId: PERIOD_ID, decisionNumber: '47/QĐ-UBND', decisionDate: '2020-01-10' },
      },
      { type: 'AssessmentAppealed', data: { by: lead.id, at: inAppealWindow, revision: 2, reason: appealData.reason, criteriaCodes: ['D.R.1'] } },
    ]);
    expect(outcome.state()).toMatchObject({ status: 'appealed', publication: { decisionNumber: '47/QĐ-UBND' } });
  });

  it('still refuses to appeal an approved assessment whose period is not published', () => {
    given(approved).as(lead, { period: CLOSED_PERIOD }).when('AppealAssessment', appealData, inAppealWindow).thenRefused('ASSESSMENT.WRONG_STATE', 'conflict');
  });

  it('appeals an assessment already marked published with the appeal alone', () => {
    const outcome = given(published).as(lead, { period: PUBLISHED_PERIOD }).when('AppealAssessment', appealData, inAppealWindow);
    expect(outcome.events().map((e) => e.type)).toEqual(['AssessmentAppealed']);
  });

  // The approved fixture was approved at AT (2019-11-01); the publication was recorded on 2020-01-13.
  const publication = PUBLISHED_PERIOD.publication!;
  const excludedAtPublication = { ...PUBLISHED_PERIOD, publication: { ...publication, excludedUnitCodes: [UNIT] } };
  const correction = (at: string) => ({ decisionNumber: '52/QĐ-UBND', decisionDate: '2020-02-03', by: 'admin-2', at });
  const corrected = (at: string) => ({
    ...excludedAtPublication,
    publication: { ...excludedAtPublication.publication, ...correction(at), by: publication.by, at: publication.at, decisions: [...publication.decisions, correction(at)] },
  });

  it('R-PUBLISHED: "a unit it named is covered by the first correction decision recorded after its assessment\'s approval": until then it is not published', () => {
    given(approved).as(lead, { period: excludedAtPublication }).when('AppealAssessment', appealData, inAppealWindow).thenRefused('ASSESSMENT.WRONG_STATE', 'conflict');
    expect(statusWithPeriod(stateOf(approved), excludedAtPublication)).toBe('approved');
    // A correction recorded before the approval did not cover it either.
    expect(publishingDecision(stateOf(approved), corrected('2019-10-31T00:00:00.000Z'))).toBeNull();
  });

  it('R-PUBLISHED: "a unit it named is covered by the first correction decision recorded after its assessment\'s approval", and the appeal records that decision', () => {
    const period = corrected('2020-02-03T02:00:00.000Z');
    expect(statusWithPeriod(stateOf(approved), period)).toBe('published');
    const outcome = given(approved).as(lead, { period }).when('AppealAssessment', appealData, inAppealWindow);
    expect(outcome.events()[0]).toEqual({
      type: 'AssessmentPublished',
      data: { by: 'admin-2', at: '2020-02-03T02:00:00.000Z', revision: 2, periodId: PERIOD_ID, decisionNumber: '52/QĐ-UBND', decisionDate: '2020-02-03' },
    });
  });

  it('R-PUBLISHED: "the publication covers every approved assessment of a unit it did not name as not assessed"', () => {
    expect(statusWithPeriod(stateOf(approved), CLOSED_PERIOD)).toBe('approved');
    expect(statusWithPeriod(stateOf(approved), PUBLISHED_PERIOD)).toBe('published');
    expect(statusWithPeriod(stateOf(published), PUBLISHED_PERIOD)).toBe('published');
  });
});

describe('four eyes across roles (issue 15, item 4)', () => {
  const editorApprover: AssessmentActor = { id: editor.id, roles: ['unit_editor', 'approver'], unitCodes: [UNIT] };
  const memberApprover: AssessmentActor = { id: 'approver-cj', roles: ['approver'], unitCodes: [UNIT] };
  // Scored a criterion while bound to the unit, approves later from another token without the unit.
  const formerScorer: AssessmentActor = { id: editor.id, roles: ['approver'], unitCodes: [] };
  const reviewerApprover: AssessmentActor = { id: reviewer.id, roles: ['reviewer', 'approver'], unitCodes: [] };

  it('refuses approval and send-back by whoever belongs to the unit, scored, submitted or reviewed any part of it', () => {
    for (const actor of [editorApprover, memberApprover, formerScorer, reviewerApprover]) {
      given(reviewed).as(actor).when('ApproveAssessment', { revision: 2 }).thenRefused('ASSESSMENT.FOUR_EYES', 'forbidden');
      given(reviewed).as(actor).when('SendBack', { comment: 'Xem lại' }).thenRefused('ASSESSMENT.FOUR_EYES', 'forbidden');
    }
    expect(given(reviewed).as(approver).when('ApproveAssessment', { revision: 2 }).events()).toHaveLength(1);
  });

  it('refuses an appeal resolution by a reviewer who scored, submitted or approved the assessment', () => {
    const appealed = run(published, lead, 'AppealAssessment', { reason: 'Đủ minh chứng' }, inAppealWindow);
    const resolve = { outcome: 'upheld', reason: 'Giữ nguyên' } as const;
    const scorerReviewer: AssessmentActor = { id: editor.id, roles: ['reviewer'], unitCodes: [] };
    const approverReviewer: AssessmentActor = { id: approver.id, roles: ['reviewer', 'approver'], unitCodes: [] };
    const submitterReviewer: AssessmentActor = { id: lead.id, roles: ['reviewer'], unitCodes: [] };
    for (const actor of [scorerReviewer, approverReviewer, submitterReviewer]) {
      given(appealed).as(actor).when('ResolveAppeal', resolve).thenRefused('ASSESSMENT.FOUR_EYES', 'forbidden');
    }
    expect(given(appealed).as(reviewer2).when('ResolveAppeal', resolve).events()).toHaveLength(1);
  });
});

describe('one N/A rule and percentages (issue 15, items 5 and 6)', () => {
  it('refuses marking a criterion N/A through the score endpoint without an explanation, as the dedicated endpoint does', () => {
    const na = { criterionCode: 'D.R.3', answer: { kind: 'not_applicable' } as const, evidence: [] };
    const error = given(started).as(editor).when('ScoreCriterion', na).thenRefused('ASSESSMENT.EXPLANATION_REQUIRED', 'validation');
    expect(error.field).toBe('data.explanation');
    given(started).as(editor).when('ScoreCriterion', { ...na, explanation: '   ' }).thenRefused('ASSESSMENT.EXPLANATION_REQUIRED');
    const kept = given(started).as(editor).when('ScoreCriterion', { ...na, explanation: 'Không có đơn vị trực thuộc' }).events();
    expect(kept[0]).toMatchObject({ data: { points: null, explanation: 'Không có đơn vị trực thuộc' } });
  });

  it('refuses a percentage above 100 for a ratio criterion, naming the field, wherever an answer is given', () => {
    const error = given(started)
      .as(editor)
      .when('ScoreCriterion', { criterionCode: 'D.R.3', answer: { kind: 'value', value: 101 }, evidence: [] })
      .thenRefused('ASSESSMENT.INVALID_ANSWER', 'validation');
    expect(error.field).toBe('data.answer.value');
    const adjusted = given(underReview)
      .as(reviewer)
      .when('AdjustCriterion', { criterionCode: 'D.R.3', answer: { kind: 'value', value: 100.5 }, reason: 'Theo số liệu' })
      .thenRefused('ASSESSMENT.INVALID_ANSWER', 'validation');
    expect(adjusted.field).toBe('data.answer.value');
  });
});
