import { assertNever } from '@tieuchi/shared/kernel';
import { periodError } from './period.errors';
import type { PeriodState } from './period.state';

export type OpenedPeriodState = Exclude<PeriodState, { status: 'not_opened' }>;

export function requireOpenedPeriod(state: PeriodState, periodId: string): OpenedPeriodState {
  if (state.status === 'not_opened') {
    throw periodError('PERIOD.NOT_FOUND', 'not_found', `period ${periodId} is not opened`, 'data.periodId');
  }
  if (state.periodId !== periodId) {
    throw periodError('PERIOD.ID_MISMATCH', 'validation', `command names ${periodId}, the stream is ${state.periodId}`, 'data.periodId');
  }
  return state;
}

export function wrongState(state: OpenedPeriodState, action: string): never {
  throw periodError('PERIOD.WRONG_STATE', 'conflict', `cannot ${action} a period that is ${state.status}`, undefined, {
    status: state.status,
  });
}

/** The decision that is in force: the last correction, or the publication. */
export function latestDecision(state: PeriodState): { decisionNumber: string; decisionDate: string } | null {
  switch (state.status) {
    case 'not_opened':
    case 'open':
    case 'self_assessment_closed':
      return null;
    case 'published':
      return state.corrections.at(-1) ?? state.publication;
    default:
      return assertNever(state, 'period status');
  }
}
