import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { isoDateMessage, isoDatePattern } from '../../unit-fields';

export class RenameUnitDto {
  @ApiProperty({ example: 'Gia Nghĩa' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: '2020-01-01' })
  @Matches(isoDatePattern, { message: isoDateMessage('effectiveDate') })
  effectiveDate!: string;

  @ApiProperty({ example: 'Nghị quyết 835/NQ-UBTVQH14 (17/12/2019)' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  decisionRef!: string;
}
