import { acted, authorizeStarted } from '../assessment.authorize';
import type { MarkCriterionNotApplicable } from '../assessment.commands';
import type { AssessmentContext } from '../assessment.context';
import { AssessmentErrorCode as E, requireText } from '../assessment.errors';
import type { CriterionScored } from '../assessment.events';
import { pointsFor, requireCriterion } from '../assessment.framework';
import type { AssessmentState } from '../assessment.state';
import { normalizeEvidence } from './normalize-evidence';
import { requireFlagged } from './require-flagged';

export function markCriterionNotApplicable(
  command: MarkCriterionNotApplicable,
  state: AssessmentState,
  context: AssessmentContext,
): readonly CriterionScored[] {
  const assessment = authorizeStarted(command, state, context);
  const { criterionCode } = command.data;
  const criterion = requireCriterion(assessment, context.framework, criterionCode);
  requireFlagged(assessment, criterionCode);
  // Excluding points changes the rescaled score of the whole part, so the unit must say why.
  const explanation = requireText(command.data.explanation, 'data.explanation', E.explanationRequired, 'an explanation');
  const answer = { kind: 'not_applicable' } as const;
  return [
    {
      type: 'CriterionScored',
      data: {
        ...acted(command),
        criterionCode,
        answer,
        points: pointsFor(criterion, answer, context.framework, 'data'),
        evidence: normalizeEvidence(command.data.evidence ?? []),
        explanation,
      },
    },
  ];
}
