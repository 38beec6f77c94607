import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  type AssessmentCommand,
  type AssessmentEvent,
  type AssessmentState,
  decideAssessment,
  evolveAssessment,
  initialAssessmentState,
} from '@tieuchi/assessment/domain';
import { assessmentStreamName } from '@tieuchi/assessment/data-access';
import { CommandExecutor, type CommandOutcome } from '@tieuchi/shared/application';
import { AssessmentContextLoader } from './assessment-context.loader';
import { ExecuteAssessmentCommand } from './execute-assessment-command';

@CommandHandler(ExecuteAssessmentCommand)
export class ExecuteAssessmentCommandHandler implements ICommandHandler<ExecuteAssessmentCommand, CommandOutcome<AssessmentEvent>> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly contexts: AssessmentContextLoader,
  ) {}

  async execute({ periodId, unitCode, command, principal, request }: ExecuteAssessmentCommand): Promise<CommandOutcome<AssessmentEvent>> {
    const context = await this.contexts.contextFor(periodId, principal);
    return this.executor.execute<AssessmentState, AssessmentEvent>(
      {
        streamName: assessmentStreamName(periodId, unitCode),
        initialState: initialAssessmentState,
        evolve: evolveAssessment,
        decide: (state, metadata) => decideAssessment({ ...command, metadata } as AssessmentCommand, state, context),
      },
      request,
    );
  }
}
