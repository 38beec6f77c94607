import { assertNever } from '@tieuchi/shared/kernel';
import type { AssessmentCommandType } from './assessment.commands';
import type { AssessmentActor, AssessmentRole } from './assessment.context';
import { AssessmentErrorCode as E, assessmentError } from './assessment.errors';
import type { AssessmentState, AssessmentStatus, StartedAssessment } from './assessment.state';

/** The instant a guard judges at, and the appeal window; `now` is null when only roles matter. */
export interface GuardClock {
  readonly now: string | null;
  readonly appealWindowEndsAt: string | null;
}

export function requireStarted(state: AssessmentState): StartedAssessment {
  if (state.status === 'not_started') throw assessmentError(E.notFound, 'not_found', 'the assessment has not been started');
  return state;
}

function requireStatus(state: StartedAssessment, allowed: readonly AssessmentStatus[], action: string): void {
  if (!allowed.includes(state.status)) {
    throw assessmentError(E.wrongState, 'conflict', `cannot ${action} an assessment that is ${state.status}`, undefined, {
      status: state.status,
      allowed,
    });
  }
}

function hasRole(actor: AssessmentActor, roles: readonly AssessmentRole[]): boolean {
  return actor.roles.some((role) => roles.includes(role));
}

function requireRole(actor: AssessmentActor, roles: readonly AssessmentRole[], action: string): void {
  if (!hasRole(actor, roles)) {
    throw assessmentError(E.forbidden, 'forbidden', `${action} needs one of the roles ${roles.join(', ')}`, undefined, { roles });
  }
}

/** Only the system's recalculation (or an administrator) records a recalculation, in any status. */
export function requireRecalculationRole(actor: AssessmentActor): void {
  requireRole(actor, ['system', 'administrator'], 'recording a recalculation');
}

/** Editors and leads act only for the units they belong to. */
export function requireUnitMember(actor: AssessmentActor, unitCode: string, roles: readonly AssessmentRole[], action: string): void {
  requireRole(actor, roles, action);
  if (!actor.unitCodes.includes(unitCode)) {
    throw assessmentError(E.forbidden, 'forbidden', `${action} is for members of unit ${unitCode}`, undefined, { unitCode });
  }
}

function requireIndependentReviewer(actor: AssessmentActor, state: StartedAssessment, action: string): void {
  requireRole(actor, ['reviewer'], action);
  if (actor.unitCodes.includes(state.unitCode)) {
    throw assessmentError(E.ownUnitReview, 'forbidden', `a reviewer may not review their own unit ${state.unitCode}`);
  }
}

const EDITABLE: readonly AssessmentStatus[] = ['draft', 'returned'];

function requireEditable(state: StartedAssessment): void {
  if (!EDITABLE.includes(state.status)) {
    throw assessmentError(E.notEditable, 'conflict', `the assessment is ${state.status}: answers can no longer be edited`, undefined, {
      status: state.status,
    });
  }
}

export function requireAppealWindowOpen(now: string, appealWindowEndsAt: string | null): void {
  if (appealWindowEndsAt === null || Date.parse(now) >= Date.parse(appealWindowEndsAt)) {
    const why = appealWindowEndsAt ? `closed at ${appealWindowEndsAt}` : 'is not open';
    throw assessmentError(E.appealWindowClosed, 'conflict', `the appeal window ${why}`, undefined, { appealWindowEndsAt });
  }
}

type Guard = (state: AssessmentState, actor: AssessmentActor, clock: GuardClock) => void;
type StartedGuard = (state: StartedAssessment, actor: AssessmentActor, clock: GuardClock) => void;

const started =
  (guard: StartedGuard): Guard =>
  (state, actor, clock) =>
    guard(requireStarted(state), actor, clock);

/**
 * Who may issue each command in which state, independent of the command's data. decide runs the
 * guard first; nextActions runs them all, so the API never offers what decide would refuse.
 */
export const commandGuards: { readonly [K in AssessmentCommandType]: Guard } = {
  StartAssessment: (state, actor) => {
    requireRole(actor, ['unit_editor', 'unit_lead', 'administrator'], 'starting an assessment');
    if (state.status !== 'not_started') throw assessmentError(E.alreadyStarted, 'conflict', 'the assessment is already started');
  },
  ScoreCriterion: started((state, actor) => {
    requireUnitMember(actor, state.unitCode, ['unit_editor', 'unit_lead'], 'scoring a criterion');
    requireEditable(state);
  }),
  MarkCriterionNotApplicable: started((state, actor) => {
    requireUnitMember(actor, state.unitCode, ['unit_editor', 'unit_lead'], 'marking a criterion not applicable');
    requireEditable(state);
  }),
  SubmitAssessment: started((state, actor) => {
    requireUnitMember(actor, state.unitCode, ['unit_lead'], 'submitting');
    if (state.status === 'returned') requireStatus(state, ['draft'], 'submit (resubmit instead)');
    if (state.status !== 'draft') {
      const { status } = state;
      throw assessmentError(E.alreadySubmitted, 'conflict', `the assessment is already ${status}`, undefined, { status });
    }
  }),
  WithdrawSubmission: started((state, actor) => {
    requireUnitMember(actor, state.unitCode, ['unit_lead'], 'withdrawing a submission');
    requireStatus(state, ['submitted', 'resubmitted'], 'withdraw');
  }),
  StartReview: started((state, actor) => {
    requireIndependentReviewer(actor, state, 'starting a review');
    requireStatus(state, ['submitted', 'resubmitted'], 'start reviewing');
  }),
  AcceptCriterion: started((state, actor) => {
    requireIndependentReviewer(actor, state, 'accepting a criterion');
    requireStatus(state, ['under_review'], 'accept a criterion of');
  }),
  AdjustCriterion: started((state, actor) => {
    requireIndependentReviewer(actor, state, 'adjusting a criterion');
    requireStatus(state, ['under_review'], 'adjust a criterion of');
  }),
  ReturnAssessment: started((state, actor) => {
    requireIndependentReviewer(actor, state, 'returning an assessment');
    requireStatus(state, ['under_review'], 'return');
  }),
  ResubmitAssessment: started((state, actor) => {
    requireUnitMember(actor, state.unitCode, ['unit_lead'], 'resubmitting');
    requireStatus(state, ['returned'], 'resubmit');
  }),
  CompleteReview: started((state, actor) => {
    requireIndependentReviewer(actor, state, 'completing a review');
    requireStatus(state, ['under_review'], 'complete the review of');
  }),
  ApproveAssessment: started((state, actor) => {
    requireRole(actor, ['approver'], 'approving');
    requireStatus(state, ['reviewed'], 'approve');
    const own = state.submitters.includes(actor.id) ? 'submission' : state.reviewers.includes(actor.id) ? 'review' : null;
    if (own) throw assessmentError(E.fourEyes, 'forbidden', `an approver may not approve their own ${own}`);
  }),
  SendBack: started((state, actor) => {
    requireRole(actor, ['approver'], 'sending back');
    requireStatus(state, ['reviewed'], 'send back');
  }),
  PublishAssessment: started((state, actor) => {
    requireRole(actor, ['system', 'administrator'], 'publishing');
    requireStatus(state, ['approved'], 'publish');
  }),
  AppealAssessment: started((state, actor, clock) => {
    requireUnitMember(actor, state.unitCode, ['unit_lead'], 'appealing');
    requireStatus(state, ['published'], 'appeal');
    if (clock.now !== null) requireAppealWindowOpen(clock.now, clock.appealWindowEndsAt);
  }),
  ResolveAppeal: started((state, actor) => {
    requireIndependentReviewer(actor, state, 'resolving an appeal');
    requireStatus(state, ['appealed'], 'resolve an appeal on');
    if (state.reviewers.includes(actor.id)) {
      throw assessmentError(E.originalReviewer, 'forbidden', 'an appeal is resolved by a reviewer other than the original');
    }
  }),
  RecordScoresRecalculated: started((_state, actor) => requireRecalculationRole(actor)),
};

/** Statuses after which the unit's answers are final (for read models and nextActions callers). */
export function isSubmitted(status: AssessmentState['status']): boolean {
  switch (status) {
    case 'not_started':
    case 'draft':
    case 'returned':
      return false;
    case 'submitted':
    case 'under_review':
    case 'resubmitted':
    case 'reviewed':
    case 'approved':
    case 'published':
    case 'appealed':
    case 'upheld':
    case 'revised':
      return true;
    default:
      return assertNever(status, 'assessment status');
  }
}
