import type { OpenPeriod } from '../period.commands';
import { periodError, requireDate, requireText } from '../period.errors';
import type { PeriodOpened } from '../period.events';
import type { PeriodState } from '../period.state';

export function openPeriod(command: OpenPeriod, state: PeriodState): readonly PeriodOpened[] {
  const { data, metadata } = command;
  if (state.status !== 'not_opened') {
    throw periodError('PERIOD.ALREADY_OPENED', 'conflict', `period ${state.periodId} is already opened`, 'data.periodId');
  }
  if (!Number.isInteger(data.year) || data.year < 1900) {
    throw periodError('PERIOD.INVALID_YEAR', 'validation', 'year must be a calendar year', 'data.year');
  }
  if (!Number.isInteger(data.framework.version) || data.framework.version < 1) {
    throw periodError('PERIOD.FIELD_REQUIRED', 'validation', 'a published framework version is required', 'data.framework.version');
  }
  const selfAssessment = requireDate(data.deadlines.selfAssessment, 'data.deadlines.selfAssessment');
  const review = requireDate(data.deadlines.review, 'data.deadlines.review');
  // ISO dates compare as strings; review cannot end before units have submitted.
  if (review < selfAssessment) {
    const message = 'the review deadline precedes the self-assessment deadline';
    throw periodError('PERIOD.INVALID_DEADLINES', 'validation', message, 'data.deadlines.review');
  }
  const { appealWindowDays } = data.deadlines;
  if (!Number.isInteger(appealWindowDays) || appealWindowDays < 0) {
    const message = 'the appeal window is a whole number of days';
    throw periodError('PERIOD.INVALID_DEADLINES', 'validation', message, 'data.deadlines.appealWindowDays');
  }
  return [
    {
      type: 'PeriodOpened',
      data: {
        periodId: requireText(data.periodId, 'data.periodId'),
        provinceCode: requireText(data.provinceCode, 'data.provinceCode'),
        year: data.year,
        framework: { id: requireText(data.framework.id, 'data.framework.id'), version: data.framework.version },
        deadlines: { selfAssessment, review, appealWindowDays },
        openedBy: metadata.actor,
        openedAt: metadata.occurredAt,
      },
    },
  ];
}
