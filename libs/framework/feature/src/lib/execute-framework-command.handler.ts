import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  decideFramework,
  evolveFramework,
  type FrameworkCommand,
  type FrameworkEvent,
  type FrameworkState,
  initialFrameworkState,
} from '@tieuchi/framework/domain';
import { frameworkStreamName } from '@tieuchi/framework/data-access';
import { CommandExecutor, type CommandOutcome } from '@tieuchi/shared/application';
import { ExecuteFrameworkCommand } from './execute-framework-command';

@CommandHandler(ExecuteFrameworkCommand)
export class ExecuteFrameworkCommandHandler implements ICommandHandler<ExecuteFrameworkCommand, CommandOutcome<FrameworkEvent>> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ frameworkId, command, request }: ExecuteFrameworkCommand): Promise<CommandOutcome<FrameworkEvent>> {
    return this.executor.execute<FrameworkState, FrameworkEvent>(
      {
        streamName: frameworkStreamName(frameworkId),
        initialState: initialFrameworkState,
        evolve: evolveFramework,
        decide: (state, metadata) => decideFramework({ ...command, metadata } as FrameworkCommand, state),
      },
      request,
    );
  }
}
