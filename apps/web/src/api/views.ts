// Shapes of API answers as the OpenAPI document declares them (generated into schema.d.ts), under
// the names the screens use.
import type { components } from './schema';

type Schemas = components['schemas'];

export type PeriodListItem = Schemas['PeriodListItemDto'];
export type PeriodAssessmentItem = Schemas['PeriodAssessmentItemDto'];
export type CommandResponse = Schemas['AssessmentCommandResponseDto'];
export type EvidenceUpload = Schemas['EvidenceUploadResponse'];
export type PeriodView = Schemas['PeriodViewDto'];

export type RankedEntry = Schemas['RankedEntryDto'];
export type UnrankedEntry = Schemas['UnrankedEntryDto'];
/** A unit published without an approved assessment ("Chưa đánh giá"), with the decision's reason. */
export type NotAssessedEntry = Schemas['NotAssessedEntryDto'];
export type RankingView = Schemas['RankingViewDto'];

/** A stored file (download it from `href` with the caller's token; `uploadId`, for the unit's own users, names it in a save) or a document named in words. */
export type EvidenceView = Schemas['EvidenceFileViewDto'] | Schemas['EvidenceReferenceViewDto'];

export type CriterionDetail = Schemas['CriterionDetailDto'];
export type PartDetail = Schemas['PartDetailDto'];
export type AssessmentDetail = Schemas['AssessmentDetailDto'];

export type ReviewQueueItem = Schemas['ReviewQueueItemDto'];
