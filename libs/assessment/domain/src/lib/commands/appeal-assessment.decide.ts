import { acted, authorizeStarted } from '../assessment.authorize';
import type { AppealAssessment } from '../assessment.commands';
import type { AssessmentContext } from '../assessment.context';
import { AssessmentErrorCode as E, requireText } from '../assessment.errors';
import type { AssessmentAppealed, AssessmentPublished } from '../assessment.events';
import { requireCriterion } from '../assessment.framework';
import { publishingDecision } from '../assessment.publication';
import type { AssessmentState } from '../assessment.state';

/** The window is checked by the guard against metadata.occurredAt and the context's window end. */
export function appealAssessment(
  command: AppealAssessment,
  state: AssessmentState,
  context: AssessmentContext,
): readonly (AssessmentPublished | AssessmentAppealed)[] {
  const assessment = authorizeStarted(command, state, context);
  const reason = requireText(command.data.reason, 'data.reason', E.reasonRequired, 'a reason for the appeal');
  const criteriaCodes = [...new Set(command.data.criteriaCodes ?? [])];
  criteriaCodes.forEach((code, i) => requireCriterion(assessment, context.framework, code, `data.criteriaCodes.${i}`));
  const appealed: AssessmentAppealed = { type: 'AssessmentAppealed', data: { ...acted(command), revision: assessment.revision, reason, criteriaCodes } };
  // The guard let an approved assessment through only because a decision of its period covers it:
  // record that publication (by whom and when the period made it) before the appeal.
  const decision = publishingDecision(assessment, context.period);
  if (decision === null) return [appealed];
  const published: AssessmentPublished = {
    type: 'AssessmentPublished',
    data: {
      by: decision.by,
      at: decision.at,
      revision: assessment.revision,
      periodId: assessment.periodId,
      decisionNumber: decision.decisionNumber,
      decisionDate: decision.decisionDate,
    },
  };
  return [published, appealed];
}
