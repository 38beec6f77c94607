import type { PeriodWindow } from '@tieuchi/period/domain';
import { assertNever } from '@tieuchi/shared/kernel';
import type { AssessmentCommandType } from './assessment.commands';
import type { AssessmentActor, AssessmentRole } from './assessment.context';
import { AssessmentErrorCode as E, assessmentError } from './assessment.errors';
import { publishingDecision } from './assessment.publication';
import type { AssessmentState, AssessmentStatus, StartedAssessment } from './assessment.state';

/**
 * The instant a guard judges at, the appeal window and the period's window; `now` is null when
 * deadlines are not judged. A null period is a closed one: the unit's commands are refused.
 */
export interface GuardClock {
  readonly now: string | null;
  readonly appealWindowEndsAt: string | null;
  readonly period: PeriodWindow | null;
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

/** The part the actor took in the assessment that bars them from judging it, if any. */
function partTaken(actor: AssessmentActor, state: StartedAssessment): string | null {
  if (actor.unitCodes.includes(state.unitCode)) return `belongs to unit ${state.unitCode}`;
  if (state.scorers.includes(actor.id)) return 'scored its criteria';
  if (state.submitters.includes(actor.id)) return 'submitted it';
  if (state.reviewers.includes(actor.id)) return 'reviewed it';
  return null;
}

/**
 * Four eyes across roles: whoever belongs to the assessed unit, or scored, submitted or reviewed
 * any part of it, neither approves it nor sends it back, whatever other roles they hold.
 */
function requireFourEyes(actor: AssessmentActor, state: StartedAssessment, action: string): void {
  const part = partTaken(actor, state);
  if (part !== null) throw assessmentError(E.fourEyes, 'forbidden', `an approver who ${part} may not ${action} it`, undefined, { part });
}

const EDITABLE: readonly AssessmentStatus[] = ['draft', 'returned'];

function requireEditable(state: StartedAssessment): void {
  if (!EDITABLE.includes(state.status)) {
    throw assessmentError(E.notEditable, 'conflict', `the assessment is ${state.status}: answers can no longer be edited`, undefined, {
      status: state.status,
    });
  }
}

/**
 * Start, score, mark N/A, submit and withdraw a first submission: only while the period is open
 * for self-assessment (not closed by the administrator, not published) and before the end of the
 * local day of its self-assessment deadline.
 */
function requireSelfAssessmentOpen(clock: GuardClock, action: string): void {
  const { period, now } = clock;
  if (period === null || period.status !== 'open') {
    const status = period?.status ?? 'unknown';
    throw assessmentError(E.periodClosed, 'conflict', `${action} needs the period open for self-assessment; it is ${status}`, undefined, {
      periodStatus: status,
    });
  }
  if (now !== null && Date.parse(now) >= Date.parse(period.selfAssessmentEndsAt)) {
    const message = `the self-assessment deadline passed at ${period.selfAssessmentEndsAt}`;
    throw assessmentError(E.deadlinePassed, 'conflict', message, undefined, { deadline: 'selfAssessment', endsAt: period.selfAssessmentEndsAt });
  }
}

/**
 * A form a reviewer returned may be revised and resubmitted (and a resubmission withdrawn) after
 * self-assessment closed, until the end of the review deadline's local day, and never once the
 * period is published. A reviewer may return a form on the same terms, so the unit always has the
 * time the period gives it.
 */
function requireRevisionOpen(clock: GuardClock, action: string): void {
  const { period, now } = clock;
  if (period === null || period.status === 'published') {
    const status = period?.status ?? 'unknown';
    throw assessmentError(E.periodClosed, 'conflict', `${action} is not possible once the period is ${status}`, undefined, { periodStatus: status });
  }
  if (now !== null && Date.parse(now) >= Date.parse(period.reviewEndsAt)) {
    const message = `the review deadline passed at ${period.reviewEndsAt}`;
    throw assessmentError(E.deadlinePassed, 'conflict', message, undefined, { deadline: 'review', endsAt: period.reviewEndsAt });
  }
}

/** Edits of a draft follow the self-assessment window, edits of a returned form the revision window. */
function requireEditWindow(state: StartedAssessment, clock: GuardClock, action: string): void {
  if (state.status === 'draft') requireSelfAssessmentOpen(clock, action);
  else requireRevisionOpen(clock, action);
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
  StartAssessment: (state, actor, clock) => {
    requireRole(actor, ['unit_editor', 'unit_lead', 'administrator'], 'starting an assessment');
    if (state.status !== 'not_started') throw assessmentError(E.alreadyStarted, 'conflict', 'the assessment is already started');
    requireSelfAssessmentOpen(clock, 'starting an assessment');
  },
  ScoreCriterion: started((state, actor, clock) => {
    requireUnitMember(actor, state.unitCode, ['unit_editor', 'unit_lead'], 'scoring a criterion');
    requireEditable(state);
    requireEditWindow(state, clock, 'scoring a criterion');
  }),
  MarkCriterionNotApplicable: started((state, actor, clock) => {
    requireUnitMember(actor, state.unitCode, ['unit_editor', 'unit_lead'], 'marking a criterion not applicable');
    requireEditable(state);
    requireEditWindow(state, clock, 'marking a criterion not applicable');
  }),
  SubmitAssessment: started((state, actor, clock) => {
    requireUnitMember(actor, state.unitCode, ['unit_lead'], 'submitting');
    if (state.status === 'returned') requireStatus(state, ['draft'], 'submit (resubmit instead)');
    if (state.status !== 'draft') {
      const { status } = state;
      throw assessmentError(E.alreadySubmitted, 'conflict', `the assessment is already ${status}`, undefined, { status });
    }
    requireSelfAssessmentOpen(clock, 'submitting');
  }),
  WithdrawSubmission: started((state, actor, clock) => {
    requireUnitMember(actor, state.unitCode, ['unit_lead'], 'withdrawing a submission');
    requireStatus(state, ['submitted', 'resubmitted'], 'withdraw');
    // Withdrawing leads back to a form the unit must still be able to submit again.
    if (state.status === 'submitted') requireSelfAssessmentOpen(clock, 'withdrawing a submission');
    else requireRevisionOpen(clock, 'withdrawing a resubmission');
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
  ReturnAssessment: started((state, actor, clock) => {
    requireIndependentReviewer(actor, state, 'returning an assessment');
    requireStatus(state, ['under_review'], 'return');
    requireRevisionOpen(clock, 'returning an assessment for revision');
  }),
  ResubmitAssessment: started((state, actor, clock) => {
    requireUnitMember(actor, state.unitCode, ['unit_lead'], 'resubmitting');
    requireStatus(state, ['returned'], 'resubmit');
    requireRevisionOpen(clock, 'resubmitting');
  }),
  CompleteReview: started((state, actor) => {
    requireIndependentReviewer(actor, state, 'completing a review');
    requireStatus(state, ['under_review'], 'complete the review of');
  }),
  ApproveAssessment: started((state, actor) => {
    requireRole(actor, ['approver'], 'approving');
    requireStatus(state, ['reviewed'], 'approve');
    requireFourEyes(actor, state, 'approve');
  }),
  SendBack: started((state, actor) => {
    requireRole(actor, ['approver'], 'sending back');
    requireStatus(state, ['reviewed'], 'send back');
    requireFourEyes(actor, state, 'send back');
  }),
  // Whoever reopens takes part in the review, so the four-eyes rule keeps them from approving it.
  ReopenReview: started((state, actor) => {
    requireIndependentReviewer(actor, state, 'reopening a review');
    requireStatus(state, ['reviewed'], 'reopen the review of');
  }),
  PublishAssessment: started((state, actor) => {
    requireRole(actor, ['system', 'administrator'], 'publishing');
    requireStatus(state, ['approved'], 'publish');
  }),
  AppealAssessment: started((state, actor, clock) => {
    requireUnitMember(actor, state.unitCode, ['unit_lead'], 'appealing');
    // Publication is one moment: a decision of the period covering an approved assessment published
    // it, whether or not the process that records it on each stream has got there yet.
    if (publishingDecision(state, clock.period) === null) requireStatus(state, ['published'], 'appeal');
    if (clock.now !== null) requireAppealWindowOpen(clock.now, clock.appealWindowEndsAt);
  }),
  ResolveAppeal: started((state, actor) => {
    requireIndependentReviewer(actor, state, 'resolving an appeal');
    requireStatus(state, ['appealed'], 'resolve an appeal on');
    if (state.reviewers.includes(actor.id)) {
      throw assessmentError(E.originalReviewer, 'forbidden', 'an appeal is resolved by a reviewer other than the original');
    }
    // Whoever scored, submitted or approved what is contested does not judge the appeal either.
    const part = partTaken(actor, state);
    if (part !== null || state.approval?.by === actor.id) {
      throw assessmentError(E.fourEyes, 'forbidden', `an appeal is not resolved by someone who ${part ?? 'approved the assessment'}`, undefined, {
        part: part ?? 'approved',
      });
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
