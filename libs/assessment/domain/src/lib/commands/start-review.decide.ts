import { acted, authorizeStarted } from '../assessment.authorize';
import type { StartReview } from '../assessment.commands';
import type { AssessmentContext } from '../assessment.context';
import type { ReviewStarted } from '../assessment.events';
import type { AssessmentState } from '../assessment.state';

export function startReview(command: StartReview, state: AssessmentState, context: AssessmentContext): readonly ReviewStarted[] {
  const assessment = authorizeStarted(command, state, context);
  return [{ type: 'ReviewStarted', data: { ...acted(command), revision: assessment.revision } }];
}
