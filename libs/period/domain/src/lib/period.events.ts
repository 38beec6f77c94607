import type { DomainEvent } from '@tieuchi/shared/kernel';

export interface PinnedFramework {
  readonly id: string;
  readonly version: number;
}

export interface PeriodDeadlines {
  /** Last day (YYYY-MM-DD, local) on which units may submit. */
  readonly selfAssessment: string;
  /** Last day on which reviewers finish. */
  readonly review: string;
  /** Days after a publishing or correcting decision during which a unit may appeal. */
  readonly appealWindowDays: number;
}

export type PeriodOpened = DomainEvent<
  'PeriodOpened',
  {
    readonly periodId: string;
    readonly provinceCode: string;
    readonly year: number;
    readonly framework: PinnedFramework;
    readonly deadlines: PeriodDeadlines;
    readonly openedBy: string;
    readonly openedAt: string;
  }
>;

export type SelfAssessmentClosed = DomainEvent<
  'SelfAssessmentClosed',
  { readonly periodId: string; readonly closedBy: string; readonly closedAt: string }
>;

/** A unit of the period's province that the decision publishes without an approved assessment, and why. */
export interface PublicationExclusion {
  readonly unitCode: string;
  readonly unitName: string;
  readonly tier: string;
  readonly reason: string;
}

/** Schema 2 added `exclusions`; a stored schema-1 publication reads as excluding none (periodPublishedV1Upcaster). */
export type PeriodPublished = DomainEvent<
  'PeriodPublished',
  {
    readonly periodId: string;
    /** E.g. "47/QĐ-UBND". */
    readonly decisionNumber: string;
    readonly decisionDate: string;
    /** Every unit of the province's ranked tiers without an approved assessment: ranked as not assessed, with the reason. */
    readonly exclusions: readonly PublicationExclusion[];
    readonly publishedBy: string;
    readonly publishedAt: string;
  }
>;

/** A later decision; the publication it corrects stays in the stream and in the state. */
export type PeriodCorrected = DomainEvent<
  'PeriodCorrected',
  {
    readonly periodId: string;
    readonly decisionNumber: string;
    readonly decisionDate: string;
    readonly correctsDecision: string;
    readonly reason: string;
    readonly correctedBy: string;
    readonly correctedAt: string;
  }
>;

/**
 * An amendment of the pinned framework applies to this period (thresholds, a maximum, N/A). The
 * recalculation dispatcher reacts to it; assessments then record ScoresRecalculated naming it.
 */
export type FrameworkVersionPinned = DomainEvent<
  'FrameworkVersionPinned',
  {
    readonly periodId: string;
    readonly frameworkId: string;
    readonly previousVersion: number;
    readonly version: number;
    readonly cause: string;
    readonly decisionRef: string;
    readonly pinnedBy: string;
    readonly pinnedAt: string;
  }
>;

/**
 * An administrator moves a deadline later (never earlier): the deadlines are enforced, so this is
 * the one way a late unit or reviewer gets more time, and it stays on record with its reason.
 */
export type PeriodDeadlinesExtended = DomainEvent<
  'PeriodDeadlinesExtended',
  {
    readonly periodId: string;
    readonly previous: PeriodDeadlines;
    readonly deadlines: PeriodDeadlines;
    readonly reason: string;
    readonly extendedBy: string;
    readonly extendedAt: string;
  }
>;

export type PeriodEvent = PeriodOpened | SelfAssessmentClosed | PeriodPublished | PeriodCorrected | FrameworkVersionPinned | PeriodDeadlinesExtended;
