import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { DecisionDto } from '../publish-period/publish-period.dto';

/** A later decision that corrects the published results; the earlier one stays on record. */
export class CorrectPeriodDto extends DecisionDto {
  @ApiProperty({ example: 'Điều chỉnh điểm của Xã Nâm N\'Jang sau phúc khảo' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason!: string;
}
