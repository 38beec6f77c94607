import { assertNever } from '@tieuchi/shared/kernel';
import type { AssessmentEvent } from './assessment.events';
import type { AssessmentState, CriterionRecord, RevisionKind, StartedAssessment } from './assessment.state';

const withActor = (list: readonly string[], actor: string): readonly string[] => (list.includes(actor) ? list : [...list, actor]);

function snapshot(state: StartedAssessment, revision: number, kind: RevisionKind, by: string, at: string): StartedAssessment {
  return { ...state, revision, revisions: [...state.revisions, { revision, kind, by, at, criteria: state.criteria }] };
}

function setCriterion(state: StartedAssessment, record: CriterionRecord): StartedAssessment {
  return { ...state, criteria: { ...state.criteria, [record.code]: record } };
}

export function evolveAssessment(state: AssessmentState, event: AssessmentEvent): AssessmentState {
  if (event.type === 'AssessmentStarted') {
    const { by, at, periodId, unitCode, tier, frameworkId, frameworkVersion } = event.data;
    return {
      status: 'draft',
      periodId,
      unitCode,
      tier,
      framework: { id: frameworkId, version: frameworkVersion },
      criteria: {},
      revision: 0,
      revisions: [],
      startedBy: { by, at },
      submitters: [],
      reviewers: [],
      scorers: [],
      flaggedCriteria: [],
      comments: [],
      approval: null,
      publication: null,
      appeal: null,
      appealResolution: null,
      recalculations: [],
    };
  }
  // Events only follow AssessmentStarted in a well-formed stream; anything else leaves the state as it is.
  if (state.status === 'not_started') return state;
  switch (event.type) {
    case 'CriterionScored': {
      const { criterionCode, by, at, answer, points, evidence, explanation } = event.data;
      // A changed answer needs a fresh review: the previous one judged another answer.
      return setCriterion(
        { ...state, scorers: withActor(state.scorers, by) },
        { code: criterionCode, self: { by, at, answer, points, evidence, explanation }, review: null },
      );
    }
    case 'AssessmentSubmitted':
      return snapshot(
        { ...state, status: 'submitted', submitters: withActor(state.submitters, event.data.by) },
        event.data.revision,
        'submitted',
        event.data.by,
        event.data.at,
      );
    case 'SubmissionWithdrawn':
      return { ...state, status: state.status === 'resubmitted' ? 'returned' : 'draft' };
    case 'ReviewStarted':
      return { ...state, status: 'under_review', reviewers: withActor(state.reviewers, event.data.by) };
    case 'CriterionAccepted':
    case 'CriterionAdjusted': {
      const { criterionCode, by, at, answer, points } = event.data;
      const reason = event.type === 'CriterionAdjusted' ? event.data.reason : null;
      const decision = event.type === 'CriterionAdjusted' ? 'adjusted' : 'accepted';
      const self = state.criteria[criterionCode]?.self ?? null;
      return setCriterion(
        { ...state, reviewers: withActor(state.reviewers, by) },
        { code: criterionCode, self, review: { decision, by, at, answer, points, reason } },
      );
    }
    case 'AssessmentReturned': {
      const { by, at, revision, comment, flaggedCriteria } = event.data;
      return {
        ...state,
        status: 'returned',
        flaggedCriteria,
        reviewers: withActor(state.reviewers, by),
        comments: [...state.comments, { kind: 'returned', by, at, revision, comment, flaggedCriteria }],
      };
    }
    case 'AssessmentResubmitted':
      return snapshot(
        { ...state, status: 'resubmitted', flaggedCriteria: [], submitters: withActor(state.submitters, event.data.by) },
        event.data.revision,
        'resubmitted',
        event.data.by,
        event.data.at,
      );
    case 'ReviewCompleted':
      return snapshot(
        { ...state, status: 'reviewed', reviewers: withActor(state.reviewers, event.data.by) },
        event.data.revision,
        'reviewed',
        event.data.by,
        event.data.at,
      );
    case 'AssessmentApproved':
      return { ...state, status: 'approved', approval: event.data };
    case 'AssessmentSentBack': {
      const { by, at, revision, comment } = event.data;
      const sentBack = { kind: 'sent_back' as const, by, at, revision, comment, flaggedCriteria: [] };
      return { ...state, status: 'under_review', comments: [...state.comments, sentBack] };
    }
    case 'ReviewReopened': {
      const { by, at, revision, reason } = event.data;
      const reopened = { kind: 'reopened' as const, by, at, revision, comment: reason, flaggedCriteria: [] };
      return { ...state, status: 'under_review', reviewers: withActor(state.reviewers, by), comments: [...state.comments, reopened] };
    }
    case 'AssessmentPublished':
      return { ...state, status: 'published', publication: event.data };
    case 'AssessmentAppealed':
      return { ...state, status: 'appealed', appeal: event.data };
    case 'AppealResolved': {
      const { by, at, outcome, reason, revision, adjustments } = event.data;
      const resolved = { ...state, appealResolution: { by, at, outcome, reason, revision }, reviewers: withActor(state.reviewers, by) };
      if (outcome === 'upheld') return { ...resolved, status: 'upheld' };
      const revised = adjustments.reduce<StartedAssessment>(
        (acc, a) =>
          setCriterion(acc, {
            code: a.criterionCode,
            self: acc.criteria[a.criterionCode]?.self ?? null,
            review: { decision: 'revised_on_appeal', by, at, answer: a.answer, points: a.points, reason: a.reason },
          }),
        { ...resolved, status: 'revised' },
      );
      return snapshot(revised, revision, 'appeal_revised', by, at);
    }
    case 'ScoresRecalculated': {
      const { by, at, revision, cause, parts } = event.data;
      return snapshot(
        {
          ...state,
          framework: { id: cause.frameworkId, version: cause.frameworkVersion },
          recalculations: [...state.recalculations, { by, at, revision, cause, parts }],
        },
        revision,
        'recalculated',
        by,
        at,
      );
    }
    default:
      return assertNever(event, 'assessment event');
  }
}
