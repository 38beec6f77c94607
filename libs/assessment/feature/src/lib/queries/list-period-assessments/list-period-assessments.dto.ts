import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ReadAfterPosition } from '@tieuchi/shared/http';
import { EVERY_ASSESSMENT_STATUS } from '../get-assessment/assessment-detail.dto';

export const ASSESSMENT_STATUSES = ['draft', 'submitted', 'under_review', 'returned', 'resubmitted', 'reviewed', 'approved', 'published', 'appealed'] as const;

export class ListPeriodAssessmentsQueryDto {
  @ApiPropertyOptional({ enum: ['district', 'commune', 'province'] })
  @IsOptional()
  @Matches(/^[a-z_]{1,32}$/, { message: 'tier must be a tier code such as district' })
  tier?: string;

  @ApiPropertyOptional({ enum: ASSESSMENT_STATUSES })
  @IsOptional()
  @IsIn(ASSESSMENT_STATUSES)
  status?: string;

  @ApiPropertyOptional({ example: '662', description: 'only this unit' })
  @IsOptional()
  @Matches(/^[0-9]{2,5}$/, { message: 'unitCode must be an official unit code of 2–5 digits' })
  unitCode?: string;

  @ApiPropertyOptional({ description: 'the nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^[0-9]{2,5}$/, { message: 'cursor must be a nextCursor this endpoint returned' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ReadAfterPosition("a command's position: answer once the list shows that write")
  after?: string;
}

export class PeriodAssessmentItemDto {
  @ApiProperty() readonly periodId!: string;
  @ApiProperty() readonly unitCode!: string;
  @ApiProperty() readonly tier!: string;
  @ApiProperty({ enum: EVERY_ASSESSMENT_STATUS }) readonly status!: string;
  @ApiProperty() readonly revision!: number;
  @ApiProperty({ description: 'stream version (ETag)' }) readonly version!: number;
  @ApiProperty({ type: String, nullable: true }) readonly submittedAt!: string | null;
  @ApiProperty() readonly updatedAt!: string;
}

export class PeriodAssessmentListDto {
  @ApiProperty({ type: [PeriodAssessmentItemDto] }) readonly items!: PeriodAssessmentItemDto[];
  @ApiProperty({ type: String, nullable: true }) readonly nextCursor!: string | null;
}
