import { assertCoversProvince, hasAnyRole, isOwnUnit, otherUnit, type Principal, type Role } from '@tieuchi/shared/auth';
import { DomainError } from '@tieuchi/shared/kernel';

/** Staff of the Sở: they read every unit's assessment once it has been submitted. */
export const STAFF_ROLES: readonly Role[] = ['reviewer', 'approver', 'admin', 'auditor'];


export function isUnitMember(principal: Principal | undefined, unitCode: string): boolean {
  return principal !== undefined && isOwnUnit(principal, unitCode) && hasAnyRole(principal, ['unit_editor', 'unit_lead']);
}

export function isStaff(principal: Principal | undefined): boolean {
  return principal !== undefined && hasAnyRole(principal, STAFF_ROLES);
}

export function assessmentNotFound(periodId: string, unitCode: string): DomainError {
  return new DomainError('ASSESSMENT.NOT_FOUND', 'not_found', `There is no assessment of unit ${unitCode} in period ${periodId}.`);
}

/**
 * The unit's own users always see their assessment; staff of its province (or national) once it
 * was submitted. To anyone else a draft is a 404, so its existence does not leak; a submitted one
 * is no secret, so they get 403 AUTH.OTHER_UNIT or AUTH.OTHER_PROVINCE.
 */
export function assertMayReadAssessment(principal: Principal, periodId: string, unitCode: string, everSubmitted: boolean, provinceCode: string | null): void {
  if (isUnitMember(principal, unitCode)) return;
  if (!everSubmitted) throw assessmentNotFound(periodId, unitCode);
  if (isStaff(principal)) return assertCoversProvince(principal, provinceCode);
  throw otherUnit(unitCode);
}
