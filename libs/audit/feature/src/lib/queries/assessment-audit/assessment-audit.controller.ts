import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { assessmentStreamName } from '@tieuchi/assessment/data-access';
import { assertCoversProvince, assertOwnUnit, CurrentPrincipal, hasAnyRole, type Principal, Roles } from '@tieuchi/shared/auth';
import { Matches } from 'class-validator';
import { AuditPageParams, defaultAuditPageSize } from '../../audit-page.params';
import { type AuditPage, AuditTrailQuery } from '../../audit-trail.query';
import { AuditPageDto } from '../../audit-page.dto';

export class AssessmentAuditParams {
  @ApiProperty({ example: 'daknong-2019' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'periodId must be lower-case letters, digits and dashes' })
  periodId!: string;

  @ApiProperty({ example: '24728', description: 'official unit code (mã ĐVHC)' })
  @Matches(/^[0-9]{2,5}$/, { message: 'unitCode must be an official unit code of 2–5 digits' })
  unitCode!: string;
}

@ApiTags('audit')
@Controller('periods/:periodId/assessments/:unitCode/audit')
export class AssessmentAuditController {
  constructor(private readonly query: AuditTrailQuery) {}

  /** Whoever may see the assessment may see how each score came to be: auditors, admins, the unit's own users. */
  @Get()
  @Roles('auditor', 'admin', 'unit_editor', 'unit_lead')
  @ApiOkResponse({ type: AuditPageDto })
  @ApiOperation({
    summary: "An assessment's full history, from → to with reasons (auditors, admins, the unit's editors and leads)",
    description: "Auditors and admins of the period's province, or national ones (another province's get 403 AUTH.OTHER_PROVINCE); the unit's own editors and leads.",
  })
  async history(@Param() params: AssessmentAuditParams, @Query() page: AuditPageParams, @CurrentPrincipal() principal: Principal): Promise<AuditPage> {
    if (!hasAnyRole(principal, ['auditor', 'admin'])) assertOwnUnit(principal, params.unitCode);
    else if (!(principal.unitCode === params.unitCode && hasAnyRole(principal, ['unit_editor', 'unit_lead']))) {
      assertCoversProvince(principal, await this.query.periodProvince(params.periodId));
    }
    return this.query.page({
      stream: assessmentStreamName(params.periodId, params.unitCode),
      after: page.after ?? 0,
      limit: page.limit ?? defaultAuditPageSize,
    });
  }
}
