import { acted, authorizeStarted } from '../assessment.authorize';
import type { SubmitAssessment } from '../assessment.commands';
import type { AssessmentContext } from '../assessment.context';
import type { AssessmentSubmitted } from '../assessment.events';
import { requireComplete } from '../assessment.framework';
import type { AssessmentState } from '../assessment.state';

export function submitAssessment(
  command: SubmitAssessment,
  state: AssessmentState,
  context: AssessmentContext,
): readonly AssessmentSubmitted[] {
  const assessment = authorizeStarted(command, state, context);
  requireComplete(assessment, context.framework);
  return [{ type: 'AssessmentSubmitted', data: { ...acted(command), revision: assessment.revision + 1 } }];
}
