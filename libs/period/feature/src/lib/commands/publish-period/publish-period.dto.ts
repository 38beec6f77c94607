import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { isoDateMessage, isoDatePattern } from '../../period-fields';

/** A provincial decision (quyết định): its number, unique within the province, and its date. */
export class DecisionDto {
  @ApiProperty({
    example: '47/QĐ-UBND',
    description:
      'Số quyết định, duy nhất trong tỉnh: hai kỳ của cùng một tỉnh không thể công bố hay đính chính bằng cùng một số (so sánh không phân biệt hoa thường và khoảng trắng). ' +
      'Unique within the province across publications and corrections of all its periods, compared ignoring case and spaces (409 PERIOD.DECISION_NUMBER_TAKEN).',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  decisionNumber!: string;

  @ApiProperty({ example: '2020-01-10' })
  @Matches(isoDatePattern, { message: isoDateMessage('decisionDate') })
  decisionDate!: string;
}

/** A unit published without an approved assessment: it is ranked as "Chưa đánh giá" with this reason. */
export class ExcludedUnitDto {
  @ApiProperty({ example: '24655' })
  @Matches(/^[0-9]{2,5}$/, { message: 'unitCode must be an official unit code of 2–5 digits' })
  unitCode!: string;

  @ApiProperty({ example: 'Không nộp phiếu tự đánh giá trước hạn' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason!: string;
}

/** The decision that publishes the results, and the units it publishes without an approved assessment. */
export class PublishPeriodDto extends DecisionDto {
  @ApiPropertyOptional({
    type: [ExcludedUnitDto],
    description:
      'Mọi đơn vị của tỉnh (ở các cấp bộ tiêu chí xếp hạng) chưa có phiếu được phê duyệt phải được nêu ở đây kèm lý do; bảng xếp hạng công bố ghi chúng là "Chưa đánh giá". ' +
      'Every unit of the province in the tiers the framework ranks whose assessment is not approved must be named here with a reason; the published ranking lists them as not assessed. ' +
      'Missing ones: 409 PERIOD.UNITS_NOT_APPROVED with `units`; a unit that is not awaiting approval: 409 PERIOD.UNEXPECTED_EXCLUSION.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20_000)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ExcludedUnitDto)
  exclusions?: ExcludedUnitDto[];
}
