import { acted, authorizeStarted } from '../assessment.authorize';
import type { ReturnAssessment } from '../assessment.commands';
import type { AssessmentContext } from '../assessment.context';
import { AssessmentErrorCode as E, requireText } from '../assessment.errors';
import type { AssessmentReturned } from '../assessment.events';
import { requireCriterion } from '../assessment.framework';
import type { AssessmentState } from '../assessment.state';

export function returnAssessment(
  command: ReturnAssessment,
  state: AssessmentState,
  context: AssessmentContext,
): readonly AssessmentReturned[] {
  const assessment = authorizeStarted(command, state, context);
  const comment = requireText(command.data.comment, 'data.comment', E.commentRequired, 'a comment to the unit');
  const flaggedCriteria = [...new Set(command.data.flaggedCriteria)];
  flaggedCriteria.forEach((code, i) => requireCriterion(assessment, context.framework, code, `data.flaggedCriteria.${i}`));
  return [{ type: 'AssessmentReturned', data: { ...acted(command), revision: assessment.revision, comment, flaggedCriteria } }];
}
