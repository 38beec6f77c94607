import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class UnitHistoryParams {
  @ApiProperty({ example: '24728', description: 'official unit code (mã ĐVHC)' })
  @Matches(/^[0-9]{2,5}$/, { message: 'unitCode must be an official unit code of 2–5 digits' })
  unitCode!: string;
}
