import type { CriterionAnswer, GroupShare } from '@tieuchi/framework/domain';
import type { DomainEvent } from '@tieuchi/shared/kernel';
import type { EvidenceRecord } from './assessment.evidence';

/**
 * Events carry who acted and when in their data (copied from the command's metadata), so that the
 * state, and every read model folded from it, can say who scored, reviewed or approved what.
 */
export interface Acted {
  readonly by: string;
  readonly at: string;
}

export type AssessmentStarted = DomainEvent<
  'AssessmentStarted',
  Acted & {
    readonly periodId: string;
    readonly unitCode: string;
    readonly tier: string;
    readonly frameworkId: string;
    readonly frameworkVersion: number;
  }
>;

/**
 * A self-assessed answer (điểm tự chấm); `points` is null when the criterion is not applicable.
 * Schema 2: `evidence` records (name, size, media type, SHA-256) replaced schema 1's `evidenceRefs` strings.
 */
export type CriterionScored = DomainEvent<
  'CriterionScored',
  Acted & {
    readonly criterionCode: string;
    readonly answer: CriterionAnswer;
    readonly points: number | null;
    readonly evidence: readonly EvidenceRecord[];
    readonly explanation: string | null;
  }
>;

export type AssessmentSubmitted = DomainEvent<'AssessmentSubmitted', Acted & { readonly revision: number }>;

export type SubmissionWithdrawn = DomainEvent<'SubmissionWithdrawn', Acted & { readonly revision: number }>;

export type ReviewStarted = DomainEvent<'ReviewStarted', Acted & { readonly revision: number }>;

export type CriterionAccepted = DomainEvent<
  'CriterionAccepted',
  Acted & { readonly criterionCode: string; readonly answer: CriterionAnswer; readonly points: number | null }
>;

/** A reviewed score (điểm thẩm định) that differs from the self score, with the reviewer's reason. */
export type CriterionAdjusted = DomainEvent<
  'CriterionAdjusted',
  Acted & {
    readonly criterionCode: string;
    readonly answer: CriterionAnswer;
    readonly points: number | null;
    readonly selfPoints: number | null;
    readonly reason: string;
  }
>;

export type AssessmentReturned = DomainEvent<
  'AssessmentReturned',
  Acted & { readonly revision: number; readonly comment: string; readonly flaggedCriteria: readonly string[] }
>;

export type AssessmentResubmitted = DomainEvent<
  'AssessmentResubmitted',
  Acted & { readonly revision: number; readonly previousRevision: number }
>;

export type ReviewCompleted = DomainEvent<'ReviewCompleted', Acted & { readonly revision: number }>;

export type AssessmentApproved = DomainEvent<'AssessmentApproved', Acted & { readonly revision: number }>;

export type AssessmentSentBack = DomainEvent<'AssessmentSentBack', Acted & { readonly revision: number; readonly comment: string }>;

/** The review is under way again, at the same revision: completing it anew makes the next one. */
export type ReviewReopened = DomainEvent<'ReviewReopened', Acted & { readonly revision: number; readonly reason: string }>;

export type AssessmentPublished = DomainEvent<
  'AssessmentPublished',
  Acted & { readonly revision: number; readonly periodId: string; readonly decisionNumber: string; readonly decisionDate: string }
>;

export type AssessmentAppealed = DomainEvent<
  'AssessmentAppealed',
  Acted & { readonly revision: number; readonly reason: string; readonly criteriaCodes: readonly string[] }
>;

export interface AppealAdjustment {
  readonly criterionCode: string;
  readonly answer: CriterionAnswer;
  readonly points: number | null;
  readonly previousPoints: number | null;
  readonly reason: string;
}

/** `revised` makes a new revision; the appealed one stays in the revision history. */
export type AppealResolved = DomainEvent<
  'AppealResolved',
  Acted & {
    readonly outcome: 'upheld' | 'revised';
    readonly reason: string;
    readonly appealedRevision: number;
    readonly revision: number;
    readonly adjustments: readonly AppealAdjustment[];
  }
>;

export interface RecalculationCause {
  /** E.g. `framework_amended`; free text so that new causes need no schema change. */
  readonly kind: string;
  readonly frameworkId: string;
  readonly frameworkVersion: number;
  /** The amending decision, e.g. "12/QĐ-STTTT". */
  readonly decisionRef: string | null;
  /** The event that triggered the recalculation (the job id derives from it). */
  readonly sourceEventId: string | null;
}

export interface PartRecalculation {
  readonly partCode: string;
  /** The score that is banded and ranked (rescaled where the framework rescales), before and after. */
  readonly oldTotal: number;
  readonly newTotal: number;
  /** Null when unranked. */
  readonly oldLevel: string | null;
  readonly newLevel: string | null;
  /**
   * The rest of the part's new figures, as the assessment views show it. Recorded by recalculation
   * jobs so that a read model need not score the answers again; absent from earlier events.
   */
  readonly newFigures?: PartFigures;
}

export interface PartFigures {
  readonly maxPoints: number;
  /** Points earned, before any rescaling. */
  readonly total: number;
  /** What the part's not-applicable criteria were worth. */
  readonly excludedPoints: number;
  /** Criteria without an answer. */
  readonly unanswered: number;
  /** Each group's share, which bands with group minimums read: a threshold amendment bands anew from these. Absent from earlier events. */
  readonly groupShares?: readonly GroupShare[];
}

/** Recalculated scores are new facts naming their cause: nothing earlier is overwritten. */
export type ScoresRecalculated = DomainEvent<
  'ScoresRecalculated',
  Acted & { readonly revision: number; readonly cause: RecalculationCause; readonly parts: readonly PartRecalculation[] }
>;

export type AssessmentEvent =
  | AssessmentStarted
  | CriterionScored
  | AssessmentSubmitted
  | SubmissionWithdrawn
  | ReviewStarted
  | CriterionAccepted
  | CriterionAdjusted
  | AssessmentReturned
  | AssessmentResubmitted
  | ReviewCompleted
  | AssessmentApproved
  | AssessmentSentBack
  | ReviewReopened
  | AssessmentPublished
  | AssessmentAppealed
  | AppealResolved
  | ScoresRecalculated;

/** Every assessment event type, so that a reader of the global feed can tell an assessment event by its type alone. */
const assessmentEventTypes: Readonly<Record<AssessmentEvent['type'], true>> = {
  AssessmentStarted: true,
  CriterionScored: true,
  AssessmentSubmitted: true,
  SubmissionWithdrawn: true,
  ReviewStarted: true,
  CriterionAccepted: true,
  CriterionAdjusted: true,
  AssessmentReturned: true,
  AssessmentResubmitted: true,
  ReviewCompleted: true,
  AssessmentApproved: true,
  AssessmentSentBack: true,
  ReviewReopened: true,
  AssessmentPublished: true,
  AssessmentAppealed: true,
  AppealResolved: true,
  ScoresRecalculated: true,
};

export function isAssessmentEvent<E extends { readonly type: string }>(event: E): event is E & AssessmentEvent {
  return Object.hasOwn(assessmentEventTypes, event.type);
}
