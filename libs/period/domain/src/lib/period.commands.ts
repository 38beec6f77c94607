import type { Command } from '@tieuchi/shared/kernel';
import type { PeriodDeadlines, PinnedFramework } from './period.events';

export type OpenPeriod = Command<
  'OpenPeriod',
  {
    readonly periodId: string;
    readonly provinceCode: string;
    readonly year: number;
    readonly framework: PinnedFramework;
    readonly deadlines: PeriodDeadlines;
  }
>;

export type CloseSelfAssessment = Command<'CloseSelfAssessment', { readonly periodId: string }>;

/** A unit the publishing administrator names as published without an approved assessment. */
export interface ExcludedUnit {
  readonly unitCode: string;
  readonly reason: string;
}

/** A unit of the period's province and ranked tiers whose assessment in the period is not approved (or not started). */
export interface UnitWithoutApproval {
  readonly unitCode: string;
  readonly unitName: string;
  readonly tier: string;
  /** The assessment's status, `not_started` when there is none. */
  readonly status: string;
}

export type PublishPeriod = Command<
  'PublishPeriod',
  {
    readonly periodId: string;
    readonly decisionNumber: string;
    readonly decisionDate: string;
    /** What the administrator excludes, with reasons. */
    readonly exclusions: readonly ExcludedUnit[];
    /** What the command handler found at the moment of the decision: the units each exclusion must cover. */
    readonly unitsWithoutApproval: readonly UnitWithoutApproval[];
  }
>;

export type CorrectPeriod = Command<
  'CorrectPeriod',
  { readonly periodId: string; readonly decisionNumber: string; readonly decisionDate: string; readonly reason: string }
>;

export type PinFrameworkVersion = Command<
  'PinFrameworkVersion',
  {
    readonly periodId: string;
    readonly frameworkId: string;
    readonly version: number;
    readonly cause: string;
    readonly decisionRef: string;
  }
>;

/** New last days (YYYY-MM-DD); an omitted one stays as it is. */
export type ExtendDeadlines = Command<
  'ExtendDeadlines',
  { readonly periodId: string; readonly selfAssessment?: string; readonly review?: string; readonly reason: string }
>;

export type PeriodCommand = OpenPeriod | CloseSelfAssessment | PublishPeriod | CorrectPeriod | PinFrameworkVersion | ExtendDeadlines;
