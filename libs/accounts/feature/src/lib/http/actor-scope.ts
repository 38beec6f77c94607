import { type AccountRole, type Grant, type GrantingActor, isAccountRole, isUnitGrant, scopeOfGrants } from '@tieuchi/accounts/domain';
import type { Principal } from '@tieuchi/shared/auth';
import { DomainError } from '@tieuchi/shared/kernel';
import type { UnitProvinces } from '../unit-provinces';
import type { GrantDto } from './account.dto';

/** The principal's province scope (fields the Principal gains with jurisdiction; read defensively until then). */
export function provinceScopeOf(principal: Principal): { readonly provinceCode: string | null; readonly national: boolean } {
  const scoped = principal as Principal & { readonly provinceCode?: string | null; readonly national?: boolean };
  return { provinceCode: scoped.provinceCode ?? null, national: scoped.national === true };
}

/** The actor's scope as its own account's grants give it (the authority, whatever a token claims). */
export function grantingActorOf(account: { readonly grants: readonly Grant[] } | null): GrantingActor {
  if (!account) return { kind: 'principal', roles: [], provinceCode: null, national: false };
  const scope = scopeOfGrants(account.grants.filter((g) => !isUnitGrant(g)));
  return { kind: 'principal', roles: scope.roles.filter(isAccountRole) as AccountRole[], provinceCode: scope.provinceCode, national: scope.national };
}

/** A grant as asked over HTTP, checked for shape; a unit grant gets its unit's province from the registry. */
export async function toGrant(dto: GrantDto, field: string, units: UnitProvinces, unitField = `${field}.unitCode`): Promise<Grant> {
  if (dto.role === 'unit_editor' || dto.role === 'unit_lead') {
    if (!dto.unitCode || dto.provinceCode !== undefined || dto.national !== undefined) {
      throw new DomainError('ACCOUNT.INVALID_GRANT', 'validation', `${dto.role} is granted for one unit: give unitCode only.`, field);
    }
    return { role: dto.role, unitCode: dto.unitCode, provinceCode: await units.provinceOf(dto.unitCode, unitField) };
  }
  if (dto.unitCode !== undefined) throw new DomainError('ACCOUNT.INVALID_GRANT', 'validation', `${dto.role} is not granted for a unit.`, field);
  if (dto.national === true && dto.provinceCode === undefined) return { role: dto.role, national: true };
  if (dto.provinceCode !== undefined && dto.national !== true) return { role: dto.role, provinceCode: dto.provinceCode };
  throw new DomainError('ACCOUNT.INVALID_GRANT', 'validation', `${dto.role} needs exactly one of provinceCode or national: true.`, field);
}
