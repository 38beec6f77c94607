import { acted, authorizeStarted } from '../assessment.authorize';
import type { WithdrawSubmission } from '../assessment.commands';
import type { AssessmentContext } from '../assessment.context';
import type { SubmissionWithdrawn } from '../assessment.events';
import type { AssessmentState } from '../assessment.state';

/** Before review starts only; a withdrawn first submission goes back to draft, a resubmission to returned. */
export function withdrawSubmission(
  command: WithdrawSubmission,
  state: AssessmentState,
  context: AssessmentContext,
): readonly SubmissionWithdrawn[] {
  const assessment = authorizeStarted(command, state, context);
  return [{ type: 'SubmissionWithdrawn', data: { ...acted(command), revision: assessment.revision } }];
}
