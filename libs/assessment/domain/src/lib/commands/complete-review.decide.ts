import { acted, authorizeStarted } from '../assessment.authorize';
import type { CompleteReview } from '../assessment.commands';
import type { AssessmentContext } from '../assessment.context';
import { AssessmentErrorCode as E, assessmentError } from '../assessment.errors';
import type { ReviewCompleted } from '../assessment.events';
import { requirePinnedFramework, tierCriteria } from '../assessment.framework';
import type { AssessmentState } from '../assessment.state';

export function completeReview(
  command: CompleteReview,
  state: AssessmentState,
  context: AssessmentContext,
): readonly ReviewCompleted[] {
  const assessment = authorizeStarted(command, state, context);
  requirePinnedFramework(assessment, context.framework);
  const unreviewed = tierCriteria(context.framework, assessment.tier)
    .filter((c) => !c.excluded && !assessment.criteria[c.code]?.review)
    .map((c) => c.code);
  if (unreviewed.length > 0) {
    throw assessmentError(E.unreviewedCriteria, 'validation', `${unreviewed.length} criteria are neither accepted nor adjusted`, 'criteria', {
      criteria: unreviewed,
      errors: unreviewed.map((code) => ({ field: `criteria.${code}`, messages: [`${code} is neither accepted nor adjusted`] })),
    });
  }
  return [{ type: 'ReviewCompleted', data: { ...acted(command), revision: assessment.revision + 1 } }];
}
