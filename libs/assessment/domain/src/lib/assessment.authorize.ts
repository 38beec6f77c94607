import type { AssessmentCommand } from './assessment.commands';
import type { AssessmentContext } from './assessment.context';
import { AssessmentErrorCode as E, assessmentError } from './assessment.errors';
import type { Acted } from './assessment.events';
import { commandGuards, requireStarted } from './assessment.guards';
import type { AssessmentState, StartedAssessment } from './assessment.state';

/** Runs the command's guard with the context's actor, who must be the one the metadata names. */
export function authorize(command: AssessmentCommand, state: AssessmentState, context: AssessmentContext): void {
  requireCommandActor(command, context);
  commandGuards[command.type](state, context.actor, {
    now: command.metadata.occurredAt,
    appealWindowEndsAt: context.appealWindowEndsAt,
    period: context.period,
  });
}

/** The context must be the actor the command's metadata names. */
export function requireCommandActor(command: AssessmentCommand, context: AssessmentContext): void {
  if (context.actor.id !== command.metadata.actor) {
    const message = `context is for ${context.actor.id}, the command is from ${command.metadata.actor}`;
    throw assessmentError(E.actorMismatch, 'forbidden', message);
  }
}

export function authorizeStarted(command: AssessmentCommand, state: AssessmentState, context: AssessmentContext): StartedAssessment {
  authorize(command, state, context);
  return requireStarted(state);
}

export function acted(command: AssessmentCommand): Acted {
  return { by: command.metadata.actor, at: command.metadata.occurredAt };
}
