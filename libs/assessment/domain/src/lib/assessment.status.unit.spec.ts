import { actors, appealed, approved, published, returned, reviewed, run, submitted } from '../testing/assessment.fixtures';
import type { AssessmentEvent } from './assessment.events';
import { evolveAssessment } from './assessment.evolve';
import { initialAssessmentState } from './assessment.state';
import { RANKED_STATUSES, statusAfter } from './assessment.status';

const { lead, reviewer, reviewer2, approver, system } = actors;
const cause = { kind: 'framework_amended', frameworkId: 'test-2392', frameworkVersion: 2, decisionRef: '12/QĐ-STTTT', sourceEventId: 'evt-9' } as const;
const parts = [{ partCode: 'readiness', oldTotal: 16, newTotal: 17, oldLevel: 'IV', newLevel: 'IV' }];
const inWindow = '2020-01-20T03:00:00.000Z';

/** Every lifecycle a stream can go through, each played through the real decider. */
const histories: Record<string, readonly AssessmentEvent[]> = {
  'withdrawn after submitting': run(submitted, lead, 'WithdrawSubmission', {}),
  'withdrawn after resubmitting': run(run(returned, lead, 'ResubmitAssessment', {}), lead, 'WithdrawSubmission', {}),
  'sent back after review': run(reviewed, approver, 'SendBack', { comment: 'Kiểm tra lại' }),
  'reopened by a reviewer and completed again': run(run(reviewed, reviewer, 'ReopenReview', { reason: 'Minh chứng mới' }), reviewer, 'CompleteReview', {}),
  'approved and recalculated': run(approved, system, 'RecordScoresRecalculated', { cause, parts }),
  'appeal upheld': run(appealed, reviewer2, 'ResolveAppeal', { outcome: 'upheld', reason: 'Giữ nguyên' }, inWindow),
  'appeal revised': run(
    appealed,
    reviewer2,
    'ResolveAppeal',
    { outcome: 'revised', reason: 'Chấp nhận', adjustments: [{ criterionCode: 'D.R.1', answer: { kind: 'value', value: 8 }, reason: 'Minh chứng bổ sung' }] },
    inWindow,
  ),
  published,
};

describe('statusAfter', () => {
  it.each(Object.entries(histories))('follows evolveAssessment event by event: %s', (_name, history) => {
    let state = initialAssessmentState();
    let status: ReturnType<typeof statusAfter> = null;
    for (const event of history) {
      state = evolveAssessment(state, event);
      status = statusAfter(event, status);
      expect({ event: event.type, status }).toEqual({ event: event.type, status: state.status === 'not_started' ? null : state.status });
    }
  });

  it('covers every kind of event in those histories', () => {
    const types = new Set(Object.values(histories).flatMap((history) => history.map((event) => event.type)));
    expect([...types].sort()).toEqual(
      [
        'AppealResolved',
        'AssessmentAppealed',
        'AssessmentApproved',
        'AssessmentPublished',
        'AssessmentResubmitted',
        'AssessmentReturned',
        'AssessmentSentBack',
        'AssessmentStarted',
        'AssessmentSubmitted',
        'CriterionAccepted',
        'CriterionAdjusted',
        'CriterionScored',
        'ReviewCompleted',
        'ReviewReopened',
        'ReviewStarted',
        'ScoresRecalculated',
        'SubmissionWithdrawn',
      ].sort(),
    );
  });

  it('R-RANKED: "an assessment is ranked from its approval on", whatever follows, and never before', () => {
    for (const history of Object.values(histories)) {
      let status: ReturnType<typeof statusAfter> = null;
      let approvedYet = false;
      for (const event of history) {
        status = statusAfter(event, status);
        approvedYet ||= event.type === 'AssessmentApproved';
        expect({ event: event.type, ranked: status !== null && RANKED_STATUSES.includes(status) }).toEqual({ event: event.type, ranked: approvedYet });
      }
    }
  });
});
