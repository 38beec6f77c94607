import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, JURISDICTION_RULES, type Principal, Public } from '@tieuchi/shared/auth';
import { ListPeriodsQueryDto, PeriodListDto } from './list-periods.dto';
import { ListPeriodsQuery } from './list-periods.query';

@ApiTags('periods')
@Controller('periods')
export class ListPeriodsController {
  constructor(private readonly query: ListPeriodsQuery) {}

  /** Public: published periods for everyone; one not published yet to the staff and unit users of its province and national accounts. */
  @Get()
  @Public()
  @ApiOkResponse({ type: PeriodListDto })
  @ApiOperation({
    summary: "Periods with their status and decision, newest first, by cursor (published ones for everyone; the others for their province's staff and unit users, and national accounts)",
    description: JURISDICTION_RULES.periodReads,
  })
  list(@Query() filter: ListPeriodsQueryDto, @CurrentPrincipal({ optional: true }) principal: Principal | undefined): Promise<PeriodListDto> {
    return this.query.execute(filter, principal);
  }
}
