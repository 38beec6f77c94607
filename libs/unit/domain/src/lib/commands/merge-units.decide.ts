import type { MergeUnits } from '../unit.commands';
import { requireDate, requireText, requireUnitCode, unitError } from '../unit.errors';
import { UNIT_COMPARISON_RULES, type UnitsMerged } from '../unit.events';
import { requireActiveUnit } from '../unit.guards';
import type { UnitState } from '../unit.state';

export function mergeUnits(command: MergeUnits, state: UnitState): readonly UnitsMerged[] {
  const { data } = command;
  const successorCode = requireUnitCode(data.successorCode, 'data.successorCode');
  const predecessorCodes = data.predecessorCodes.map((code, i) => requireUnitCode(code, `data.predecessorCodes.${i}`));
  if (predecessorCodes.length === 0) {
    throw unitError('UNIT.INVALID_MERGE', 'validation', 'a merge needs at least one predecessor', 'data.predecessorCodes');
  }
  if (new Set(predecessorCodes).size !== predecessorCodes.length) {
    throw unitError('UNIT.INVALID_MERGE', 'validation', 'a predecessor is listed twice', 'data.predecessorCodes');
  }
  if (!UNIT_COMPARISON_RULES.includes(data.comparisonRule)) {
    throw unitError('UNIT.INVALID_MERGE', 'validation', `unknown comparison rule ${String(data.comparisonRule)}`, 'data.comparisonRule');
  }
  // A live successor is one of the merged units keeping its code; a new code starts a new stream.
  if (state.status !== 'unregistered') {
    requireActiveUnit(state, successorCode);
    if (!predecessorCodes.includes(successorCode)) {
      throw unitError(
        'UNIT.INVALID_MERGE',
        'conflict',
        `unit ${successorCode} exists, so it can only succeed a merge it takes part in`,
        'data.predecessorCodes',
      );
    }
  }
  const parentCode = data.parentCode === null ? null : requireUnitCode(data.parentCode, 'data.parentCode');
  return [
    {
      type: 'UnitsMerged',
      data: {
        successorCode,
        predecessorCodes,
        comparisonRule: data.comparisonRule,
        effectiveDate: requireDate(data.effectiveDate, 'data.effectiveDate'),
        legalBasis: requireText(data.legalBasis, 'data.legalBasis'),
        name: requireText(data.name, 'data.name'),
        type: requireText(data.type, 'data.type'),
        tier: requireText(data.tier, 'data.tier'),
        parentCode,
      },
    },
  ];
}
