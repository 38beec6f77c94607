import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNotEmpty, IsObject, IsString, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { IsCriterionCode } from '../criterion-code.validator';
import { CriterionAnswerDto } from '../score-criterion/score-criterion.dto';

export class AppealAdjustmentDto {
  @ApiProperty({ example: 'X.KQ.CK.1' })
  @IsCriterionCode()
  criterionCode!: string;

  @ApiProperty({ type: CriterionAnswerDto })
  @IsObject()
  @ValidateNested()
  @Type(() => CriterionAnswerDto)
  answer!: CriterionAnswerDto;

  @ApiProperty({ description: 'why this criterion changes' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  reason!: string;
}

export const appealOutcomes = ['upheld', 'revised'] as const;

/** Upheld keeps the published revision; revised makes a new one from the adjustments (the old stays readable). */
export class ResolveAppealDto {
  @ApiProperty({ enum: appealOutcomes })
  @IsIn(appealOutcomes)
  outcome!: (typeof appealOutcomes)[number];

  @ApiProperty({ description: 'the grounds of the decision on the appeal' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  reason!: string;

  @ApiPropertyOptional({ type: [AppealAdjustmentDto], description: 'required when revised, absent when upheld' })
  @ValidateIf((dto: ResolveAppealDto) => dto.outcome === 'revised' || dto.adjustments !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => AppealAdjustmentDto)
  adjustments?: AppealAdjustmentDto[];
}
