import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { unitCodeMessage, unitCodePattern } from '../../unit-fields';

export const tierPattern = /^[a-z][a-z_]{0,29}$/;
export const tierMessage = 'tier must be a tier name such as province, district or commune';

export class RegisterUnitDto {
  @ApiProperty({ example: '660', description: 'official unit code (mã ĐVHC)' })
  @Matches(unitCodePattern, { message: unitCodeMessage('code') })
  code!: string;

  @ApiProperty({ example: 'Gia Nghĩa' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'thị xã', description: 'the legal type as written: tỉnh, huyện, thị xã, thành phố, xã, phường, thị trấn …' })
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  type!: string;

  @ApiProperty({ example: 'district' })
  @Matches(tierPattern, { message: tierMessage })
  tier!: string;

  @ApiPropertyOptional({ type: String, example: '67', nullable: true, description: 'the parent unit; null or absent for a province' })
  @IsOptional()
  @Matches(unitCodePattern, { message: unitCodeMessage('parentCode') })
  parentCode?: string | null;
}
