import type { PeriodDeadlines, PinnedFramework, PublicationExclusion } from './period.events';

export interface PeriodDecision {
  readonly decisionNumber: string;
  readonly decisionDate: string;
  readonly recordedBy: string;
  readonly recordedAt: string;
  /** Absent on the publication itself; the reason of a correction. */
  readonly reason?: string;
}

export interface FrameworkPin extends PinnedFramework {
  readonly cause: string | null;
  readonly decisionRef: string | null;
  readonly pinnedAt: string;
}

export interface PeriodDetails {
  readonly periodId: string;
  readonly provinceCode: string;
  readonly year: number;
  /** The version in force now; `frameworkPins` keeps every earlier one. */
  readonly framework: PinnedFramework;
  readonly frameworkPins: readonly FrameworkPin[];
  readonly deadlines: PeriodDeadlines;
  readonly selfAssessmentClosedAt: string | null;
}

export interface PublishedPeriodDetails extends PeriodDetails {
  readonly publication: PeriodDecision;
  /** The units the publication named as not assessed, with reasons. */
  readonly exclusions: readonly PublicationExclusion[];
  readonly corrections: readonly PeriodDecision[];
}

export type PeriodState =
  | { readonly status: 'not_opened' }
  | (PeriodDetails & { readonly status: 'open' })
  | (PeriodDetails & { readonly status: 'self_assessment_closed' })
  | (PublishedPeriodDetails & { readonly status: 'published' });

export const initialPeriodState = (): PeriodState => ({ status: 'not_opened' });

/** One stream per period, e.g. `period-daknong-2019` (persisted name: never change). */
export function periodStreamId(periodId: string): string {
  return `period-${periodId}`;
}
