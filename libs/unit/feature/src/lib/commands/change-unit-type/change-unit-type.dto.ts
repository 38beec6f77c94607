import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { isoDateMessage, isoDatePattern } from '../../unit-fields';
import { tierMessage, tierPattern } from '../register-unit/register-unit.dto';

/** E.g. Gia Nghĩa, thị xã → thành phố on 2020-01-01; the tier stays unless given. */
export class ChangeUnitTypeDto {
  @ApiProperty({ example: 'thành phố' })
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  type!: string;

  @ApiPropertyOptional({ example: 'district' })
  @IsOptional()
  @Matches(tierPattern, { message: tierMessage })
  tier?: string;

  @ApiProperty({ example: '2020-01-01' })
  @Matches(isoDatePattern, { message: isoDateMessage('effectiveDate') })
  effectiveDate!: string;

  @ApiProperty({ example: 'Nghị quyết 835/NQ-UBTVQH14 (17/12/2019)' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  decisionRef!: string;
}
