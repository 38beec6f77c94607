import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

// Official codes (mã ĐVHC) are digit strings with significant leading zeros; they become stream names.
export const unitCodePattern = /^[0-9]{2,5}$/;
export const unitCodeMessage = (field: string): string => `${field} must be an official unit code of 2–5 digits`;
export const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;
export const isoDateMessage = (field: string): string => `${field} must be a date YYYY-MM-DD`;

export class UnitPathParams {
  @ApiProperty({ example: '660', description: 'official unit code (mã ĐVHC)' })
  @Matches(unitCodePattern, { message: unitCodeMessage('code') })
  code!: string;
}
