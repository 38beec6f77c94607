import { acted, authorizeStarted } from '../assessment.authorize';
import type { AcceptCriterion } from '../assessment.commands';
import type { AssessmentContext } from '../assessment.context';
import { AssessmentErrorCode as E, assessmentError } from '../assessment.errors';
import type { CriterionAccepted } from '../assessment.events';
import { requireCriterion } from '../assessment.framework';
import type { AssessmentState } from '../assessment.state';

export function acceptCriterion(
  command: AcceptCriterion,
  state: AssessmentState,
  context: AssessmentContext,
): readonly CriterionAccepted[] {
  const assessment = authorizeStarted(command, state, context);
  const { criterionCode } = command.data;
  requireCriterion(assessment, context.framework, criterionCode);
  const self = assessment.criteria[criterionCode]?.self;
  if (!self) {
    throw assessmentError(E.unansweredCriteria, 'conflict', `criterion ${criterionCode} has no self score to accept`, 'data.criterionCode');
  }
  return [{ type: 'CriterionAccepted', data: { ...acted(command), criterionCode, answer: self.answer, points: self.points } }];
}
