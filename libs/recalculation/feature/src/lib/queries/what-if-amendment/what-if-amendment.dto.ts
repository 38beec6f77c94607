import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FrameworkAmendmentDto } from '@tieuchi/framework/data-access';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, Matches, Min, ValidateNested } from 'class-validator';
import type { UnitStanding, WhatIfChange, WhatIfResult } from './what-if-amendment.query';

export class WhatIfAmendmentDto {
  @ApiProperty({ example: 'daknong-2019', description: 'the period whose assessments are scored' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'periodId must be lower-case letters, digits and dashes' })
  periodId!: string;

  /** The body of POST /frameworks/:id/amendments, so a dry run accepts exactly what the amendment would. */
  @ApiProperty({ type: FrameworkAmendmentDto })
  @IsObject()
  @ValidateNested()
  @Type(() => FrameworkAmendmentDto)
  amendment!: FrameworkAmendmentDto;

  @ApiPropertyOptional({
    example: 1,
    description:
      'Preview an amendment already issued: both sides are scored from this published version (before under it, after under it amended), ' +
      "instead of from each assessment's version and the current one. The amendment that made version N is previewed with baseVersion N − 1.",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  baseVersion?: number;
}

export class FrameworkPathParams {
  @ApiProperty({ example: '2392-2017' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'frameworkId must be letters, digits, dots, dashes or underscores' })
  frameworkId!: string;
}

export class UnitStandingDto implements UnitStanding {
  @ApiProperty() readonly score!: number;
  @ApiProperty({ type: String, nullable: true }) readonly level!: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when unranked' }) readonly rank!: number | null;
}

export class WhatIfChangeDto implements WhatIfChange {
  @ApiProperty({ example: 'district' }) readonly tier!: string;
  @ApiProperty({ example: 'readiness' }) readonly partCode!: string;
  @ApiProperty({ example: '660' }) readonly unitCode!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Thành phố Gia Nghĩa', description: "the unit's official name; null when the units list does not know the code" })
  readonly unitName!: string | null;
  @ApiProperty({ type: UnitStandingDto }) readonly before!: UnitStandingDto;
  @ApiProperty({ type: UnitStandingDto }) readonly after!: UnitStandingDto;
  @ApiProperty() readonly levelChanged!: boolean;
  @ApiProperty() readonly rankChanged!: boolean;
}

export class WhatIfRankingCountsDto {
  @ApiProperty({ type: 'integer' }) readonly units!: number;
  @ApiProperty({ type: 'integer' }) readonly ranked!: number;
  @ApiProperty({ type: 'integer' }) readonly unranked!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'ranked units per level', example: { II: 2, IV: 1 } })
  readonly byLevel!: Record<string, number>;
}

export class WhatIfRankingDto {
  @ApiProperty({ example: 'district' }) readonly tier!: string;
  @ApiProperty({ example: 'readiness' }) readonly partCode!: string;
  @ApiProperty({ type: WhatIfRankingCountsDto }) readonly before!: WhatIfRankingCountsDto;
  @ApiProperty({ type: WhatIfRankingCountsDto }) readonly after!: WhatIfRankingCountsDto;
}

export class WhatIfResultDto implements WhatIfResult {
  @ApiProperty() readonly frameworkId!: string;
  @ApiProperty() readonly periodId!: string;
  @ApiProperty({ type: 'integer', description: 'the version the period pins now, or the base version asked for' }) readonly fromVersion!: number;
  @ApiProperty({ type: 'integer', description: 'the version the amendment would make' }) readonly toVersion!: number;
  @ApiProperty({ type: 'integer', description: 'assessments scored both ways' }) readonly assessments!: number;
  @ApiProperty({ type: [WhatIfChangeDto], description: 'only units whose level or rank would change' }) readonly changes!: WhatIfChangeDto[];
  @ApiProperty({ type: [WhatIfRankingDto] }) readonly rankings!: WhatIfRankingDto[];
}
