import { acted, authorizeStarted } from '../assessment.authorize';
import type { ResubmitAssessment } from '../assessment.commands';
import type { AssessmentContext } from '../assessment.context';
import type { AssessmentResubmitted } from '../assessment.events';
import { requireComplete } from '../assessment.framework';
import type { AssessmentState } from '../assessment.state';

/** A new revision: the earlier submission stays in the revision history. */
export function resubmitAssessment(
  command: ResubmitAssessment,
  state: AssessmentState,
  context: AssessmentContext,
): readonly AssessmentResubmitted[] {
  const assessment = authorizeStarted(command, state, context);
  requireComplete(assessment, context.framework);
  return [
    {
      type: 'AssessmentResubmitted',
      data: { ...acted(command), revision: assessment.revision + 1, previousRevision: assessment.revision },
    },
  ];
}
