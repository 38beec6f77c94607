import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertCoversProvince, CurrentPrincipal, hasAnyRole, JURISDICTION_RULES, type Principal, PROVINCE_ROLES, ROLES, Roles } from '@tieuchi/shared/auth';
import { PeriodPathParams } from '../../period-fields';
import { GetPeriodQuery, type PeriodView } from './get-period.query';
import { PeriodViewDto } from './period-view.dto';

@ApiTags('periods')
@Controller('periods/:periodId')
export class GetPeriodController {
  constructor(private readonly query: GetPeriodQuery) {}

  @Get()
  @Roles(...ROLES)
  @ApiOkResponse({ type: PeriodViewDto })
  @ApiOperation({
    summary: "A period: pinned framework, deadlines, publication and corrections (unit users; staff of the period's province; national accounts)",
    description: JURISDICTION_RULES.periodReads,
  })
  async get(@Param() params: PeriodPathParams, @CurrentPrincipal() principal: Principal): Promise<PeriodView> {
    const period = await this.query.execute(params.periodId);
    // Staff roles reach their own province only; a unit's users read the periods it may be assessed in.
    if (hasAnyRole(principal, PROVINCE_ROLES)) assertCoversProvince(principal, period.provinceCode);
    return period;
  }
}
