import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { isoDateMessage, isoDatePattern } from '../../period-fields';

/** The provincial decision (quyết định) that publishes the results. */
export class PublishPeriodDto {
  @ApiProperty({ example: '47/QĐ-UBND' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  decisionNumber!: string;

  @ApiProperty({ example: '2020-01-10' })
  @Matches(isoDatePattern, { message: isoDateMessage('decisionDate') })
  decisionDate!: string;
}
