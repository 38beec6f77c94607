import { acted, authorizeStarted } from '../assessment.authorize';
import type { ReopenReview } from '../assessment.commands';
import type { AssessmentContext } from '../assessment.context';
import { AssessmentErrorCode as E, requireText } from '../assessment.errors';
import type { ReviewReopened } from '../assessment.events';
import type { AssessmentState } from '../assessment.state';

/**
 * A reviewer takes back a completed review while it awaits approval (a mistake found, evidence
 * that arrived late), instead of asking the approver to send it back. Approval needs the revision
 * that completing the review again makes, so nothing approved can predate the reopening.
 */
export function reopenReview(command: ReopenReview, state: AssessmentState, context: AssessmentContext): readonly ReviewReopened[] {
  const assessment = authorizeStarted(command, state, context);
  const reason = requireText(command.data.reason, 'data.reason', E.reasonRequired, 'a reason for reopening the review');
  return [{ type: 'ReviewReopened', data: { ...acted(command), revision: assessment.revision, reason } }];
}
