import { domainErrorFactory } from '@tieuchi/shared/kernel';

export type PeriodErrorCode =
  | 'PERIOD.ALREADY_OPENED'
  | 'PERIOD.NOT_FOUND'
  | 'PERIOD.ID_MISMATCH'
  | 'PERIOD.WRONG_STATE'
  | 'PERIOD.ALREADY_PUBLISHED'
  | 'PERIOD.NOT_PUBLISHED'
  | 'PERIOD.FIELD_REQUIRED'
  | 'PERIOD.INVALID_DATE'
  | 'PERIOD.INVALID_DEADLINES'
  | 'PERIOD.INVALID_YEAR'
  | 'PERIOD.DUPLICATE_DECISION'
  | 'PERIOD.DECISION_NUMBER_TAKEN'
  | 'PERIOD.UNITS_NOT_APPROVED'
  | 'PERIOD.UNEXPECTED_EXCLUSION'
  | 'PERIOD.DUPLICATE_EXCLUSION'
  | 'PERIOD.DECISION_BEFORE_PUBLICATION'
  | 'PERIOD.FRAMEWORK_MISMATCH'
  | 'PERIOD.STALE_FRAMEWORK_VERSION';

export const periodError = domainErrorFactory<PeriodErrorCode>();

export function requireText(value: string | undefined, field: string): string {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') throw periodError('PERIOD.FIELD_REQUIRED', 'validation', `${field} is required`, field);
  return trimmed;
}

export function requireDate(value: string, field: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw periodError('PERIOD.INVALID_DATE', 'validation', `${field} must be a date YYYY-MM-DD`, field);
  }
  return value;
}
