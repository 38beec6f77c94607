import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, type CommandOutcome } from '@tieuchi/shared/application';
import type { UnitEvent } from '@tieuchi/unit/domain';
import { ExecuteUnitCommand } from './execute-unit-command';
import { withRequestFields } from './request-field';
import { authorizeUnitCommand } from './unit-jurisdiction';
import { executeUnitCommand } from './unit-streams';

@CommandHandler(ExecuteUnitCommand)
export class ExecuteUnitCommandHandler implements ICommandHandler<ExecuteUnitCommand, CommandOutcome<UnitEvent>> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ unitCode, command, request }: ExecuteUnitCommand): Promise<CommandOutcome<UnitEvent>> {
    return withRequestFields(async () => {
      await authorizeUnitCommand(this.executor, unitCode, command, request);
      return executeUnitCommand(this.executor, unitCode, command, request);
    });
  }
}
