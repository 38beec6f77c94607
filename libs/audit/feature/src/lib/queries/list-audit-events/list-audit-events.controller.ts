import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@tieuchi/shared/auth';
import { defaultAuditPageSize } from '../../audit-page.params';
import { type AuditPage, AuditTrailQuery } from '../../audit-trail.query';
import { ListAuditEventsDto } from './list-audit-events.dto';

@ApiTags('audit')
@Controller('audit/events')
export class ListAuditEventsController {
  constructor(private readonly query: AuditTrailQuery) {}

  @Get()
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'The audit trail: every event with who, when, what changed from → to, why (auditors, admins)' })
  list(@Query() params: ListAuditEventsDto): Promise<AuditPage> {
    return this.query.page({
      ...(params.stream !== undefined ? { stream: params.stream } : {}),
      after: params.after ?? 0,
      limit: params.limit ?? defaultAuditPageSize,
    });
  }
}
