import type { CorrectPeriod } from '../period.commands';
import { periodError, requireDate, requireText } from '../period.errors';
import type { PeriodCorrected } from '../period.events';
import { latestDecision, requireOpenedPeriod } from '../period.guards';
import type { PeriodState } from '../period.state';

export function correctPeriod(command: CorrectPeriod, state: PeriodState): readonly PeriodCorrected[] {
  const period = requireOpenedPeriod(state, command.data.periodId);
  const inForce = latestDecision(period);
  if (period.status !== 'published' || !inForce) {
    throw periodError('PERIOD.NOT_PUBLISHED', 'conflict', 'only a published period can be corrected');
  }
  const decisionNumber = requireText(command.data.decisionNumber, 'data.decisionNumber');
  const decisionDate = requireDate(command.data.decisionDate, 'data.decisionDate');
  const earlier = [period.publication, ...period.corrections];
  if (earlier.some((decision) => decision.decisionNumber === decisionNumber)) {
    throw periodError('PERIOD.DUPLICATE_DECISION', 'conflict', `decision ${decisionNumber} is already recorded`, 'data.decisionNumber');
  }
  if (decisionDate < inForce.decisionDate) {
    throw periodError(
      'PERIOD.DECISION_BEFORE_PUBLICATION',
      'validation',
      `a correction cannot predate ${inForce.decisionNumber} of ${inForce.decisionDate}`,
      'data.decisionDate',
    );
  }
  return [
    {
      type: 'PeriodCorrected',
      data: {
        periodId: period.periodId,
        decisionNumber,
        decisionDate,
        correctsDecision: inForce.decisionNumber,
        reason: requireText(command.data.reason, 'data.reason'),
        correctedBy: command.metadata.actor,
        correctedAt: command.metadata.occurredAt,
      },
    },
  ];
}
