import { CommandExecutor, type RequestContext } from '@tieuchi/shared/application';
import { assertCoversProvince } from '@tieuchi/shared/auth';
import { provinceOfUnit, requireConsistentParent, type UnitState } from '@tieuchi/unit/domain';
import type { UnitCommandInput } from './execute-unit-command';
import { loadUnit } from './unit-streams';

const stateOf = (executor: CommandExecutor) => async (code: string): Promise<UnitState> => (await loadUnit(executor, code)).state;

/** The province a registered unit belongs to through its parent chain, or null. */
export function unitProvince(executor: CommandExecutor, code: string): Promise<string | null> {
  return provinceOfUnit(code, stateOf(executor));
}

/**
 * What a unit command needs before it is decided (or an earlier answer replayed): a registration's
 * parent must exist with the tier above the unit's, and the caller's admin role must reach the
 * province the unit belongs to (403 AUTH.OTHER_PROVINCE). Calls without a principal (seeds, jobs)
 * are the system's and reach every province.
 */
export async function authorizeUnitCommand(executor: CommandExecutor, unitCode: string, command: UnitCommandInput, request: RequestContext): Promise<void> {
  if (command.type === 'RegisterUnit') {
    const { data } = command;
    const parent = data.parentCode === null ? null : (await loadUnit(executor, data.parentCode)).state;
    // Jurisdiction first wherever there is a parent to judge it by; an unknown parent is a 409 of its own.
    if (request.principal && data.parentCode !== null && parent?.status !== 'unregistered') {
      assertCoversProvince(request.principal, await unitProvince(executor, data.parentCode));
    }
    requireConsistentParent(data, parent);
    if (request.principal && data.parentCode === null) assertCoversProvince(request.principal, data.code);
    return;
  }
  if (request.principal) assertCoversProvince(request.principal, await unitProvince(executor, unitCode));
}
