import type { CommandBus } from '@nestjs/cqrs';
import type { AssessmentEvent } from '@tieuchi/assessment/domain';
import { type CommandOutcome, requestContextOf } from '@tieuchi/shared/application';
import type { Principal } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { type AssessmentCommandResponse, toCommandResponse } from '../assessment-command.response';
import type { AssessmentPathParams } from '../assessment-path.params';
import { type AssessmentCommandInput, ExecuteAssessmentCommand } from '../execute-assessment-command';

/**
 * What every assessment route does once it has built its domain command: one trip through the
 * CommandBus (load → decide → append with If-Match) and the `{ streamName, version, events }` answer.
 */
export async function sendAssessmentCommand(
  commandBus: CommandBus,
  params: AssessmentPathParams,
  command: AssessmentCommandInput,
  principal: Principal,
  request: Request,
): Promise<AssessmentCommandResponse> {
  const outcome = await commandBus.execute<ExecuteAssessmentCommand, CommandOutcome<AssessmentEvent>>(
    new ExecuteAssessmentCommand(params.periodId, params.unitCode, command, principal, requestContextOf(request)),
  );
  return toCommandResponse(outcome);
}
