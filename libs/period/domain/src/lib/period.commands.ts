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

export type PublishPeriod = Command<
  'PublishPeriod',
  { readonly periodId: string; readonly decisionNumber: string; readonly decisionDate: string }
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
