import { domainErrorFactory } from '@tieuchi/shared/kernel';

/**
 * Stable codes (clients switch on them). The framework's scoring engine raises four of the same
 * family for answers it refuses (ASSESSMENT.SCORE_ABOVE_MAXIMUM, INVALID_ANSWER,
 * NOT_APPLICABLE_NOT_ALLOWED, UNKNOWN_CRITERION); they pass through unchanged.
 */
export const AssessmentErrorCode = {
  notFound: 'ASSESSMENT.NOT_FOUND',
  alreadyStarted: 'ASSESSMENT.ALREADY_STARTED',
  fieldRequired: 'ASSESSMENT.FIELD_REQUIRED',
  wrongState: 'ASSESSMENT.WRONG_STATE',
  forbidden: 'ASSESSMENT.FORBIDDEN',
  actorMismatch: 'ASSESSMENT.ACTOR_MISMATCH',
  unknownTier: 'ASSESSMENT.UNKNOWN_TIER',
  unknownCriterion: 'ASSESSMENT.UNKNOWN_CRITERION',
  scoreAboveMaximum: 'ASSESSMENT.SCORE_ABOVE_MAXIMUM',
  frameworkMismatch: 'ASSESSMENT.FRAMEWORK_MISMATCH',
  periodMismatch: 'ASSESSMENT.PERIOD_MISMATCH',
  notEditable: 'ASSESSMENT.NOT_EDITABLE',
  alreadySubmitted: 'ASSESSMENT.ALREADY_SUBMITTED',
  unansweredCriteria: 'ASSESSMENT.UNANSWERED_CRITERIA',
  evidenceRequired: 'ASSESSMENT.EVIDENCE_REQUIRED',
  explanationRequired: 'ASSESSMENT.EXPLANATION_REQUIRED',
  ownUnitReview: 'ASSESSMENT.OWN_UNIT_REVIEW',
  reasonRequired: 'ASSESSMENT.REASON_REQUIRED',
  commentRequired: 'ASSESSMENT.COMMENT_REQUIRED',
  unreviewedCriteria: 'ASSESSMENT.UNREVIEWED_CRITERIA',
  fourEyes: 'ASSESSMENT.FOUR_EYES',
  staleRevision: 'ASSESSMENT.STALE_REVISION',
  appealWindowClosed: 'ASSESSMENT.APPEAL_WINDOW_CLOSED',
  originalReviewer: 'ASSESSMENT.ORIGINAL_REVIEWER',
  adjustmentRequired: 'ASSESSMENT.ADJUSTMENT_REQUIRED',
  invalidRecalculation: 'ASSESSMENT.INVALID_RECALCULATION',
  periodClosed: 'ASSESSMENT.PERIOD_CLOSED',
  deadlinePassed: 'ASSESSMENT.DEADLINE_PASSED',
  invalidAnswer: 'ASSESSMENT.INVALID_ANSWER',
} as const;

export type AssessmentErrorCodeValue = (typeof AssessmentErrorCode)[keyof typeof AssessmentErrorCode];

export const assessmentError = domainErrorFactory<AssessmentErrorCodeValue>();

export function requireText(value: string | undefined, field: string, code: AssessmentErrorCodeValue, what: string): string {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') throw assessmentError(code, 'validation', `${what} is required`, field);
  return trimmed;
}
