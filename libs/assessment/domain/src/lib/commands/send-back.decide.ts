import { acted, authorizeStarted } from '../assessment.authorize';
import type { SendBack } from '../assessment.commands';
import type { AssessmentContext } from '../assessment.context';
import { AssessmentErrorCode as E, requireText } from '../assessment.errors';
import type { AssessmentSentBack } from '../assessment.events';
import type { AssessmentState } from '../assessment.state';

/** The approver returns the review (not the form) to the reviewers. */
export function sendBack(command: SendBack, state: AssessmentState, context: AssessmentContext): readonly AssessmentSentBack[] {
  const assessment = authorizeStarted(command, state, context);
  const comment = requireText(command.data.comment, 'data.comment', E.commentRequired, 'a comment to the reviewers');
  return [{ type: 'AssessmentSentBack', data: { ...acted(command), revision: assessment.revision, comment } }];
}
