import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { EvidenceItemDto } from '../../evidence/evidence-item.dto';

/** Không đưa vào đánh giá: the criterion's points are excluded, so the unit says why. */
export class MarkCriterionNotApplicableDto {
  @ApiProperty({ description: 'why the criterion does not apply to the unit' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  explanation!: string;

  @ApiPropertyOptional({ type: [EvidenceItemDto], description: 'uploaded files supporting the explanation, by id' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => EvidenceItemDto)
  evidence?: EvidenceItemDto[];
}
