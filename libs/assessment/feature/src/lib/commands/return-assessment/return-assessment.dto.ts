import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsCriterionCode } from '../criterion-code.validator';

/** The form goes back to the unit with a comment; only the flagged criteria reopen (all when none are named). */
export class ReturnAssessmentDto {
  @ApiProperty({ description: 'what the unit must fix' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  comment!: string;

  @ApiPropertyOptional({ type: [String], description: 'criteria the unit must revise; none named reopens every criterion' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsCriterionCode({ each: true })
  flaggedCriteria?: string[];
}
