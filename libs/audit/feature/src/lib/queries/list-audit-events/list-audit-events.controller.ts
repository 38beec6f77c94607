import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@tieuchi/shared/auth';
import { defaultAuditPageSize } from '../../audit-page.params';
import { type AuditPage, AuditTrailQuery } from '../../audit-trail.query';
import { AuditPageDto } from '../../audit-page.dto';
import { ListAuditEventsDto } from './list-audit-events.dto';

@ApiTags('audit')
@Controller('audit/events')
export class ListAuditEventsController {
  constructor(private readonly query: AuditTrailQuery) {}

  @Get()
  @Roles('auditor', 'admin')
  @ApiOkResponse({ type: AuditPageDto })
  @ApiOperation({
    summary: 'The audit trail: every event with who, when, what changed from → to, why (auditors, admins)',
    description:
      "National auditors and admins read the whole trail. Those of one province read that province's trail only: the events of its periods, of the assessments in them, of its imported past results, and of its accounts (every account that holds or once held a grant in the province, sign-ins and grants included); a stream of another province gives an empty page.",
  })
  list(@Query() params: ListAuditEventsDto, @CurrentPrincipal() principal: Principal): Promise<AuditPage> {
    return this.query.page({
      ...(principal.national ? {} : { provinceCode: principal.provinceCode ?? '' }),
      ...(params.stream !== undefined ? { stream: params.stream } : {}),
      after: params.after ?? 0,
      limit: params.limit ?? defaultAuditPageSize,
    });
  }
}
