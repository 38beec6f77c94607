import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type AssessmentEvent, type AssessmentState, decideAssessmentBatch, evolveAssessment, initialAssessmentState } from '@tieuchi/assessment/domain';
import { assessmentStreamName } from '@tieuchi/assessment/data-access';
import { CommandExecutor, type CommandOutcome } from '@tieuchi/shared/application';
import { AssessmentContextLoader } from './assessment-context.loader';
import { ExecuteAssessmentBatch } from './execute-assessment-batch';

@CommandHandler(ExecuteAssessmentBatch)
export class ExecuteAssessmentBatchHandler implements ICommandHandler<ExecuteAssessmentBatch, CommandOutcome<AssessmentEvent>> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly contexts: AssessmentContextLoader,
  ) {}

  async execute({ periodId, unitCode, commandsFor, principal, request }: ExecuteAssessmentBatch): Promise<CommandOutcome<AssessmentEvent>> {
    const streamName = assessmentStreamName(periodId, unitCode);
    const [context, known] = await Promise.all([
      this.contexts.contextFor(periodId, principal),
      this.executor.loadState<AssessmentState, AssessmentEvent>(streamName, initialAssessmentState, evolveAssessment),
    ]);
    return this.executor.executeOn<AssessmentState, AssessmentEvent>(
      { streamName, decide: (state, metadata) => decideAssessmentBatch(commandsFor(state, metadata), state, context) },
      known,
      request,
    );
  }
}
