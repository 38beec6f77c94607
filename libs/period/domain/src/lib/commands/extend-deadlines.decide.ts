import type { ExtendDeadlines } from '../period.commands';
import { periodError, requireDate, requireText } from '../period.errors';
import type { PeriodDeadlinesExtended } from '../period.events';
import { requireOpenedPeriod, wrongState } from '../period.guards';
import type { PeriodState } from '../period.state';

/** Deadlines only move later, and only before publication: after it the results are a decision. */
export function extendDeadlines(command: ExtendDeadlines, state: PeriodState): readonly PeriodDeadlinesExtended[] {
  const period = requireOpenedPeriod(state, command.data.periodId);
  if (period.status === 'published') return wrongState(period, 'extend the deadlines of');
  const previous = period.deadlines;
  const selfAssessment = command.data.selfAssessment === undefined ? previous.selfAssessment : requireDate(command.data.selfAssessment, 'data.selfAssessment');
  const review = command.data.review === undefined ? previous.review : requireDate(command.data.review, 'data.review');
  if (command.data.selfAssessment === undefined && command.data.review === undefined) {
    throw periodError('PERIOD.FIELD_REQUIRED', 'validation', 'name the selfAssessment or the review deadline to extend', 'data.selfAssessment');
  }
  if (selfAssessment < previous.selfAssessment) {
    throw periodError('PERIOD.INVALID_DEADLINES', 'validation', `a deadline only moves later than ${previous.selfAssessment}`, 'data.selfAssessment');
  }
  if (review < previous.review) {
    throw periodError('PERIOD.INVALID_DEADLINES', 'validation', `a deadline only moves later than ${previous.review}`, 'data.review');
  }
  if (review < selfAssessment) {
    throw periodError('PERIOD.INVALID_DEADLINES', 'validation', 'the review deadline precedes the self-assessment deadline', 'data.review');
  }
  const reason = requireText(command.data.reason, 'data.reason');
  return [
    {
      type: 'PeriodDeadlinesExtended',
      data: {
        periodId: period.periodId,
        previous,
        deadlines: { ...previous, selfAssessment, review },
        reason,
        extendedBy: command.metadata.actor,
        extendedAt: command.metadata.occurredAt,
      },
    },
  ];
}
