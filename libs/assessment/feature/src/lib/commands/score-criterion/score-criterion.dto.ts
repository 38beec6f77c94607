import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { EvidenceItemDto } from '../../evidence/evidence-item.dto';
import { IsNumberOrBoolean } from '../../validation/is-number-or-boolean.validator';

export class CriterionAnswerDto {
  @ApiProperty({ enum: ['value', 'not_applicable'] })
  @IsIn(['value', 'not_applicable'])
  kind!: 'value' | 'not_applicable';

  @ApiPropertyOptional({ description: 'boolean for yes/no criteria, a number otherwise', oneOf: [{ type: 'number' }, { type: 'boolean' }] })
  @IsOptional()
  @IsNumberOrBoolean()
  value?: number | boolean;
}

/** The self-assessment of one criterion (điểm tự chấm) with its evidence (minh chứng). */
export class ScoreCriterionDto {
  @ApiProperty({ type: CriterionAnswerDto })
  @IsObject()
  @ValidateNested()
  @Type(() => CriterionAnswerDto)
  answer!: CriterionAnswerDto;

  @ApiProperty({ type: [EvidenceItemDto], description: 'evidence: files uploaded for this assessment (POST …/evidence) by id, or documents named in words' })
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => EvidenceItemDto)
  evidence!: EvidenceItemDto[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  explanation?: string;
}
