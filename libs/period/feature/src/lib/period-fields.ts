import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

// Period ids end up in stream names: a plain, bounded alphabet (the assessment routes use the same).
export const periodIdPattern = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const periodIdMessage = 'periodId must be lower-case letters, digits and dashes';
export const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;
export const isoDateMessage = (field: string): string => `${field} must be a date YYYY-MM-DD`;

export class PeriodPathParams {
  @ApiProperty({ example: 'daknong-2019' })
  @Matches(periodIdPattern, { message: periodIdMessage })
  periodId!: string;
}
