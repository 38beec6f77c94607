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
import { CommandExecutor, type CommandOutcome, CONCURRENT_WRITE } from '@tieuchi/shared/application';
import { isDomainError } from '@tieuchi/shared/kernel';
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
    const decision = {
      streamName,
      schemaVersionOf: assessmentEventSchemaVersion,
      decide: (state: AssessmentState, metadata: Parameters<typeof decideAssessment>[0]['metadata']) => decideAssessment({ ...command, metadata } as AssessmentCommand, state, context),
    };
    try {
      return await this.executor.executeOn<AssessmentState, AssessmentEvent>(decision, known, request);
    } catch (error) {
      // An appeal sent at the moment of publication races the process recording that publication on
      // the same stream (R-PUBLISHED): decide once more on the stream as it now is, instead of a 409.
      if (!(command.type === 'AppealAssessment' && request.ifMatch === undefined && isDomainError(error) && error.code === CONCURRENT_WRITE)) throw error;
      const fresh = await this.executor.loadState<AssessmentState, AssessmentEvent>(streamName, initialAssessmentState, evolveAssessment);
      return this.executor.executeOn<AssessmentState, AssessmentEvent>(decision, fresh, request);
    }
  }
}
