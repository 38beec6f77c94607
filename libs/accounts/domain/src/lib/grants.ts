/** The roles an account can be granted; the same closed list the API's tokens carry. */
export const ACCOUNT_ROLES = ['unit_editor', 'unit_lead', 'reviewer', 'approver', 'admin', 'auditor'] as const;

export type AccountRole = (typeof ACCOUNT_ROLES)[number];

export const UNIT_ACCOUNT_ROLES: readonly AccountRole[] = ['unit_editor', 'unit_lead'];

/**
 * A role and where it applies. Unit roles name their unit (and the unit's province, resolved from
 * the unit registry when granted); the others name one province or, granted explicitly, the nation.
 */
export type Grant =
  | { readonly role: 'unit_editor' | 'unit_lead'; readonly unitCode: string; readonly provinceCode: string | null }
  | { readonly role: 'reviewer' | 'approver' | 'admin' | 'auditor'; readonly provinceCode: string; readonly national?: undefined }
  | { readonly role: 'reviewer' | 'approver' | 'admin' | 'auditor'; readonly national: true; readonly provinceCode?: undefined };

export function isAccountRole(value: unknown): value is AccountRole {
  return typeof value === 'string' && (ACCOUNT_ROLES as readonly string[]).includes(value);
}

export function isUnitGrant(grant: Grant): grant is Extract<Grant, { unitCode: string }> {
  return grant.role === 'unit_editor' || grant.role === 'unit_lead';
}

/** Two grants are the same when role and scope match; the unit's province is derived, not part of it. */
export function sameGrant(a: Grant, b: Grant): boolean {
  if (a.role !== b.role) return false;
  if (isUnitGrant(a) && isUnitGrant(b)) return a.unitCode === b.unitCode;
  if (isUnitGrant(a) || isUnitGrant(b)) return false;
  return (a.national === true) === (b.national === true) && (a.provinceCode ?? null) === (b.provinceCode ?? null);
}

/** `reviewer @ 67`, `unit_editor @ unit 660`, `admin @ national`: how a grant reads in errors and the audit trail. */
export function describeGrant(grant: Grant): string {
  if (isUnitGrant(grant)) return `${grant.role} @ unit ${grant.unitCode}`;
  return grant.national ? `${grant.role} @ national` : `${grant.role} @ province ${grant.provinceCode}`;
}

/** Who asks for a grant: the system (bootstrap, demo, tests' set-up) or a signed-in principal's scope. */
export type GrantingActor =
  | { readonly kind: 'system' }
  | { readonly kind: 'principal'; readonly roles: readonly AccountRole[]; readonly provinceCode: string | null; readonly national: boolean };

/** The scope an account's grants give it, in the shape of the API's principal. */
export interface AccountScope {
  readonly roles: readonly AccountRole[];
  readonly unitCode: string | null;
  readonly provinceCode: string | null;
  readonly national: boolean;
}

/**
 * Folds grants into one scope. An account keeps to one unit and one province for now (the decider
 * refuses a grant that would add a second), so the fold is unambiguous.
 */
export function scopeOfGrants(grants: readonly Grant[]): AccountScope {
  const roles = [...new Set(grants.map((g) => g.role))];
  let unitCode: string | null = null;
  let provinceCode: string | null = null;
  let unitProvince: string | null = null;
  let national = false;
  for (const grant of grants) {
    if (isUnitGrant(grant)) {
      unitCode = grant.unitCode;
      unitProvince = grant.provinceCode;
    } else if (grant.national) national = true;
    else provinceCode = grant.provinceCode;
  }
  return { roles, unitCode, provinceCode: provinceCode ?? unitProvince, national };
}

/** Where a grant applies at province level: its province (a unit's, for unit roles), or 'national'. */
export function provinceOfGrant(grant: Grant): string | null {
  if (isUnitGrant(grant)) return grant.provinceCode;
  return grant.national ? 'national' : grant.provinceCode;
}
