import { DomainError, type ErrorCategory } from '@tieuchi/shared/kernel';

export const EvidenceErrorCode = {
  tooLarge: 'EVIDENCE.TOO_LARGE',
  assessmentLimit: 'EVIDENCE.ASSESSMENT_LIMIT_REACHED',
  typeNotAllowed: 'EVIDENCE.TYPE_NOT_ALLOWED',
  typeMismatch: 'EVIDENCE.DECLARED_TYPE_MISMATCH',
  empty: 'EVIDENCE.EMPTY_FILE',
  badName: 'EVIDENCE.BAD_FILE_NAME',
  notFound: 'EVIDENCE.NOT_FOUND',
  badRequest: 'EVIDENCE.BAD_UPLOAD',
  interrupted: 'EVIDENCE.UPLOAD_INTERRUPTED',
} as const;

export function evidenceError(
  code: (typeof EvidenceErrorCode)[keyof typeof EvidenceErrorCode],
  category: ErrorCategory,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): DomainError {
  return new DomainError(code, category, message, category === 'validation' ? 'file' : undefined, details);
}
