import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** Không đưa vào đánh giá: the criterion's points are excluded, so the unit says why. */
export class MarkCriterionNotApplicableDto {
  @ApiProperty({ description: 'why the criterion does not apply to the unit' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  explanation!: string;

  @ApiPropertyOptional({ type: [String], description: 'references to documents supporting the explanation' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(500, { each: true })
  evidenceRefs?: string[];
}
