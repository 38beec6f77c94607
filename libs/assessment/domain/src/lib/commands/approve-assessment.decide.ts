import { acted, authorizeStarted } from '../assessment.authorize';
import type { ApproveAssessment } from '../assessment.commands';
import type { AssessmentContext } from '../assessment.context';
import { AssessmentErrorCode as E, assessmentError } from '../assessment.errors';
import type { AssessmentApproved } from '../assessment.events';
import type { AssessmentState } from '../assessment.state';

export function approveAssessment(
  command: ApproveAssessment,
  state: AssessmentState,
  context: AssessmentContext,
): readonly AssessmentApproved[] {
  const assessment = authorizeStarted(command, state, context);
  if (command.data.revision !== assessment.revision) {
    throw assessmentError(
      E.staleRevision,
      'conflict',
      `revision ${command.data.revision} is not the current revision ${assessment.revision}`,
      'data.revision',
      { currentRevision: assessment.revision },
    );
  }
  return [{ type: 'AssessmentApproved', data: { ...acted(command), revision: assessment.revision } }];
}
