// Shapes of API answers whose operations do not yet declare a response schema in the OpenAPI
// document (the request side is always generated). New endpoints declare theirs: see schema.d.ts.
import type { CriterionAnswer } from '@tieuchi/framework/domain/scoring';
import type { components } from './schema';

export type PeriodListItem = components['schemas']['PeriodListItemDto'];
export type PeriodAssessmentItem = components['schemas']['PeriodAssessmentItemDto'];
export type CommandResponse = components['schemas']['AssessmentCommandResponseDto'];
export type EvidenceUpload = components['schemas']['EvidenceUploadResponse'];
export type PeriodView = components['schemas']['PeriodViewDto'];

export interface RankedEntry {
  rank: number;
  unitCode: string;
  unitName: string;
  score: number;
  level: string;
  previousScore: number | null;
  change: number | null;
}
export interface UnrankedEntry {
  unitCode: string;
  unitName: string;
  score: number;
  previousScore: number | null;
  change: number | null;
}
/** A unit published without an approved assessment ("Chưa đánh giá"), with the decision's reason. */
export interface NotAssessedEntry {
  unitCode: string;
  unitName: string;
  reason: string;
}
export interface RankingView {
  periodId: string;
  tier: string;
  part: string;
  provisional: boolean;
  decision: { number: string; date: string } | null;
  ranked: RankedEntry[];
  unranked: UnrankedEntry[];
  notAssessed: NotAssessedEntry[];
  counts: { units: number; ranked: number; unranked: number; notAssessed: number; byLevel: Record<string, number> };
}

/** A stored file (download it from `href` with the caller's token; `uploadId`, for the unit's own users, names it in a save) or a document named in words. */
export type EvidenceView =
  | { kind: 'file'; name: string; size: number; mediaType: string; sha256: string; href: string; uploadId?: string }
  | { kind: 'reference'; reference: string };

export interface CriterionDetail {
  code: string;
  self: { answer: CriterionAnswer; points: number | null; evidence: EvidenceView[]; explanation: string | null; by: string | null; at: string | null } | null;
  review: { decision: string; answer: CriterionAnswer; points: number | null; reason: string | null; by: string | null; at: string | null } | null;
}
export interface PartDetail {
  partCode: string;
  maxPoints: number;
  total: number;
  excludedPoints: number;
  score: number;
  level: string | null;
  unanswered: number;
}
export interface AssessmentDetail {
  periodId: string;
  unitCode: string;
  tier: string;
  framework: { id: string; version: number };
  status: string;
  revision: number;
  version: number;
  submittedBy: string | null;
  submittedAt: string | null;
  reviewedBy: string | null;
  approvedBy: string | null;
  lastComment: string | null;
  flaggedCriteria: string[];
  parts: PartDetail[];
  criteria: CriterionDetail[];
  nextActions: string[];
}


export interface ReviewQueueItem {
  queue: 'review' | 'approval';
  periodId: string;
  unitCode: string;
  tier: string;
  status: string;
  revision: number;
  version: number;
  waitingSince: string | null;
  submittedBy: string | null;
}

export interface UnitHistoryView {
  unitCode: string;
  unitName?: string;
  periods: { periodId: string; year: number; parts: { partCode: string; score: number; level: string | null; rank?: number | null }[]; decisionNumber?: string | null }[];
}

export interface AuditEventView {
  position?: string;
  streamName: string;
  type: string;
  actor: string | null;
  occurredAt: string;
  description?: string;
}
