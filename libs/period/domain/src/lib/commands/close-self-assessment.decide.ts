import type { CloseSelfAssessment } from '../period.commands';
import type { SelfAssessmentClosed } from '../period.events';
import { requireOpenedPeriod, wrongState } from '../period.guards';
import type { PeriodState } from '../period.state';

export function closeSelfAssessment(command: CloseSelfAssessment, state: PeriodState): readonly SelfAssessmentClosed[] {
  const period = requireOpenedPeriod(state, command.data.periodId);
  if (period.status !== 'open') return wrongState(period, 'close self-assessment of');
  return [
    {
      type: 'SelfAssessmentClosed',
      data: { periodId: period.periodId, closedBy: command.metadata.actor, closedAt: command.metadata.occurredAt },
    },
  ];
}
