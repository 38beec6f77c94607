import { Controller, Get, Param, Query } from '@nestjs/common';
import { ReadAfter } from '@tieuchi/shared/application';
import { ReadAfterQueryDto } from '@tieuchi/shared/http';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { coversProvince, CurrentPrincipal, otherProvince, hasAnyRole, JURISDICTION_RULES, type Principal, PROVINCE_ROLES, ROLES, Roles } from '@tieuchi/shared/auth';
import { PeriodPathParams } from '../../period-fields';
import { GetPeriodQuery, type PeriodView } from './get-period.query';
import { PeriodViewDto } from './period-view.dto';

@ApiTags('periods')
@Controller('periods/:periodId')
export class GetPeriodController {
  constructor(
    private readonly query: GetPeriodQuery,
    private readonly readAfter: ReadAfter,
  ) {}

  @Get()
  @Roles(...ROLES)
  @ApiOkResponse({ type: PeriodViewDto })
  @ApiOperation({
    summary: "A period: pinned framework, deadlines, publication and corrections (unit users; staff of the period's province; national accounts)",
    description: JURISDICTION_RULES.periodReads,
  })
  async get(@Param() params: PeriodPathParams, @Query() query: ReadAfterQueryDto, @CurrentPrincipal() principal: Principal): Promise<PeriodView> {
    // Folded from its stream on read, the period shows every write already: `after` is only checked.
    this.readAfter.check(query.after);
    const period = await this.query.execute(params.periodId);
    // A published period is public; before that, staff read their own province's and a unit's users the periods it may be assessed in.
    if (period.status === 'published' || principal.national) return period;
    if (hasAnyRole(principal, PROVINCE_ROLES) && coversProvince(principal, period.provinceCode)) return period;
    if (principal.unitCode !== null && (await this.query.unitProvince(principal.unitCode)) === period.provinceCode) return period;
    throw otherProvince(period.provinceCode);
  }
}
