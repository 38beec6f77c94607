import type { DissolveUnit } from '../unit.commands';
import { requireDate, requireText } from '../unit.errors';
import type { UnitDissolved } from '../unit.events';
import { requireActiveUnit } from '../unit.guards';
import type { UnitState } from '../unit.state';

export function dissolveUnit(command: DissolveUnit, state: UnitState): readonly UnitDissolved[] {
  const unit = requireActiveUnit(state, command.data.code);
  return [
    {
      type: 'UnitDissolved',
      data: {
        code: unit.code,
        effectiveDate: requireDate(command.data.effectiveDate, 'data.effectiveDate'),
        legalBasis: requireText(command.data.legalBasis, 'data.legalBasis'),
      },
    },
  ];
}
