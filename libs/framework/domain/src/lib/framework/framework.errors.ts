import { domainErrorFactory } from '@tieuchi/shared/kernel';

/** Stable refusal codes of the framework lifecycle; persisted in clients, never renamed. */
export const FrameworkErrorCode = {
  notFound: 'FRAMEWORK.NOT_FOUND',
  alreadyPublished: 'FRAMEWORK.ALREADY_PUBLISHED',
  notPublished: 'FRAMEWORK.NOT_PUBLISHED',
  idMismatch: 'FRAMEWORK.ID_MISMATCH',
  versionMismatch: 'FRAMEWORK.VERSION_MISMATCH',
  unknownCriterion: 'FRAMEWORK.UNKNOWN_CRITERION',
  unknownPart: 'FRAMEWORK.UNKNOWN_PART',
  emptyAmendment: 'FRAMEWORK.EMPTY_AMENDMENT',
  causeRequired: 'FRAMEWORK.AMENDMENT_CAUSE_REQUIRED',
  decisionReferenceRequired: 'FRAMEWORK.DECISION_REFERENCE_REQUIRED',
  invalidAmendment: 'FRAMEWORK.INVALID_AMENDMENT',
} as const;

export type FrameworkErrorCodeValue = (typeof FrameworkErrorCode)[keyof typeof FrameworkErrorCode];

export const frameworkError = domainErrorFactory<FrameworkErrorCodeValue>();
