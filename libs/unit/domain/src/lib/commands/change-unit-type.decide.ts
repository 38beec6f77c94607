import type { ChangeUnitType } from '../unit.commands';
import { requireDate, requireText } from '../unit.errors';
import type { UnitTypeChanged } from '../unit.events';
import { requireActiveUnit } from '../unit.guards';
import type { UnitState } from '../unit.state';

export function changeUnitType(command: ChangeUnitType, state: UnitState): readonly UnitTypeChanged[] {
  const unit = requireActiveUnit(state, command.data.code);
  const type = requireText(command.data.type, 'data.type');
  const tier = command.data.tier === undefined ? unit.tier : requireText(command.data.tier, 'data.tier');
  const effectiveDate = requireDate(command.data.effectiveDate, 'data.effectiveDate');
  const decisionRef = requireText(command.data.decisionRef, 'data.decisionRef');
  if (type === unit.type && tier === unit.tier) return [];
  return [
    { type: 'UnitTypeChanged', data: { code: unit.code, previousType: unit.type, type, tier, effectiveDate, decisionRef } },
  ];
}
