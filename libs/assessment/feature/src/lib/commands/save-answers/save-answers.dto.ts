import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { EvidenceItemDto } from '../../evidence/evidence-item.dto';
import { CriterionAnswerDto } from '../score-criterion/score-criterion.dto';

/** One criterion of a form save: a value (điểm tự chấm), or not applicable with its explanation. */
export class SaveAnswerItemDto {
  @ApiProperty({ example: 'H.SS.HT.1' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'criterionCode must be a criterion code such as H.SS.HT.1' })
  criterionCode!: string;

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

  @ApiPropertyOptional({ description: 'required when not applicable, and where the framework asks for one' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  explanation?: string;
}

/** Many criterion answers saved in one command: all are recorded, or none (each refusal is named). */
export class SaveAnswersDto {
  @ApiProperty({ type: [SaveAnswerItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => SaveAnswerItemDto)
  items!: SaveAnswerItemDto[];
}
