import type { CommandBus } from '@nestjs/cqrs';
import type { AssessmentCommand, AssessmentEvent, AssessmentState } from '@tieuchi/assessment/domain';
import { type CommandOutcome, requestContextOf } from '@tieuchi/shared/application';
import type { Principal } from '@tieuchi/shared/auth';
import type { MessageMetadata } from '@tieuchi/shared/kernel';
import type { Request } from 'express';
import { type AssessmentCommandResponse, toCommandResponse } from '../assessment-command.response';
import type { AssessmentPathParams } from '../assessment-path.params';
import { ExecuteAssessmentBatch } from '../execute-assessment-batch';
import { type AssessmentCommandInput, ExecuteAssessmentCommand } from '../execute-assessment-command';

/** Builds the commands of a batch from the state they will be decided on. */
export type AssessmentCommandsFor = (state: AssessmentState, metadata: MessageMetadata) => readonly AssessmentCommand[];

export interface SendOptions {
  /** The version the caller read, where it comes from the request body rather than an If-Match header. */
  readonly ifMatch?: number;
}

/**
 * What every assessment route does once it has built its domain command (or, for a batch, the
 * function that builds them): one trip through the CommandBus (load → decide → append with
 * If-Match) and the `{ streamName, version, events, position }` answer.
 */
export async function sendAssessmentCommand(
  commandBus: CommandBus,
  params: AssessmentPathParams,
  command: AssessmentCommandInput | AssessmentCommandsFor,
  principal: Principal,
  request: Request,
  options: SendOptions = {},
): Promise<AssessmentCommandResponse> {
  const context = { ...requestContextOf(request), ...(options.ifMatch !== undefined ? { ifMatch: options.ifMatch } : {}) };
  const message =
    typeof command === 'function'
      ? new ExecuteAssessmentBatch(params.periodId, params.unitCode, command, principal, context)
      : new ExecuteAssessmentCommand(params.periodId, params.unitCode, command, principal, context);
  const outcome = await commandBus.execute<ExecuteAssessmentCommand | ExecuteAssessmentBatch, CommandOutcome<AssessmentEvent>>(message);
  return toCommandResponse(outcome);
}
