import { isProvinceRole, isRole, isUnitRole, type Principal, type Role } from './principal';

/** The claims tieuchi reads from a token beyond the registered ones (iss, aud, exp, …). */
// A type alias rather than an interface so it passes where any claim record is expected.
export type PrincipalClaims = {
  readonly sub: string;
  readonly roles: readonly Role[];
  readonly unit?: string;
  readonly province?: string;
  readonly national?: boolean;
  readonly name?: string;
};

export type ClaimsResult = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly reason: string };

// Official unit codes (mã ĐVHC) are digits; anything else in `unit` is a mapping error at the provider.
const unitCodePattern = /^\d{1,10}$/;
// Province codes (mã ĐVHC cấp tỉnh) are two digits today; a few more leave room for a reform.
const provinceCodePattern = /^\d{1,5}$/;
const maxSubjectLength = 255;
const maxNameLength = 200;

/**
 * Turns verified token claims into a Principal, or says in a short phrase why it cannot. The
 * reasons are safe to show to the caller: they name claims, never values or keys.
 */
export function principalFromClaims(claims: Readonly<Record<string, unknown>>): ClaimsResult {
  const { sub, roles, unit, province, national, name } = claims;
  if (typeof sub !== 'string' || sub.trim() === '' || sub.length > maxSubjectLength) return refuse('the sub claim is missing or invalid');
  // Optional: an identity provider's token need not carry tieuchi roles, since behind the accounts
  // context the account's grants count and the claimed roles none.
  if (roles !== undefined && !Array.isArray(roles)) return refuse('the roles claim must be an array');
  const claimedRoles: readonly unknown[] = roles ?? [];
  if (!claimedRoles.every(isRole)) return refuse('the roles claim holds an unknown role');
  const uniqueRoles: readonly Role[] = [...new Set<Role>(claimedRoles)];
  if (unit !== undefined && unit !== null && (typeof unit !== 'string' || !unitCodePattern.test(unit))) {
    return refuse('the unit claim is not an official unit code');
  }
  const unitCode = typeof unit === 'string' ? unit : null;
  if (unitCode === null && uniqueRoles.some(isUnitRole)) return refuse('a unit role needs a unit claim');
  if (province !== undefined && province !== null && (typeof province !== 'string' || !provinceCodePattern.test(province))) {
    return refuse('the province claim is not an official province code');
  }
  if (national !== undefined && typeof national !== 'boolean') return refuse('the national claim must be a boolean');
  const provinceCode = typeof province === 'string' ? province : null;
  const isNational = national === true;
  if (provinceCode === null && !isNational && uniqueRoles.some(isProvinceRole)) {
    return refuse('a province role needs a province claim or the national claim');
  }
  if (name !== undefined && (typeof name !== 'string' || name.length > maxNameLength)) return refuse('the name claim is invalid');
  return { ok: true, principal: { id: sub, roles: uniqueRoles, unitCode, provinceCode, national: isNational, ...(name ? { name } : {}) } };
}

/** The claims a token for this principal carries; the inverse of principalFromClaims. */
export function claimsFromPrincipal(principal: Principal): PrincipalClaims {
  return {
    sub: principal.id,
    roles: principal.roles,
    ...(principal.unitCode !== null ? { unit: principal.unitCode } : {}),
    ...(principal.provinceCode !== null ? { province: principal.provinceCode } : {}),
    national: principal.national,
    ...(principal.name ? { name: principal.name } : {}),
  };
}

function refuse(reason: string): ClaimsResult {
  return { ok: false, reason };
}
