import type { PublishPeriod } from '../period.commands';
import { periodError, requireDate, requireText } from '../period.errors';
import type { PeriodPublished } from '../period.events';
import { requireOpenedPeriod, wrongState } from '../period.guards';
import type { PeriodState } from '../period.state';

export function publishPeriod(command: PublishPeriod, state: PeriodState): readonly PeriodPublished[] {
  const period = requireOpenedPeriod(state, command.data.periodId);
  if (period.status === 'published') {
    throw periodError('PERIOD.ALREADY_PUBLISHED', 'conflict', `published by ${period.publication.decisionNumber}; correct it instead`);
  }
  if (period.status !== 'self_assessment_closed') return wrongState(period, 'publish');
  return [
    {
      type: 'PeriodPublished',
      data: {
        periodId: period.periodId,
        decisionNumber: requireText(command.data.decisionNumber, 'data.decisionNumber'),
        decisionDate: requireDate(command.data.decisionDate, 'data.decisionDate'),
        publishedBy: command.metadata.actor,
        publishedAt: command.metadata.occurredAt,
      },
    },
  ];
}
