import { DomainError } from '@tieuchi/shared/kernel';

/** Stable codes of answers the engine refuses; the assessment decider surfaces them unchanged. */
export const ScoringErrorCode = {
  scoreAboveMaximum: 'ASSESSMENT.SCORE_ABOVE_MAXIMUM',
  invalidAnswer: 'ASSESSMENT.INVALID_ANSWER',
  notApplicableNotAllowed: 'ASSESSMENT.NOT_APPLICABLE_NOT_ALLOWED',
  unknownCriterion: 'ASSESSMENT.UNKNOWN_CRITERION',
  unknownPart: 'FRAMEWORK.UNKNOWN_PART',
} as const;

export function scoringError(
  code: (typeof ScoringErrorCode)[keyof typeof ScoringErrorCode],
  message: string,
  field: string,
  details: Readonly<Record<string, unknown>>,
): DomainError {
  return new DomainError(code, 'validation', message, field, details);
}
