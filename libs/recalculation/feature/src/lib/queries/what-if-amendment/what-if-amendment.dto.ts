import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FrameworkAmendmentDto } from '@tieuchi/framework/data-access';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, Matches, Min, ValidateNested } from 'class-validator';

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
