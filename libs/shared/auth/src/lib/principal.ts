/**
 * Who is calling. Roles are a closed list: a role the server does not know could only be a typo or
 * a grant meant for another system, so tokens carrying one are refused rather than half-trusted.
 */
export const ROLES = ['unit_editor', 'unit_lead', 'reviewer', 'approver', 'admin', 'auditor'] as const;

export type Role = (typeof ROLES)[number];

/** Roles that only make sense for one administrative unit; a token granting one must name the unit. */
export const UNIT_ROLES: readonly Role[] = ['unit_editor', 'unit_lead'];

/** Roles held for a province (or, with `national`, for every province); a token granting one must say which. */
export const PROVINCE_ROLES: readonly Role[] = ['reviewer', 'approver', 'admin', 'auditor'];

/**
 * Who acts and with which grants. Behind the accounts context it is always the account's current
 * grants; the token's claims only fill it where no accounts context is loaded (library tests).
 */
export interface Principal {
  /** The account's login: the token's `sub`. */
  readonly id: string;
  readonly roles: readonly Role[];
  /** The official unit code (mã ĐVHC) the principal belongs to (its unit grant). */
  readonly unitCode: string | null;
  /**
   * The official province code (mã ĐVHC cấp tỉnh, e.g. Đắk Nông '67', Thừa Thiên Huế '46') that the
   * reviewer / approver / admin / auditor roles are held for. Unit roles
   * follow their unit's province instead.
   */
  readonly provinceCode: string | null;
  /** The province roles apply to every province (a national grant); never implied by a missing province. */
  readonly national: boolean;
  readonly name?: string;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isUnitRole(role: Role): boolean {
  return UNIT_ROLES.includes(role);
}

export function isProvinceRole(role: Role): boolean {
  return PROVINCE_ROLES.includes(role);
}

/** Whether the principal's province roles reach the given province. */
export function coversProvince(principal: Principal, provinceCode: string): boolean {
  return principal.national || principal.provinceCode === provinceCode;
}

/**
 * The principal's id with every grant it holds (roles, unit, province, national), in one stable
 * string. Whatever a request's answer was remembered under (an Idempotency-Key) is replayed only to
 * the same authority: the same subject with a token for another unit or province is a new request,
 * and is authorized as one.
 */
export function authorityOf(principal: Principal): string {
  const roles = [...principal.roles].sort().join(',');
  return `${principal.id}|${roles}|unit=${principal.unitCode ?? ''}|province=${principal.provinceCode ?? ''}|national=${principal.national}`;
}

export function hasAnyRole(principal: Principal, roles: readonly Role[]): boolean {
  return principal.roles.some((role) => roles.includes(role));
}
