import type { ErrorCategory } from '@tieuchi/shared/kernel';

/** RFC 7807 body. `code` is the stable error code clients switch on; `field` names the culprit. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance?: string;
  readonly field?: string;
  readonly errors?: readonly FieldProblem[];
  /** The units a refusal is about (PERIOD.UNITS_NOT_APPROVED lists those a publication must name as excluded). */
  readonly units?: readonly unknown[];
  /** REQUEST.STALE_VERSION: the position of the resource's latest write; a read given it as `after` shows the current version. */
  readonly position?: string;
  readonly correlationId?: string;
}

export interface FieldProblem {
  readonly field: string;
  readonly messages: readonly string[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const statusByCategory: Readonly<Record<ErrorCategory, number>> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition: 412,
  gone: 410,
  too_large: 413,
  unavailable: 503,
  rate_limited: 429,
  internal: 500,
};

const titleByStatus: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  431: 'Request Header Fields Too Large',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function statusForCategory(category: ErrorCategory): number {
  return statusByCategory[category];
}

export function titleForStatus(status: number): string {
  return titleByStatus[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/** Problem type URIs are stable identifiers derived from the code, not links. */
export function problemType(code: string): string {
  return `urn:tieuchi:problem:${code}`;
}
