import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, Matches, Max, Min, ValidateNested } from 'class-validator';
import { isoDateMessage, isoDatePattern, periodIdMessage, periodIdPattern } from '../../period-fields';

export class PinnedFrameworkDto {
  @ApiProperty({ example: '2392-2017' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'framework.id must be lower-case letters, digits and dashes' })
  id!: string;

  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  version!: number;
}

export class PeriodDeadlinesDto {
  @ApiProperty({ example: '2019-11-30', description: 'last day on which units may submit' })
  @Matches(isoDatePattern, { message: isoDateMessage('deadlines.selfAssessment') })
  selfAssessment!: string;

  @ApiProperty({ example: '2019-12-20', description: 'last day on which reviewers finish' })
  @Matches(isoDatePattern, { message: isoDateMessage('deadlines.review') })
  review!: string;

  @ApiProperty({ example: 15, description: 'days after a publishing or correcting decision during which a unit may appeal' })
  @IsInt()
  @Min(0)
  @Max(365)
  appealWindowDays!: number;
}

/** Opens a period (kỳ đánh giá) for a province and year on a published framework version. */
export class OpenPeriodDto {
  @ApiProperty({ example: 'daknong-2019' })
  @Matches(periodIdPattern, { message: periodIdMessage })
  periodId!: string;

  @ApiProperty({ example: '67', description: "the province's official code" })
  @Matches(/^[0-9]{2,5}$/, { message: 'provinceCode must be an official unit code of 2–5 digits' })
  provinceCode!: string;

  @ApiProperty({ example: 2019 })
  @IsInt()
  @Min(1900)
  @Max(2999)
  year!: number;

  @ApiProperty({ type: PinnedFrameworkDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PinnedFrameworkDto)
  framework!: PinnedFrameworkDto;

  @ApiProperty({ type: PeriodDeadlinesDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PeriodDeadlinesDto)
  deadlines!: PeriodDeadlinesDto;
}
