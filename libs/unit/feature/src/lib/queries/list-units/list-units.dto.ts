import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ReadAfterPosition } from '@tieuchi/shared/http';

export const UNIT_STATUSES = ['active', 'merged_into', 'dissolved'] as const;
export const UNIT_TIERS = ['province', 'district', 'commune'] as const;

export class ListUnitsQueryDto {
  @ApiPropertyOptional({ example: '67', description: "only this province's units (national staff; others always see their own province)" })
  @IsOptional()
  @Matches(/^[0-9]{2}$/, { message: 'provinceCode must be a 2-digit province code' })
  provinceCode?: string;

  @ApiPropertyOptional({ enum: UNIT_TIERS })
  @IsOptional()
  @IsIn(UNIT_TIERS)
  tier?: (typeof UNIT_TIERS)[number];

  @ApiPropertyOptional({ enum: UNIT_STATUSES })
  @IsOptional()
  @IsIn(UNIT_STATUSES)
  status?: (typeof UNIT_STATUSES)[number];

  @ApiPropertyOptional({ example: '660', description: 'only the units directly under this one' })
  @IsOptional()
  @Matches(/^[0-9]{2,5}$/, { message: 'parentCode must be an official unit code of 2–5 digits' })
  parentCode?: string;

  @ApiPropertyOptional({ example: 'Gia Nghĩa', description: 'part of the name or the code (ignores case)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

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

  @ReadAfterPosition("a unit command's position: answer once the list shows that write")
  after?: string;
}

export class UnitListItemDto {
  @ApiProperty({ example: '660' }) readonly code!: string;
  @ApiProperty({ example: 'Gia Nghĩa' }) readonly name!: string;
  @ApiProperty({ example: 'thị xã' }) readonly type!: string;
  @ApiProperty({ enum: UNIT_TIERS }) readonly tier!: string;
  @ApiProperty({ enum: UNIT_STATUSES }) readonly status!: string;
  @ApiProperty({ type: String, nullable: true, example: '67' }) readonly parentCode!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '67', description: 'where its parent chain ends' }) readonly provinceCode!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the unit it was merged into' }) readonly successorCode!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2025-07-01' }) readonly endedOn!: string | null;
  @ApiProperty({ description: "the unit stream's version (its ETag)" }) readonly version!: number;
}

export class UnitListDto {
  @ApiProperty({ type: [UnitListItemDto] }) readonly items!: UnitListItemDto[];
  @ApiProperty({ type: String, nullable: true, description: 'pass as cursor for the next page; null on the last' }) readonly nextCursor!: string | null;
}
