import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNotEmpty, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { CriterionAnswerDto } from '../score-criterion/score-criterion.dto';

/** The reviewed score (điểm thẩm định) of one criterion, with the written reason for the change. */
export class AdjustCriterionDto {
  @ApiProperty({ type: CriterionAnswerDto })
  @IsObject()
  @ValidateNested()
  @Type(() => CriterionAnswerDto)
  answer!: CriterionAnswerDto;

  @ApiProperty({ description: 'why the reviewed score differs from the self score' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  reason!: string;
}
