import { otherUnit } from './auth.errors';
import type { Principal } from './principal';

export function isOwnUnit(principal: Principal, unitCode: string): boolean {
  return principal.unitCode !== null && principal.unitCode === unitCode;
}

/** Refuses (403 AUTH.OTHER_UNIT) a principal acting on a unit other than its own. */
export function assertOwnUnit(principal: Principal, unitCode: string): void {
  if (!isOwnUnit(principal, unitCode)) throw otherUnit(unitCode);
}
