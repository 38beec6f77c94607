import type { RecordUnitMergedInto } from '../unit.commands';
import { requireDate, requireText, requireUnitCode, unitError } from '../unit.errors';
import type { UnitMergedInto } from '../unit.events';
import { requireActiveUnit } from '../unit.guards';
import type { UnitState } from '../unit.state';

export function recordUnitMergedInto(command: RecordUnitMergedInto, state: UnitState): readonly UnitMergedInto[] {
  const unit = requireActiveUnit(state, command.data.code);
  const successorCode = requireUnitCode(command.data.successorCode, 'data.successorCode');
  if (successorCode === unit.code) {
    throw unitError('UNIT.INVALID_MERGE', 'validation', 'the unit that keeps its code is merged with MergeUnits', 'data.successorCode');
  }
  return [
    {
      type: 'UnitMergedInto',
      data: {
        code: unit.code,
        successorCode,
        effectiveDate: requireDate(command.data.effectiveDate, 'data.effectiveDate'),
        legalBasis: requireText(command.data.legalBasis, 'data.legalBasis'),
      },
    },
  ];
}
