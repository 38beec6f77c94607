import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { ReviewQueue, ReviewQueueItem } from './review-queue.query';

export class ReviewQueueQueryDto {
  @ApiPropertyOptional({ example: 'daknong-2019', description: 'only this period' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'periodId must be lower-case letters, digits and dashes' })
  periodId?: string;
}

export class ReviewQueueItemDto implements ReviewQueueItem {
  @ApiProperty({ enum: ['review', 'approval'], description: '`review`: waiting for or under review; `approval`: reviewed, waiting for an approver' })
  readonly queue!: 'review' | 'approval';
  @ApiProperty() readonly periodId!: string;
  @ApiProperty() readonly unitCode!: string;
  @ApiProperty({ example: 'district' }) readonly tier!: string;
  @ApiProperty({ enum: ['submitted', 'resubmitted', 'under_review', 'reviewed'] }) readonly status!: string;
  @ApiProperty({ type: 'integer' }) readonly revision!: number;
  @ApiProperty({ type: 'integer', description: 'the stream version (ETag)' }) readonly version!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when the assessment joined this queue: its latest submission, or the completed review' })
  readonly waitingSince!: string | null;
  @ApiProperty({ type: String, nullable: true }) readonly submittedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) readonly reviewStartedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) readonly reviewedBy!: string | null;
}

export class ReviewQueueDto implements ReviewQueue {
  @ApiProperty({ type: [ReviewQueueItemDto], description: 'oldest first, review before approval' }) readonly items!: ReviewQueueItemDto[];
}
