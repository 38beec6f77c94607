import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  Min,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

const changeKinds = [
  'levels_changed',
  'part_maximum_changed',
  'criterion_maximum_changed',
  'criterion_excluded',
  'criterion_applicability_changed',
  'criterion_removed',
  'rounding_changed',
] as const;
type ChangeKind = (typeof changeKinds)[number];

const kindIn =
  (...kinds: ChangeKind[]) =>
  (change: AmendmentChangeDto): boolean =>
    kinds.includes(change.kind);

export class LevelBandDto {
  @ApiProperty({ example: 'II' })
  @IsString()
  @MinLength(1)
  @MaxLength(20)
  level!: string;

  @ApiProperty({ example: 'Mức II' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  label!: string;

  @ApiProperty({ example: 40 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  minScore!: number;

  // The framework definition allows it, so bands copied from a framework file (2392's are all provisional) amend as they are.
  @ApiPropertyOptional({ description: 'true while the threshold stands in for an official value not yet entered' })
  @IsOptional()
  @IsBoolean()
  provisional?: boolean;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'number' }, description: 'minimum share (0–1) per group code' })
  @IsOptional()
  @IsObject()
  minGroupShares?: Record<string, number>;
}

export class RoundingRuleDto {
  @ApiProperty({ example: 2 })
  @IsInt()
  @Min(0)
  @Max(6)
  decimals!: number;

  @ApiProperty({ enum: ['half_up', 'half_even', 'down'], description: 'half_up: halves away from zero; half_even: halves to the even digit; down: truncate toward zero' })
  @IsIn(['half_up', 'half_even', 'down'])
  mode!: 'half_up' | 'half_even' | 'down';

  @ApiPropertyOptional({
    enum: ['criterion', 'total', 'final'],
    description:
      'where scores are rounded (docs/rules.en.md, R-ROUND-STAGE): criterion = each criterion, then totals; total = group and part totals, the rescaled score from the rounded total; final = only the rescaled score, from the unrounded total. Absent: the framework keeps its stage.',
  })
  @IsOptional()
  @IsIn(['criterion', 'total', 'final'])
  stage?: 'criterion' | 'total' | 'final';
}

/** One change; which fields it needs depends on `kind` (see AmendmentChange in @tieuchi/framework/domain). */
export class AmendmentChangeDto {
  @ApiProperty({ enum: changeKinds })
  @IsIn(changeKinds)
  kind!: ChangeKind;

  @ApiPropertyOptional({ example: 'district' })
  @ValidateIf(kindIn('levels_changed', 'part_maximum_changed'))
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  tier?: string;

  @ApiPropertyOptional({ example: 'readiness' })
  @ValidateIf(kindIn('levels_changed', 'part_maximum_changed'))
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  partCode?: string;

  @ApiPropertyOptional({ type: [LevelBandDto] })
  @ValidateIf(kindIn('levels_changed'))
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => LevelBandDto)
  levels?: LevelBandDto[];

  @ApiPropertyOptional({ example: 'H.SS.HT.4' })
  @ValidateIf(kindIn('criterion_maximum_changed', 'criterion_excluded', 'criterion_applicability_changed', 'criterion_removed'))
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  criterionCode?: string;

  @ApiPropertyOptional({ example: 5 })
  @ValidateIf(kindIn('part_maximum_changed', 'criterion_maximum_changed'))
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  maxPoints?: number;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'a scoring rule (framework JSON Schema)' })
  @IsOptional()
  @ValidateIf(kindIn('criterion_maximum_changed'))
  @IsObject()
  rule?: Record<string, unknown>;

  @ApiPropertyOptional()
  @ValidateIf(kindIn('criterion_applicability_changed'))
  @IsBoolean()
  mayBeNotApplicable?: boolean;

  @ApiPropertyOptional({ type: RoundingRuleDto })
  @ValidateIf(kindIn('rounding_changed'))
  @IsObject()
  @ValidateNested()
  @Type(() => RoundingRuleDto)
  rounding?: RoundingRuleDto;
}

/** An amendment as the framework decider takes it; also the body of the what-if dry run. */
export class FrameworkAmendmentDto {
  @ApiProperty({ example: 'Điều chỉnh ngưỡng theo hướng dẫn của Bộ' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  cause!: string;

  @ApiProperty({ example: '12/QĐ-UBND 05/03/2019' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  decisionReference!: string;

  @ApiProperty({ type: [AmendmentChangeDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => AmendmentChangeDto)
  changes!: AmendmentChangeDto[];
}

/** A new version of a published framework, with the cause and the decision that orders it. */
export class AmendFrameworkDto extends FrameworkAmendmentDto {
  @ApiPropertyOptional({ example: 1, description: 'the framework version the amendment was written against (409 if it is no longer current)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  basedOnVersion?: number;
}
