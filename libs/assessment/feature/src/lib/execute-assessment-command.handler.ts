import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  assessmentEventSchemaVersion,
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
    const streamName = assessmentStreamName(periodId, unitCode);
    // The period and the assessment are read side by side: one round trip of waiting, not two.
    const [context, known] = await Promise.all([
      this.contexts.contextFor(periodId, principal),
      this.executor.loadState<AssessmentState, AssessmentEvent>(streamName, initialAssessmentState, evolveAssessment),
    ]);
    if (command.type === 'StartAssessment') await this.contexts.requireUnitOfPeriodProvince(command.data.unitCode, context.period);
    return this.executor.executeOn<AssessmentState, AssessmentEvent>(
      { streamName, schemaVersionOf: assessmentEventSchemaVersion, decide: (state, metadata) => decideAssessment({ ...command, metadata } as AssessmentCommand, state, context) },
      known,
      request,
    );
  }
}
