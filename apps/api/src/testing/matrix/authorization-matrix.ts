import { ROLES, type Role } from '@tieuchi/shared/auth';
import { type AppRoute, fillPath } from './app-routes';
import { DEFAULT_PATH_VALUES, type ExpectedRoutePolicy, OTHER_UNIT, OWN_UNIT } from './expected-route-policies';

export type MatrixRole = Role | 'anonymous';

/** One demo user per role; the unit roles belong to OWN_UNIT. */
export const MATRIX_CALLERS: Readonly<Record<MatrixRole, string | null>> = {
  anonymous: null,
  unit_editor: `editor.${OWN_UNIT}@daknong`,
  unit_lead: `lead.${OWN_UNIT}@daknong`,
  reviewer: 'reviewer.1@daknong',
  approver: 'approver.1@daknong',
  admin: 'admin@daknong',
  auditor: 'auditor@daknong',
};

export const MATRIX_ROLES: readonly MatrixRole[] = ['anonymous', ...ROLES];

export type MatrixExpectation = { readonly allowed: true } | { readonly allowed: false; readonly status: 401 | 403; readonly code: string };

export interface MatrixCase {
  readonly route: AppRoute;
  readonly policy: ExpectedRoutePolicy;
  readonly role: MatrixRole;
  readonly user: string | null;
  /** `own` / `other` for routes that name a unit; null when the route names none. */
  readonly unit: 'own' | 'other' | null;
  readonly url: string;
  readonly expected: MatrixExpectation;
  /** e.g. `unit_editor × other unit × POST /periods/…/submit`. */
  readonly label: string;
}

/** What the authorization layer must answer `role` calling a route of `policy` for the unit. */
export function expectationFor(policy: ExpectedRoutePolicy, role: MatrixRole, unit: 'own' | 'other' | null): MatrixExpectation {
  if (policy.access === 'public') return { allowed: true };
  if (role === 'anonymous') return { allowed: false, status: 401, code: 'AUTH.MISSING_TOKEN' };
  if (policy.access === 'authenticated') return { allowed: true };
  if (!policy.access.includes(role)) return { allowed: false, status: 403, code: 'AUTH.FORBIDDEN_ROLE' };
  if (policy.unitBound && (role === 'unit_editor' || role === 'unit_lead') && unit === 'other') return { allowed: false, status: 403, code: 'AUTH.OTHER_UNIT' };
  return { allowed: true };
}

/** Every route × every role × (own unit, other unit) where the route names a unit. */
export function matrixCases(routes: readonly AppRoute[], policies: readonly ExpectedRoutePolicy[]): MatrixCase[] {
  return policies.flatMap((policy) => {
    const route = routes.find((candidate) => candidate.key === policy.key);
    if (!route) return [];
    const units: readonly ('own' | 'other' | null)[] = policy.unitParam ? ['own', 'other'] : [null];
    return units.flatMap((unit) =>
      MATRIX_ROLES.map((role): MatrixCase => {
        const values = { ...DEFAULT_PATH_VALUES, ...policy.params, ...(policy.unitParam && unit ? { [policy.unitParam]: unit === 'own' ? OWN_UNIT : OTHER_UNIT } : {}) };
        const query = policy.query ? `?${new URLSearchParams(policy.query).toString()}` : '';
        return {
          route,
          policy,
          role,
          user: MATRIX_CALLERS[role],
          unit,
          url: fillPath(route.path, values) + query,
          expected: expectationFor(policy, role, unit),
          label: `${role}${unit ? ` × ${unit} unit` : ''} × ${policy.key}`,
        };
      }),
    );
  });
}
