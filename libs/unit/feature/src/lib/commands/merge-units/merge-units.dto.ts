import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { UNIT_COMPARISON_RULES, type UnitComparisonRule } from '@tieuchi/unit/domain';
import { isoDateMessage, isoDatePattern, unitCodeMessage, unitCodePattern } from '../../unit-fields';
import { tierMessage, tierPattern } from '../register-unit/register-unit.dto';

/** A successor (new code, or one predecessor keeping its code) and the units it absorbs. */
export class MergeUnitsDto {
  @ApiProperty({ example: '24611' })
  @Matches(unitCodePattern, { message: unitCodeMessage('successorCode') })
  successorCode!: string;

  @ApiProperty({ type: [String], example: ['24611', '24612', '24619', '24622'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(unitCodePattern, { each: true, message: unitCodeMessage('predecessorCodes') })
  predecessorCodes!: string[];

  @ApiProperty({ enum: UNIT_COMPARISON_RULES, description: "how the successor's score compares with its predecessors' earlier scores" })
  @IsIn(UNIT_COMPARISON_RULES)
  comparisonRule!: UnitComparisonRule;

  @ApiProperty({ example: '2025-07-01' })
  @Matches(isoDatePattern, { message: isoDateMessage('effectiveDate') })
  effectiveDate!: string;

  @ApiProperty({ example: 'Nghị quyết 1671/NQ-UBTVQH15 (16/6/2025)' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  legalBasis!: string;

  @ApiProperty({ example: 'Bắc Gia Nghĩa' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'phường' })
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  type!: string;

  @ApiProperty({ example: 'commune' })
  @Matches(tierPattern, { message: tierMessage })
  tier!: string;

  @ApiPropertyOptional({ type: String, example: '68', nullable: true })
  @IsOptional()
  @Matches(unitCodePattern, { message: unitCodeMessage('parentCode') })
  parentCode?: string | null;
}
