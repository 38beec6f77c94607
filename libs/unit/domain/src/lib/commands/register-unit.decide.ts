import type { RegisterUnit } from '../unit.commands';
import { requireText, requireUnitCode, unitError } from '../unit.errors';
import type { UnitRegistered } from '../unit.events';
import type { UnitState } from '../unit.state';

export function registerUnit(command: RegisterUnit, state: UnitState): readonly UnitRegistered[] {
  const { data } = command;
  if (state.status !== 'unregistered') {
    throw unitError('UNIT.ALREADY_REGISTERED', 'conflict', `unit ${data.code} is already registered`, 'data.code');
  }
  const code = requireUnitCode(data.code, 'data.code');
  const parentCode = data.parentCode === null ? null : requireUnitCode(data.parentCode, 'data.parentCode');
  if (parentCode === code) throw unitError('UNIT.INVALID_CODE', 'validation', 'a unit cannot be its own parent', 'data.parentCode');
  return [
    {
      type: 'UnitRegistered',
      data: {
        code,
        name: requireText(data.name, 'data.name'),
        type: requireText(data.type, 'data.type'),
        tier: requireText(data.tier, 'data.tier'),
        parentCode,
      },
    },
  ];
}
