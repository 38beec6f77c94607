import { acted, authorizeStarted } from '../assessment.authorize';
import type { ResolveAppeal } from '../assessment.commands';
import type { AssessmentContext } from '../assessment.context';
import { AssessmentErrorCode as E, assessmentError, requireText } from '../assessment.errors';
import type { AppealAdjustment, AppealResolved } from '../assessment.events';
import { pointsFor, requireCriterion } from '../assessment.framework';
import type { AssessmentState } from '../assessment.state';
import { effectivePointsOf } from '../assessment.selectors';

export function resolveAppeal(
  command: ResolveAppeal,
  state: AssessmentState,
  context: AssessmentContext,
): readonly AppealResolved[] {
  const assessment = authorizeStarted(command, state, context);
  const { data } = command;
  const reason = requireText(data.reason, 'data.reason', E.reasonRequired, 'a reason for the decision on the appeal');
  const base = { ...acted(command), reason, appealedRevision: assessment.revision };
  if (data.outcome === 'upheld') {
    return [{ type: 'AppealResolved', data: { ...base, outcome: 'upheld', revision: assessment.revision, adjustments: [] } }];
  }
  if (data.adjustments.length === 0) {
    throw assessmentError(E.adjustmentRequired, 'validation', 'a revision changes at least one criterion', 'data.adjustments');
  }
  const adjustments = data.adjustments.map((input, i): AppealAdjustment => {
    const field = `data.adjustments.${i}`;
    const criterion = requireCriterion(assessment, context.framework, input.criterionCode, `${field}.criterionCode`);
    return {
      criterionCode: input.criterionCode,
      answer: input.answer,
      points: pointsFor(criterion, input.answer, context.framework, field),
      previousPoints: effectivePointsOf(assessment.criteria[input.criterionCode]),
      reason: requireText(input.reason, `${field}.reason`, E.reasonRequired, 'a reason for each change'),
    };
  });
  return [{ type: 'AppealResolved', data: { ...base, outcome: 'revised', revision: assessment.revision + 1, adjustments } }];
}
