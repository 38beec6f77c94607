import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { AuditPageParams } from '../../audit-page.params';

export class ListAuditEventsDto extends AuditPageParams {
  @ApiPropertyOptional({ description: 'only the events of this stream', example: 'assessment-daknong-2019-24728' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9@._:-]{0,199}$/, { message: 'stream must be a stream name such as assessment-daknong-2019-24728' })
  stream?: string;
}
