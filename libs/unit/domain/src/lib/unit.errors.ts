import { domainErrorFactory } from '@tieuchi/shared/kernel';

export type UnitErrorCode =
  | 'UNIT.ALREADY_REGISTERED'
  | 'UNIT.NOT_FOUND'
  | 'UNIT.DISSOLVED'
  | 'UNIT.MERGED'
  | 'UNIT.INVALID_CODE'
  | 'UNIT.CODE_MISMATCH'
  | 'UNIT.FIELD_REQUIRED'
  | 'UNIT.INVALID_DATE'
  | 'UNIT.INVALID_MERGE'
  | 'UNIT.INVALID_TIER'
  | 'UNIT.INCONSISTENT_TIER'
  | 'UNIT.PARENT_REQUIRED'
  | 'UNIT.PARENT_NOT_FOUND'
  | 'UNIT.PARENT_NOT_ACTIVE';

export const unitError = domainErrorFactory<UnitErrorCode>();

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function requireText(value: string | null | undefined, field: string): string {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') throw unitError('UNIT.FIELD_REQUIRED', 'validation', `${field} is required`, field);
  return trimmed;
}

export function requireDate(value: string, field: string): string {
  if (!ISO_DATE.test(value) || Number.isNaN(Date.parse(value))) {
    throw unitError('UNIT.INVALID_DATE', 'validation', `${field} must be a date YYYY-MM-DD`, field);
  }
  return value;
}

/** Official codes (mã ĐVHC) are digit strings; leading zeros matter, so they are never numbers. */
export function requireUnitCode(value: string, field: string): string {
  if (!/^\d+$/.test(value)) throw unitError('UNIT.INVALID_CODE', 'validation', `${field} must be an official code`, field);
  return value;
}
