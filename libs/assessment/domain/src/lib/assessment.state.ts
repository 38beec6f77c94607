import type { CriterionAnswer } from '@tieuchi/framework/domain';
import type { EvidenceRecord } from './assessment.evidence';
import type { Acted, PartRecalculation, RecalculationCause } from './assessment.events';

export type AssessmentStatus =
  | 'draft'
  | 'submitted'
  | 'under_review'
  | 'returned'
  | 'resubmitted'
  | 'reviewed'
  | 'approved'
  | 'published'
  | 'appealed'
  | 'upheld'
  | 'revised';

export interface SelfScore extends Acted {
  readonly answer: CriterionAnswer;
  /** Null when not applicable: the points are excluded, not zero. */
  readonly points: number | null;
  readonly evidence: readonly EvidenceRecord[];
  readonly explanation: string | null;
}

export interface ReviewedScore extends Acted {
  readonly decision: 'accepted' | 'adjusted' | 'revised_on_appeal';
  readonly answer: CriterionAnswer;
  readonly points: number | null;
  /** Required whenever the reviewed score may differ from the self score. */
  readonly reason: string | null;
}

/** Both scores are kept side by side; neither replaces the other. */
export interface CriterionRecord {
  readonly code: string;
  readonly self: SelfScore | null;
  readonly review: ReviewedScore | null;
}

export type RevisionKind = 'submitted' | 'resubmitted' | 'reviewed' | 'appeal_revised' | 'recalculated';

/** A frozen copy of the criteria at a revision: earlier submissions and reviews stay readable. */
export interface RevisionRecord extends Acted {
  readonly revision: number;
  readonly kind: RevisionKind;
  readonly criteria: Readonly<Record<string, CriterionRecord>>;
}

export interface ReviewComment extends Acted {
  readonly kind: 'returned' | 'sent_back' | 'reopened';
  readonly revision: number;
  readonly comment: string;
  readonly flaggedCriteria: readonly string[];
}

export interface AssessmentDetails {
  readonly periodId: string;
  readonly unitCode: string;
  readonly tier: string;
  readonly framework: { readonly id: string; readonly version: number };
  readonly criteria: Readonly<Record<string, CriterionRecord>>;
  /** 0 while a draft; every submission, completed review, appeal revision and recalculation adds one. */
  readonly revision: number;
  readonly revisions: readonly RevisionRecord[];
  readonly startedBy: Acted;
  /** Everyone who ever submitted or reviewed this assessment: the four-eyes rule reads these. */
  readonly submitters: readonly string[];
  readonly reviewers: readonly string[];
  /** Everyone who ever entered a self score (điểm tự chấm) or marked a criterion N/A, even if later overwritten. */
  readonly scorers: readonly string[];
  /** While returned: the criteria the unit may edit; empty means the whole form. */
  readonly flaggedCriteria: readonly string[];
  readonly comments: readonly ReviewComment[];
  readonly approval: (Acted & { readonly revision: number }) | null;
  readonly publication: PublicationRecord | null;
  readonly appeal: AppealRecord | null;
  readonly appealResolution: AppealResolutionRecord | null;
  readonly recalculations: readonly RecalculationRecord[];
}

export interface PublicationRecord extends Acted {
  readonly revision: number;
  readonly decisionNumber: string;
  readonly decisionDate: string;
}

export interface AppealRecord extends Acted {
  readonly revision: number;
  readonly reason: string;
  readonly criteriaCodes: readonly string[];
}

export interface AppealResolutionRecord extends Acted {
  readonly outcome: 'upheld' | 'revised';
  readonly reason: string;
  readonly revision: number;
}

export interface RecalculationRecord extends Acted {
  readonly revision: number;
  readonly cause: RecalculationCause;
  readonly parts: readonly PartRecalculation[];
}

export type NotStartedAssessment = { readonly status: 'not_started' };
export type StartedAssessment = AssessmentDetails & { readonly status: AssessmentStatus };
export type AssessmentState = NotStartedAssessment | StartedAssessment;

export const initialAssessmentState = (): AssessmentState => ({ status: 'not_started' });

/** Stream per period × unit. */
export function assessmentStreamId(periodId: string, unitCode: string): string {
  return `assessment-${periodId}-${unitCode}`;
}
