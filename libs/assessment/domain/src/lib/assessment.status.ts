import { assertNever } from '@tieuchi/shared/kernel';
import type { AssessmentEvent } from './assessment.events';
import type { AssessmentStatus } from './assessment.state';

/**
 * Statuses whose part scores are ranked, and so recalculated when the framework changes: approved,
 * and everything that can follow approval.
 */
export const RANKED_STATUSES: readonly AssessmentStatus[] = ['approved', 'published', 'appealed', 'upheld', 'revised'];

/**
 * How an event moves an assessment's status, exactly as evolveAssessment moves it, for read models
 * and processes that keep the status without folding the whole assessment. A withdrawal depends
 * on the status before it: back to 'returned' from 'resubmitted', to 'draft' otherwise.
 */
export type StatusChange = { readonly kind: 'to'; readonly status: AssessmentStatus } | { readonly kind: 'withdrawn' } | { readonly kind: 'none' };

/** How each assessment event moves the status, as evolveAssessment does. */
export function statusChangeOf(event: AssessmentEvent): StatusChange {
  switch (event.type) {
    case 'AssessmentStarted':
      return { kind: 'to', status: 'draft' };
    case 'AssessmentSubmitted':
      return { kind: 'to', status: 'submitted' };
    case 'SubmissionWithdrawn':
      return { kind: 'withdrawn' };
    case 'ReviewStarted':
    case 'AssessmentSentBack':
    case 'ReviewReopened':
      return { kind: 'to', status: 'under_review' };
    case 'AssessmentReturned':
      return { kind: 'to', status: 'returned' };
    case 'AssessmentResubmitted':
      return { kind: 'to', status: 'resubmitted' };
    case 'ReviewCompleted':
      return { kind: 'to', status: 'reviewed' };
    case 'AssessmentApproved':
      return { kind: 'to', status: 'approved' };
    case 'AssessmentPublished':
      return { kind: 'to', status: 'published' };
    case 'AssessmentAppealed':
      return { kind: 'to', status: 'appealed' };
    case 'AppealResolved':
      return { kind: 'to', status: event.data.outcome === 'upheld' ? 'upheld' : 'revised' };
    case 'CriterionScored':
    case 'CriterionAccepted':
    case 'CriterionAdjusted':
    case 'ScoresRecalculated':
      return { kind: 'none' };
    default:
      return assertNever(event, 'assessment event');
  }
}


/** The status after `event`, given the one before (null before AssessmentStarted). */
export function statusAfter(event: AssessmentEvent, previous: AssessmentStatus | null): AssessmentStatus | null {
  const change = statusChangeOf(event);
  switch (change.kind) {
    case 'to':
      return change.status;
    case 'withdrawn':
      return previous === null ? null : previous === 'resubmitted' ? 'returned' : 'draft';
    case 'none':
      return previous;
    default:
      return assertNever(change, 'status change');
  }
}
