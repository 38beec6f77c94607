import { otherProvince, otherUnit } from './auth.errors';
import { coversProvince, type Principal } from './principal';

export function isOwnUnit(principal: Principal, unitCode: string): boolean {
  return principal.unitCode !== null && principal.unitCode === unitCode;
}

/** Refuses (403 AUTH.OTHER_UNIT) a principal acting on a unit other than its own. */
export function assertOwnUnit(principal: Principal, unitCode: string): void {
  if (!isOwnUnit(principal, unitCode)) throw otherUnit(unitCode);
}

/**
 * Refuses (403 AUTH.OTHER_PROVINCE) a principal whose province roles do not reach the province, or
 * null: something that belongs to no known province is reached by national accounts only.
 */
export function assertCoversProvince(principal: Principal, provinceCode: string | null): void {
  if (principal.national) return;
  if (provinceCode === null || !coversProvince(principal, provinceCode)) throw otherProvince(provinceCode ?? '?');
}
