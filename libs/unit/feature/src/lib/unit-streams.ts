import { CommandExecutor, type CommandOutcome, type RequestContext } from '@tieuchi/shared/application';
import { decideUnit, evolveUnit, initialUnitState, type UnitCommand, type UnitEvent, type UnitState } from '@tieuchi/unit/domain';
import { unitStreamName } from '@tieuchi/unit/data-access';
import type { UnitCommandInput } from './execute-unit-command';

/** load → decide → append on one unit's stream. */
export function executeUnitCommand(
  executor: CommandExecutor,
  unitCode: string,
  command: UnitCommandInput,
  request: RequestContext,
): Promise<CommandOutcome<UnitEvent>> {
  return executor.execute<UnitState, UnitEvent>(
    {
      streamName: unitStreamName(unitCode),
      initialState: initialUnitState,
      evolve: evolveUnit,
      decide: (state, metadata) => decideUnit({ ...command, metadata } as UnitCommand, state),
    },
    request,
  );
}

export async function loadUnit(executor: CommandExecutor, unitCode: string): Promise<{ state: UnitState; version: number }> {
  return executor.load<UnitState, UnitEvent>(unitStreamName(unitCode), initialUnitState, evolveUnit);
}
