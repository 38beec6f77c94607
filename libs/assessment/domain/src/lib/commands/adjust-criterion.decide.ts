import { acted, authorizeStarted } from '../assessment.authorize';
import type { AdjustCriterion } from '../assessment.commands';
import type { AssessmentContext } from '../assessment.context';
import { AssessmentErrorCode as E, requireText } from '../assessment.errors';
import type { CriterionAdjusted } from '../assessment.events';
import { pointsFor, requireCriterion } from '../assessment.framework';
import type { AssessmentState } from '../assessment.state';

export function adjustCriterion(
  command: AdjustCriterion,
  state: AssessmentState,
  context: AssessmentContext,
): readonly CriterionAdjusted[] {
  const assessment = authorizeStarted(command, state, context);
  const { criterionCode, answer } = command.data;
  const criterion = requireCriterion(assessment, context.framework, criterionCode);
  const reason = requireText(command.data.reason, 'data.reason', E.reasonRequired, 'a reason for the adjustment');
  return [
    {
      type: 'CriterionAdjusted',
      data: {
        ...acted(command),
        criterionCode,
        answer,
        points: pointsFor(criterion, answer, context.framework, 'data'),
        selfPoints: assessment.criteria[criterionCode]?.self?.points ?? null,
        reason,
      },
    },
  ];
}
