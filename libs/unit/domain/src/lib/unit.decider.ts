import { assertNever, type Decider } from '@tieuchi/shared/kernel';
import { changeUnitType } from './commands/change-unit-type.decide';
import { dissolveUnit } from './commands/dissolve-unit.decide';
import { mergeUnits } from './commands/merge-units.decide';
import { recordUnitMergedInto } from './commands/record-unit-merged-into.decide';
import { registerUnit } from './commands/register-unit.decide';
import { renameUnit } from './commands/rename-unit.decide';
import type { UnitCommand } from './unit.commands';
import type { UnitEvent } from './unit.events';
import { initialUnitState, type UnitDetails, type UnitState } from './unit.state';

export function decideUnit(command: UnitCommand, state: UnitState): readonly UnitEvent[] {
  switch (command.type) {
    case 'RegisterUnit':
      return registerUnit(command, state);
    case 'RenameUnit':
      return renameUnit(command, state);
    case 'ChangeUnitType':
      return changeUnitType(command, state);
    case 'MergeUnits':
      return mergeUnits(command, state);
    case 'RecordUnitMergedInto':
      return recordUnitMergedInto(command, state);
    case 'DissolveUnit':
      return dissolveUnit(command, state);
    default:
      return assertNever(command, 'unit command');
  }
}

function details(state: UnitState): UnitDetails | undefined {
  return state.status === 'unregistered' ? undefined : state;
}

export function evolveUnit(state: UnitState, event: UnitEvent): UnitState {
  const unit = details(state);
  switch (event.type) {
    case 'UnitRegistered':
      return { status: 'active', ...event.data, history: [], merges: [] };
    case 'UnitRenamed':
      if (!unit) return state;
      return {
        ...unit,
        status: 'active',
        name: event.data.name,
        history: [...unit.history, { ...snapshot(unit), effectiveDate: event.data.effectiveDate, reference: event.data.decisionRef }],
      };
    case 'UnitTypeChanged':
      if (!unit) return state;
      return {
        ...unit,
        status: 'active',
        type: event.data.type,
        tier: event.data.tier,
        history: [...unit.history, { ...snapshot(unit), effectiveDate: event.data.effectiveDate, reference: event.data.decisionRef }],
      };
    case 'UnitsMerged': {
      const { successorCode, predecessorCodes, comparisonRule, effectiveDate, legalBasis, name, type, tier, parentCode } =
        event.data;
      const merge = { predecessorCodes, comparisonRule, effectiveDate, legalBasis };
      return {
        status: 'active',
        code: successorCode,
        name,
        type,
        tier,
        parentCode,
        // The history holds what the code was before: empty when the successor is a new code.
        history: unit ? [...unit.history, { ...snapshot(unit), effectiveDate, reference: legalBasis }] : [],
        merges: [...(unit?.merges ?? []), merge],
      };
    }
    case 'UnitMergedInto':
      if (!unit) return state;
      return { ...unit, status: 'merged_into', successorCode: event.data.successorCode, endedOn: event.data.effectiveDate };
    case 'UnitDissolved':
      if (!unit) return state;
      return { ...unit, status: 'dissolved', endedOn: event.data.effectiveDate };
    default:
      return assertNever(event, 'unit event');
  }
}

/** The attributes a change replaces, recorded as they stood until its effective date. */
function snapshot(unit: UnitDetails): Omit<UnitDetails, 'code' | 'history' | 'merges'> {
  return { name: unit.name, type: unit.type, tier: unit.tier, parentCode: unit.parentCode };
}

export const unitDecider: Decider<UnitState, UnitCommand, UnitEvent> = {
  decide: decideUnit,
  evolve: evolveUnit,
  initialState: initialUnitState,
};
