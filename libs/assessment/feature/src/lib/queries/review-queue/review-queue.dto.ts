import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

export class ReviewQueueQueryDto {
  @ApiPropertyOptional({ example: 'daknong-2019', description: 'only this period' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'periodId must be lower-case letters, digits and dashes' })
  periodId?: string;
}
