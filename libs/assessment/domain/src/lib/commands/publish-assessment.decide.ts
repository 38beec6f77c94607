import { acted, authorizeStarted } from '../assessment.authorize';
import type { PublishAssessment } from '../assessment.commands';
import type { AssessmentContext } from '../assessment.context';
import { AssessmentErrorCode as E, assessmentError, requireText } from '../assessment.errors';
import type { AssessmentPublished } from '../assessment.events';
import type { AssessmentState } from '../assessment.state';

export function publishAssessment(
  command: PublishAssessment,
  state: AssessmentState,
  context: AssessmentContext,
): readonly AssessmentPublished[] {
  const assessment = authorizeStarted(command, state, context);
  const { periodId, decisionDate } = command.data;
  if (periodId !== assessment.periodId) {
    throw assessmentError(E.periodMismatch, 'validation', `the assessment belongs to ${assessment.periodId}`, 'data.periodId');
  }
  return [
    {
      type: 'AssessmentPublished',
      data: {
        ...acted(command),
        revision: assessment.revision,
        periodId,
        decisionNumber: requireText(command.data.decisionNumber, 'data.decisionNumber', E.fieldRequired, 'a decision number'),
        decisionDate,
      },
    },
  ];
}
