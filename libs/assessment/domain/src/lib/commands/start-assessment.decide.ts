import { acted, authorize } from '../assessment.authorize';
import type { StartAssessment } from '../assessment.commands';
import type { AssessmentContext } from '../assessment.context';
import { AssessmentErrorCode as E, requireText } from '../assessment.errors';
import type { AssessmentStarted } from '../assessment.events';
import { tierCriteria } from '../assessment.framework';
import { requireUnitMember } from '../assessment.guards';
import type { AssessmentState } from '../assessment.state';

export function startAssessment(
  command: StartAssessment,
  state: AssessmentState,
  context: AssessmentContext,
): readonly AssessmentStarted[] {
  authorize(command, state, context);
  const { actor, framework } = context;
  const unitCode = requireText(command.data.unitCode, 'data.unitCode', E.fieldRequired, 'a unit code');
  // Administrators open assessments for every unit of a period; anyone else only for their own unit.
  if (!actor.roles.includes('administrator')) requireUnitMember(actor, unitCode, ['unit_editor', 'unit_lead'], 'starting an assessment');
  tierCriteria(framework, command.data.tier);
  return [
    {
      type: 'AssessmentStarted',
      data: {
        ...acted(command),
        periodId: requireText(command.data.periodId, 'data.periodId', E.fieldRequired, 'a period id'),
        unitCode,
        tier: command.data.tier,
        frameworkId: framework.id,
        frameworkVersion: framework.version,
      },
    },
  ];
}
