import { assertNever, type Decider } from '@tieuchi/shared/kernel';
import type { AssessmentCommand } from './assessment.commands';
import type { AssessmentContext } from './assessment.context';
import type { AssessmentEvent } from './assessment.events';
import { evolveAssessment } from './assessment.evolve';
import { initialAssessmentState, type AssessmentState } from './assessment.state';
import { acceptCriterion } from './commands/accept-criterion.decide';
import { adjustCriterion } from './commands/adjust-criterion.decide';
import { appealAssessment } from './commands/appeal-assessment.decide';
import { approveAssessment } from './commands/approve-assessment.decide';
import { completeReview } from './commands/complete-review.decide';
import { markCriterionNotApplicable } from './commands/mark-criterion-not-applicable.decide';
import { publishAssessment } from './commands/publish-assessment.decide';
import { reopenReview } from './commands/reopen-review.decide';
import { recordScoresRecalculated } from './commands/record-scores-recalculated.decide';
import { resolveAppeal } from './commands/resolve-appeal.decide';
import { resubmitAssessment } from './commands/resubmit-assessment.decide';
import { returnAssessment } from './commands/return-assessment.decide';
import { scoreCriterion } from './commands/score-criterion.decide';
import { sendBack } from './commands/send-back.decide';
import { startAssessment } from './commands/start-assessment.decide';
import { startReview } from './commands/start-review.decide';
import { submitAssessment } from './commands/submit-assessment.decide';
import { withdrawSubmission } from './commands/withdraw-submission.decide';

/** Pure: the context (actor roles, pinned framework, appeal window) is loaded by the handler. */
export function decideAssessment(
  command: AssessmentCommand,
  state: AssessmentState,
  context: AssessmentContext,
): readonly AssessmentEvent[] {
  switch (command.type) {
    case 'StartAssessment':
      return startAssessment(command, state, context);
    case 'ScoreCriterion':
      return scoreCriterion(command, state, context);
    case 'MarkCriterionNotApplicable':
      return markCriterionNotApplicable(command, state, context);
    case 'SubmitAssessment':
      return submitAssessment(command, state, context);
    case 'WithdrawSubmission':
      return withdrawSubmission(command, state, context);
    case 'StartReview':
      return startReview(command, state, context);
    case 'AcceptCriterion':
      return acceptCriterion(command, state, context);
    case 'AdjustCriterion':
      return adjustCriterion(command, state, context);
    case 'ReturnAssessment':
      return returnAssessment(command, state, context);
    case 'ResubmitAssessment':
      return resubmitAssessment(command, state, context);
    case 'CompleteReview':
      return completeReview(command, state, context);
    case 'ApproveAssessment':
      return approveAssessment(command, state, context);
    case 'SendBack':
      return sendBack(command, state, context);
    case 'ReopenReview':
      return reopenReview(command, state, context);
    case 'PublishAssessment':
      return publishAssessment(command, state, context);
    case 'AppealAssessment':
      return appealAssessment(command, state, context);
    case 'ResolveAppeal':
      return resolveAppeal(command, state, context);
    case 'RecordScoresRecalculated':
      return recordScoresRecalculated(command, state, context);
    default:
      return assertNever(command, 'assessment command');
  }
}

/** The kernel's Decider shape, with one command's context bound in. */
export function assessmentDecider(context: AssessmentContext): Decider<AssessmentState, AssessmentCommand, AssessmentEvent> {
  return {
    decide: (command, state) => decideAssessment(command, state, context),
    evolve: evolveAssessment,
    initialState: initialAssessmentState,
  };
}

export { evolveAssessment, initialAssessmentState };
