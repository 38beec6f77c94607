/**
 * The kind of refusal; the HTTP layer maps each to one status (validation 400, unauthenticated 401,
 * forbidden 403, not_found 404, conflict 409, gone 410, precondition 412, too_large 413,
 * rate_limited 429 with Retry-After from `details.retryAfterSeconds`, unavailable 503).
 * `unauthenticated`: we do not know who you are; `forbidden`: we know, and you may not.
 */
export type ErrorCategory =
  | 'validation'
  | 'unauthenticated'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'precondition'
  | 'gone'
  | 'too_large'
  | 'unavailable'
  | 'rate_limited'
  | 'internal';

/**
 * A refusal with a stable code such as `ASSESSMENT.ALREADY_SUBMITTED`. Codes are part of the API:
 * clients switch on them, so they are never renamed.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly category: ErrorCategory,
    message: string,
    /** Dotted path of the offending field, when one field is to blame (e.g. `data.score`). */
    readonly field?: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/**
 * A context's error factory, typed by its codes so that a misspelt code does not compile:
 * `export const unitError = domainErrorFactory<UnitErrorCode>();`.
 */
export function domainErrorFactory<TCode extends string>() {
  return (code: TCode, category: ErrorCategory, message: string, field?: string, details?: Readonly<Record<string, unknown>>): DomainError =>
    new DomainError(code, category, message, field, details);
}
