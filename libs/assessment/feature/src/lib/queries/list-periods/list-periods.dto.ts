import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ReadAfterPosition } from '@tieuchi/shared/http';

export const PERIOD_STATUSES = ['open', 'self_assessment_closed', 'published'] as const;

export class ListPeriodsQueryDto {
  @ApiPropertyOptional({ example: '67', description: 'only this province (mã tỉnh)' })
  @IsOptional()
  @Matches(/^[0-9]{2}$/, { message: 'provinceCode must be a 2-digit province code' })
  provinceCode?: string;

  @ApiPropertyOptional({ enum: PERIOD_STATUSES })
  @IsOptional()
  @IsIn(PERIOD_STATUSES)
  status?: (typeof PERIOD_STATUSES)[number];

  @ApiPropertyOptional({ description: 'the nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'cursor must be a nextCursor this endpoint returned' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ReadAfterPosition("a period command's position: answer once the list shows that write")
  after?: string;
}

export class PeriodListItemDto {
  @ApiProperty({ example: 'daknong-2019' }) readonly periodId!: string;
  @ApiProperty({ example: '67' }) readonly provinceCode!: string;
  @ApiProperty({ example: 2019 }) readonly year!: number;
  @ApiProperty({ enum: PERIOD_STATUSES }) readonly status!: string;
  @ApiProperty({ type: String, nullable: true, example: '47/QĐ-UBND' }) readonly decisionNumber!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2020-01-10' }) readonly decisionDate!: string | null;
}

export class PeriodListDto {
  @ApiProperty({ type: [PeriodListItemDto] }) readonly items!: PeriodListItemDto[];
  @ApiProperty({ type: String, nullable: true, description: 'pass as cursor for the next page; null on the last' }) readonly nextCursor!: string | null;
}
