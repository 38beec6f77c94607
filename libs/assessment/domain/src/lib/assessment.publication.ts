import type { PeriodWindow, PeriodWindowDecision } from '@tieuchi/period/domain';
import type { AssessmentStatus } from './assessment.state';

/** What the rule reads of an assessment: the state, or a read model's row of it. */
export interface PublishableAssessment {
  readonly status: AssessmentStatus | 'not_started';
  readonly unitCode?: string;
  readonly approval?: { readonly at: string } | null;
}

/**
 * Publication is one moment (R-PUBLISHED, docs/rules.en.md): an approved assessment is published from the
 * instant a decision of its period covers it, before the process records that on its stream. The
 * publication covers the units it did not name as not assessed; a later correction covers every
 * assessment approved before it. Returns that decision, or null while the assessment is not published by one.
 */
export function publishingDecision(state: PublishableAssessment, period: PeriodWindow | null): PeriodWindowDecision | null {
  if (state.status !== 'approved' || !state.approval || state.unitCode === undefined || !period?.publication) return null;
  const { decisions, excludedUnitCodes } = period.publication;
  const approvedAt = Date.parse(state.approval.at);
  const excluded = excludedUnitCodes.includes(state.unitCode);
  return decisions.find((decision, index) => (index > 0 || !excluded) && approvedAt <= Date.parse(decision.at)) ?? null;
}

/** The status every reader shows: an approved assessment a decision already covers reads as published. */
export function statusWithPeriod(state: PublishableAssessment, period: PeriodWindow | null): AssessmentStatus | 'not_started' {
  return publishingDecision(state, period) ? 'published' : state.status;
}
