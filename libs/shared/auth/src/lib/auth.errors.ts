import { DomainError } from '@tieuchi/shared/kernel';
import type { Role } from './principal';

/** Stable codes of the authentication and authorization refusals; clients switch on them. */
export const AUTH_ERROR_CODES = {
  missingToken: 'AUTH.MISSING_TOKEN',
  invalidToken: 'AUTH.INVALID_TOKEN',
  keysUnavailable: 'AUTH.KEYS_UNAVAILABLE',
  forbiddenRole: 'AUTH.FORBIDDEN_ROLE',
  otherUnit: 'AUTH.OTHER_UNIT',
  otherProvince: 'AUTH.OTHER_PROVINCE',
  noPolicy: 'AUTH.NO_POLICY',
  csrf: 'AUTH.CSRF_TOKEN',
  sessionExpired: 'AUTH.SESSION_EXPIRED',
} as const;

export function missingToken(): DomainError {
  return new DomainError(AUTH_ERROR_CODES.missingToken, 'unauthenticated', 'This request needs a signed-in session or a bearer token (Authorization: Bearer <token>).');
}

/** `reason` is a short, fixed phrase: never a library's message, which could describe keys or internals. */
export function invalidToken(reason: string): DomainError {
  return new DomainError(AUTH_ERROR_CODES.invalidToken, 'unauthenticated', `The bearer token was refused: ${reason}.`);
}

export function keysUnavailable(): DomainError {
  return new DomainError(AUTH_ERROR_CODES.keysUnavailable, 'internal', 'The token signing keys could not be fetched.');
}

export function forbiddenRole(required: readonly Role[]): DomainError {
  return new DomainError(AUTH_ERROR_CODES.forbiddenRole, 'forbidden', `This action needs one of the roles: ${required.join(', ')}.`, undefined, {
    requiredRoles: required,
  });
}

export function otherUnit(unitCode: string): DomainError {
  return new DomainError(AUTH_ERROR_CODES.otherUnit, 'forbidden', `This action is limited to the users of unit ${unitCode}.`);
}

/** A reviewer, approver, admin or auditor role held for one province, used on another's unit, period or trail. */
export function otherProvince(provinceCode: string): DomainError {
  return new DomainError(AUTH_ERROR_CODES.otherProvince, 'forbidden', `This action is limited to the staff of province ${provinceCode} and national accounts.`, undefined, {
    provinceCode,
  });
}

export function noPolicy(): DomainError {
  return new DomainError(AUTH_ERROR_CODES.noPolicy, 'forbidden', 'This route does not declare who may call it, so nobody may.');
}

export function csrfRefused(): DomainError {
  return new DomainError(AUTH_ERROR_CODES.csrf, 'forbidden', 'A write through the session cookie must carry the session\'s X-CSRF-Token header.');
}

export function sessionExpired(): DomainError {
  return new DomainError(AUTH_ERROR_CODES.sessionExpired, 'unauthenticated', 'The session has ended or expired; sign in again.');
}
