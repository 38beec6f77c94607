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
  return endOfLocalDay(decision.decisionDate, state.deadlines.appealWindowDays);
}

/** The instant (ISO, UTC, exclusive) at which the local day `days` after `date` (YYYY-MM-DD) ends. */
export function endOfLocalDay(date: string, days = 0): string {
  const localMidnight = Date.parse(`${date}T00:00:00Z`) - LOCAL_OFFSET_MS;
  return new Date(localMidnight + (days + 1) * DAY_MS).toISOString();
}

/**
 * What assessment commands need to know of their period: its status, its province, when its
 * deadlines end (the end of the local day, exclusive) and the decision in force once published.
 */
export interface PeriodWindow {
  readonly status: 'open' | 'self_assessment_closed' | 'published';
  readonly provinceCode: string;
  readonly selfAssessmentEndsAt: string;
  readonly reviewEndsAt: string;
  readonly publication: PeriodPublicationWindow | null;
}

/** A decision of the period as assessment commands see it: its number and date, who recorded it and when. */
export interface PeriodWindowDecision {
  readonly decisionNumber: string;
  readonly decisionDate: string;
  readonly by: string;
  readonly at: string;
}

/**
 * The decision in force, with what tells which approved assessments the period's decisions publish:
 * every decision in order (publication first) and the units the publication named as not assessed.
 */
export interface PeriodPublicationWindow extends PeriodWindowDecision {
  readonly decisions: readonly PeriodWindowDecision[];
  readonly excludedUnitCodes: readonly string[];
}

export function periodWindow(state: PeriodState): PeriodWindow | null {
  if (state.status === 'not_opened') return null;
  const decision = latestDecision(state);
  return {
    status: state.status,
    provinceCode: state.provinceCode,
    selfAssessmentEndsAt: endOfLocalDay(state.deadlines.selfAssessment),
    reviewEndsAt: endOfLocalDay(state.deadlines.review),
    publication:
      state.status === 'published' && decision
        ? {
            decisionNumber: decision.decisionNumber,
            decisionDate: decision.decisionDate,
            by: state.publication.recordedBy,
            at: state.publication.recordedAt,
            decisions: [state.publication, ...state.corrections].map((d) => ({ decisionNumber: d.decisionNumber, decisionDate: d.decisionDate, by: d.recordedBy, at: d.recordedAt })),
            excludedUnitCodes: state.exclusions.map((exclusion) => exclusion.unitCode),
          }
        : null,
  };
}

/** Every decision of the period, publication first: earlier ones stay readable after corrections. */
export function periodDecisions(state: PeriodState): readonly { decisionNumber: string; decisionDate: string; reason?: string }[] {
  return state.status === 'published' ? [state.publication, ...state.corrections] : [];
}

export { latestDecision };
