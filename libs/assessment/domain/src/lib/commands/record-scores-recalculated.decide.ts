import { acted, requireCommandActor } from '../assessment.authorize';
import type { RecordScoresRecalculated } from '../assessment.commands';
import type { AssessmentContext } from '../assessment.context';
import { AssessmentErrorCode as E, assessmentError, requireText } from '../assessment.errors';
import type { ScoresRecalculated } from '../assessment.events';
import { requireRecalculationRole, requireStarted } from '../assessment.guards';
import { type ScoringInputs, scoringInputsOf } from '../assessment.facts';
import type { AssessmentState } from '../assessment.state';

/**
 * Recorded by the recalculation job after an amendment; the scoring itself happens in the engine.
 * It moves the assessment onto the amended framework version and makes a new revision, so an
 * approval pending on the old figures goes stale.
 */
export function recordScoresRecalculated(
  command: RecordScoresRecalculated,
  state: AssessmentState,
  context: AssessmentContext,
): readonly ScoresRecalculated[] {
  requireCommandActor(command, context);
  return decideScoresRecalculated(command, scoringInputsOf(requireStarted(state)), context);
}

/**
 * The same decision on the scoring inputs alone, which is all it reads: a recalculation job takes
 * it on the inputs a process kept for the assessment, and appends expecting the stream version
 * they were kept at, so a stream that moved since refuses the append.
 */
export function decideScoresRecalculated(
  command: RecordScoresRecalculated,
  inputs: Pick<ScoringInputs, 'framework' | 'revision'>,
  context: AssessmentContext,
): readonly ScoresRecalculated[] {
  requireCommandActor(command, context);
  requireRecalculationRole(context.actor);
  const { cause, parts } = command.data;
  requireText(cause.kind, 'data.cause.kind', E.reasonRequired, 'the cause of a recalculation');
  if (cause.frameworkId !== inputs.framework.id || cause.frameworkVersion < inputs.framework.version) {
    throw assessmentError(
      E.invalidRecalculation,
      'conflict',
      `the cause names ${cause.frameworkId} v${cause.frameworkVersion}; the assessment is on ${inputs.framework.id} v${inputs.framework.version}`,
      'data.cause',
    );
  }
  if (parts.length === 0) throw assessmentError(E.invalidRecalculation, 'validation', 'a recalculation names its parts', 'data.parts');
  return [{ type: 'ScoresRecalculated', data: { ...acted(command), revision: inputs.revision + 1, cause, parts } }];
}
