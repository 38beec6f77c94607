import { acted, authorizeStarted } from '../assessment.authorize';
import type { ScoreCriterion } from '../assessment.commands';
import type { AssessmentContext } from '../assessment.context';
import { AssessmentErrorCode as E, requireText } from '../assessment.errors';
import type { CriterionScored } from '../assessment.events';
import { pointsFor, requireCriterion } from '../assessment.framework';
import type { AssessmentState } from '../assessment.state';
import { normalizeEvidence } from './normalize-evidence';
import { requireFlagged } from './require-flagged';

export function scoreCriterion(
  command: ScoreCriterion,
  state: AssessmentState,
  context: AssessmentContext,
): readonly CriterionScored[] {
  const assessment = authorizeStarted(command, state, context);
  const { criterionCode, answer, evidence, explanation } = command.data;
  const criterion = requireCriterion(assessment, context.framework, criterionCode);
  requireFlagged(assessment, criterionCode);
  const points = pointsFor(criterion, answer, context.framework, 'data');
  // One rule for both ways of marking N/A: excluding points rescales the part, so say why.
  if (answer.kind === 'not_applicable') requireText(explanation, 'data.explanation', E.explanationRequired, 'an explanation of why the criterion does not apply');
  return [
    {
      type: 'CriterionScored',
      data: {
        ...acted(command),
        criterionCode,
        answer,
        points,
        evidence: normalizeEvidence(evidence),
        explanation: explanation?.trim() || null,
      },
    },
  ];
}
