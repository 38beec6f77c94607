import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { type AssessmentCommandType, type AssessmentStatus, commandGuards } from '@tieuchi/assessment/domain';
import type { CriterionAnswer } from '@tieuchi/framework/domain';
import type { AssessmentDetail, CriterionDetail, PartDetail } from './get-assessment.query';

const assessmentStatuses: Record<AssessmentStatus, true> = {
  draft: true,
  submitted: true,
  under_review: true,
  returned: true,
  resubmitted: true,
  reviewed: true,
  approved: true,
  published: true,
  appealed: true,
  upheld: true,
  revised: true,
};
export const EVERY_ASSESSMENT_STATUS = Object.keys(assessmentStatuses) as AssessmentStatus[];
export const ASSESSMENT_COMMAND_TYPES = Object.keys(commandGuards) as AssessmentCommandType[];

export class EvidenceFileViewDto {
  @ApiProperty({ enum: ['file'] }) readonly kind!: 'file';
  @ApiProperty({ example: 'Quyết định 12-QĐ-UBND.pdf' }) readonly name!: string;
  @ApiProperty({ type: 'integer' }) readonly size!: number;
  @ApiProperty({ example: 'application/pdf' }) readonly mediaType!: string;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) readonly sha256!: string;
  @ApiProperty({ description: 'downloads the file with the assessment’s own authorization' }) readonly href!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'the unit’s own users only: the id a later save names the file by' }) readonly uploadId?: string;
}

export class EvidenceReferenceViewDto {
  @ApiProperty({ enum: ['reference'] }) readonly kind!: 'reference';
  @ApiProperty({ example: 'Quyết định 12/QĐ-UBND (bản giấy)' }) readonly reference!: string;
}

export class ValueAnswerDto {
  @ApiProperty({ enum: ['value'] }) readonly kind!: 'value';
  @ApiProperty({ description: 'boolean for yes/no criteria, a number otherwise', oneOf: [{ type: 'number' }, { type: 'boolean' }] }) readonly value!: number | boolean;
}

export class NotApplicableAnswerDto {
  @ApiProperty({ enum: ['not_applicable'] }) readonly kind!: 'not_applicable';
}

/** An answer: a value, or the criterion marked not applicable. */
const CRITERION_ANSWER_SCHEMA = { oneOf: [{ $ref: getSchemaPath(ValueAnswerDto) }, { $ref: getSchemaPath(NotApplicableAnswerDto) }] };

/** A file with the path that downloads it, or a document named in words. */
export const EVIDENCE_VIEW_SCHEMA = { oneOf: [{ $ref: getSchemaPath(EvidenceFileViewDto) }, { $ref: getSchemaPath(EvidenceReferenceViewDto) }] };

@ApiExtraModels(EvidenceFileViewDto, EvidenceReferenceViewDto, ValueAnswerDto, NotApplicableAnswerDto)
export class SelfScoreDetailDto {
  @ApiProperty(CRITERION_ANSWER_SCHEMA) readonly answer!: CriterionAnswer;
  @ApiProperty({ type: Number, nullable: true }) readonly points!: number | null;
  @ApiProperty({ type: 'array', items: EVIDENCE_VIEW_SCHEMA }) readonly evidence!: (EvidenceFileViewDto | EvidenceReferenceViewDto)[];
  @ApiProperty({ type: String, nullable: true }) readonly explanation!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'who scored it' }) readonly by!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readonly at!: string | null;
}

@ApiExtraModels(ValueAnswerDto, NotApplicableAnswerDto)
export class ReviewDetailDto {
  @ApiProperty({ enum: ['accepted', 'adjusted', 'revised_on_appeal'] }) readonly decision!: string;
  @ApiProperty(CRITERION_ANSWER_SCHEMA) readonly answer!: CriterionAnswer;
  @ApiProperty({ type: Number, nullable: true }) readonly points!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'the reviewer’s written reason for an adjustment' }) readonly reason!: string | null;
  @ApiProperty({ type: String, nullable: true }) readonly by!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readonly at!: string | null;
}

export class CriterionDetailDto implements CriterionDetail {
  @ApiProperty({ example: 'D.HT.1' }) readonly code!: string;
  @ApiProperty({ type: SelfScoreDetailDto, nullable: true, description: 'the unit’s self score; null while unanswered' }) readonly self!: SelfScoreDetailDto | null;
  @ApiProperty({ type: ReviewDetailDto, nullable: true, description: 'the reviewer’s decision; null until accepted or adjusted' }) readonly review!: ReviewDetailDto | null;
}

export class PartDetailDto implements PartDetail {
  @ApiProperty({ example: 'readiness' }) readonly partCode!: string;
  @ApiProperty() readonly maxPoints!: number;
  @ApiProperty() readonly total!: number;
  @ApiProperty({ description: 'points of criteria marked not applicable' }) readonly excludedPoints!: number;
  @ApiProperty({ description: 'the part score after rescaling' }) readonly score!: number;
  @ApiProperty({ type: String, nullable: true, description: 'null below Mức IV (not ranked)' }) readonly level!: string | null;
  @ApiProperty({ type: 'integer', description: 'criteria of the part not yet answered' }) readonly unanswered!: number;
}

export class FrameworkRefDto {
  @ApiProperty({ example: 'daknong-2019' }) readonly id!: string;
  @ApiProperty({ type: 'integer' }) readonly version!: number;
}

export class AssessmentDetailDto implements AssessmentDetail {
  @ApiProperty() readonly periodId!: string;
  @ApiProperty() readonly unitCode!: string;
  @ApiProperty({ example: 'district' }) readonly tier!: string;
  @ApiProperty({ type: FrameworkRefDto }) readonly framework!: FrameworkRefDto;
  @ApiProperty({ enum: EVERY_ASSESSMENT_STATUS }) readonly status!: string;
  @ApiProperty({ type: 'integer', description: 'the revision an approval names' }) readonly revision!: number;
  @ApiProperty({ type: 'integer', description: 'the stream version the view reflects: also its ETag, to send back as If-Match' }) readonly version!: number;
  @ApiProperty() readonly startedBy!: string;
  @ApiProperty({ type: String, nullable: true }) readonly submittedBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readonly submittedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) readonly reviewedBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readonly reviewedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) readonly approvedBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readonly approvedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readonly publishedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the last comment of a return, send-back or appeal' }) readonly lastComment!: string | null;
  @ApiProperty({ type: [String], description: 'criteria the reviewer flagged when returning the form' }) readonly flaggedCriteria!: string[];
  @ApiProperty({ type: [PartDetailDto] }) readonly parts!: PartDetailDto[];
  @ApiProperty({ type: [CriterionDetailDto] }) readonly criteria!: CriterionDetailDto[];
  @ApiProperty({ enum: ASSESSMENT_COMMAND_TYPES, isArray: true, description: 'the commands the caller may issue now, judged on the stream itself' })
  readonly nextActions!: AssessmentCommandType[];
}
