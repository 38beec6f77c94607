import type { RenameUnit } from '../unit.commands';
import { requireDate, requireText } from '../unit.errors';
import type { UnitRenamed } from '../unit.events';
import { requireActiveUnit } from '../unit.guards';
import type { UnitState } from '../unit.state';

export function renameUnit(command: RenameUnit, state: UnitState): readonly UnitRenamed[] {
  const unit = requireActiveUnit(state, command.data.code);
  const name = requireText(command.data.name, 'data.name');
  const effectiveDate = requireDate(command.data.effectiveDate, 'data.effectiveDate');
  const decisionRef = requireText(command.data.decisionRef, 'data.decisionRef');
  // A retried rename must not write a second event.
  if (name === unit.name) return [];
  return [{ type: 'UnitRenamed', data: { code: unit.code, previousName: unit.name, name, effectiveDate, decisionRef } }];
}
