import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { isoDateMessage, isoDatePattern } from '../../unit-fields';

export class DissolveUnitDto {
  @ApiProperty({ example: '2025-07-01' })
  @Matches(isoDatePattern, { message: isoDateMessage('effectiveDate') })
  effectiveDate!: string;

  @ApiProperty({ example: 'Nghị quyết 1671/NQ-UBTVQH15 (16/6/2025)' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  legalBasis!: string;
}
