import { latestDecision } from './period.guards';
import type { PeriodState } from './period.state';

/** Decisions are dated in Vietnamese local time (UTC+7, no daylight saving). */
const LOCAL_OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The instant (ISO, UTC) at which the appeal window closes, exclusive: the end of the local day
 * `appealWindowDays` after the decision in force. A correction opens a new window, because it
 * changes results a unit may contest. Null until the period is published.
 */
export function appealWindowEndsAt(state: PeriodState): string | null {
  const decision = latestDecision(state);
  if (!decision || state.status === 'not_opened') return null;
  const localMidnight = Date.parse(`${decision.decisionDate}T00:00:00Z`) - LOCAL_OFFSET_MS;
  return new Date(localMidnight + (state.deadlines.appealWindowDays + 1) * DAY_MS).toISOString();
}

/** Every decision of the period, publication first: earlier ones stay readable after corrections. */
export function periodDecisions(state: PeriodState): readonly { decisionNumber: string; decisionDate: string; reason?: string }[] {
  return state.status === 'published' ? [state.publication, ...state.corrections] : [];
}

export { latestDecision };
