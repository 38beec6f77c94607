import type { CriterionAnswer } from '@tieuchi/framework/domain';
import type { Command } from '@tieuchi/shared/kernel';
import type { EvidenceRecord } from './assessment.evidence';
import type { PartRecalculation, RecalculationCause } from './assessment.events';

type Empty = Readonly<Record<string, never>>;

export type StartAssessment = Command<
  'StartAssessment',
  { readonly periodId: string; readonly unitCode: string; readonly tier: string }
>;

export type ScoreCriterion = Command<
  'ScoreCriterion',
  {
    readonly criterionCode: string;
    readonly answer: CriterionAnswer;
    /** Files uploaded for this assessment (the API resolves them), or references from paper records. */
    readonly evidence: readonly EvidenceRecord[];
    readonly explanation?: string;
  }
>;

export type MarkCriterionNotApplicable = Command<
  'MarkCriterionNotApplicable',
  { readonly criterionCode: string; readonly explanation: string; readonly evidence?: readonly EvidenceRecord[] }
>;

export type SubmitAssessment = Command<'SubmitAssessment', Empty>;
export type WithdrawSubmission = Command<'WithdrawSubmission', Empty>;
export type StartReview = Command<'StartReview', Empty>;
export type AcceptCriterion = Command<'AcceptCriterion', { readonly criterionCode: string }>;

export type AdjustCriterion = Command<
  'AdjustCriterion',
  { readonly criterionCode: string; readonly answer: CriterionAnswer; readonly reason: string }
>;

export type ReturnAssessment = Command<
  'ReturnAssessment',
  { readonly comment: string; readonly flaggedCriteria: readonly string[] }
>;

export type ResubmitAssessment = Command<'ResubmitAssessment', Empty>;
export type CompleteReview = Command<'CompleteReview', Empty>;

/** Names the revision the approver looked at, so that a later change cannot slip under the approval. */
export type ApproveAssessment = Command<'ApproveAssessment', { readonly revision: number }>;

export type SendBack = Command<'SendBack', { readonly comment: string }>;

/** A reviewer takes a completed review back before the approver has acted, saying why. */
export type ReopenReview = Command<'ReopenReview', { readonly reason: string }>;

export type PublishAssessment = Command<
  'PublishAssessment',
  { readonly periodId: string; readonly decisionNumber: string; readonly decisionDate: string }
>;

export type AppealAssessment = Command<
  'AppealAssessment',
  { readonly reason: string; readonly criteriaCodes?: readonly string[] }
>;

export interface AppealAdjustmentInput {
  readonly criterionCode: string;
  readonly answer: CriterionAnswer;
  readonly reason: string;
}

export type ResolveAppeal = Command<
  'ResolveAppeal',
  | { readonly outcome: 'upheld'; readonly reason: string }
  | { readonly outcome: 'revised'; readonly reason: string; readonly adjustments: readonly AppealAdjustmentInput[] }
>;

export type RecordScoresRecalculated = Command<
  'RecordScoresRecalculated',
  { readonly cause: RecalculationCause; readonly parts: readonly PartRecalculation[] }
>;

export type AssessmentCommand =
  | StartAssessment
  | ScoreCriterion
  | MarkCriterionNotApplicable
  | SubmitAssessment
  | WithdrawSubmission
  | StartReview
  | AcceptCriterion
  | AdjustCriterion
  | ReturnAssessment
  | ResubmitAssessment
  | CompleteReview
  | ApproveAssessment
  | SendBack
  | ReopenReview
  | PublishAssessment
  | AppealAssessment
  | ResolveAppeal
  | RecordScoresRecalculated;

export type AssessmentCommandType = AssessmentCommand['type'];
