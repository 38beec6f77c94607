import { acted, authorizeStarted } from '../assessment.authorize';
import type { AppealAssessment } from '../assessment.commands';
import type { AssessmentContext } from '../assessment.context';
import { AssessmentErrorCode as E, requireText } from '../assessment.errors';
import type { AssessmentAppealed } from '../assessment.events';
import { requireCriterion } from '../assessment.framework';
import type { AssessmentState } from '../assessment.state';

/** The window is checked by the guard against metadata.occurredAt and the context's window end. */
export function appealAssessment(
  command: AppealAssessment,
  state: AssessmentState,
  context: AssessmentContext,
): readonly AssessmentAppealed[] {
  const assessment = authorizeStarted(command, state, context);
  const reason = requireText(command.data.reason, 'data.reason', E.reasonRequired, 'a reason for the appeal');
  const criteriaCodes = [...new Set(command.data.criteriaCodes ?? [])];
  criteriaCodes.forEach((code, i) => requireCriterion(assessment, context.framework, code, `data.criteriaCodes.${i}`));
  return [{ type: 'AssessmentAppealed', data: { ...acted(command), revision: assessment.revision, reason, criteriaCodes } }];
}
