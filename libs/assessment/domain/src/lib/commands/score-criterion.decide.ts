import { acted, authorizeStarted } from '../assessment.authorize';
import type { ScoreCriterion } from '../assessment.commands';
import type { AssessmentContext } from '../assessment.context';
import type { CriterionScored } from '../assessment.events';
import { pointsFor, requireCriterion } from '../assessment.framework';
import type { AssessmentState } from '../assessment.state';
import { requireFlagged } from './require-flagged';

export function scoreCriterion(
  command: ScoreCriterion,
  state: AssessmentState,
  context: AssessmentContext,
): readonly CriterionScored[] {
  const assessment = authorizeStarted(command, state, context);
  const { criterionCode, answer, evidenceRefs, explanation } = command.data;
  const criterion = requireCriterion(assessment, context.framework, criterionCode);
  requireFlagged(assessment, criterionCode);
  const points = pointsFor(criterion, answer, context.framework, 'data');
  return [
    {
      type: 'CriterionScored',
      data: {
        ...acted(command),
        criterionCode,
        answer,
        points,
        evidenceRefs: evidenceRefs.map((ref) => ref.trim()).filter((ref) => ref !== ''),
        explanation: explanation?.trim() || null,
      },
    },
  ];
}
