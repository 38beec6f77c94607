import { acted, authorizeStarted } from '../assessment.authorize';
import type { RecordScoresRecalculated } from '../assessment.commands';
import type { AssessmentContext } from '../assessment.context';
import { AssessmentErrorCode as E, assessmentError, requireText } from '../assessment.errors';
import type { ScoresRecalculated } from '../assessment.events';
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
  const assessment = authorizeStarted(command, state, context);
  const { cause, parts } = command.data;
  requireText(cause.kind, 'data.cause.kind', E.reasonRequired, 'the cause of a recalculation');
  if (cause.frameworkId !== assessment.framework.id || cause.frameworkVersion < assessment.framework.version) {
    throw assessmentError(
      E.invalidRecalculation,
      'conflict',
      `the cause names ${cause.frameworkId} v${cause.frameworkVersion}; the assessment is on ${assessment.framework.id} v${assessment.framework.version}`,
      'data.cause',
    );
  }
  if (parts.length === 0) throw assessmentError(E.invalidRecalculation, 'validation', 'a recalculation names its parts', 'data.parts');
  return [{ type: 'ScoresRecalculated', data: { ...acted(command), revision: assessment.revision + 1, cause, parts } }];
}
