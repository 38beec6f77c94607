import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsCriterionCode } from '../criterion-code.validator';

/** Khiếu nại: the unit contests its published result within the period's appeal window. */
export class AppealAssessmentDto {
  @ApiProperty({ description: 'why the unit contests the published result' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  reason!: string;

  @ApiPropertyOptional({ type: [String], description: 'the contested criteria, when the appeal is about some of them' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsCriterionCode({ each: true })
  criteriaCodes?: string[];
}
