import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ASSESSMENT_SUMMARY_PROJECTION_ID } from '@tieuchi/assessment/data-access';
import { ReadAfter } from '@tieuchi/shared/application';
import { CurrentPrincipal, JURISDICTION_RULES, type Principal, Public } from '@tieuchi/shared/auth';
import { ListPeriodsQueryDto, PeriodListDto } from './list-periods.dto';
import { ListPeriodsQuery } from './list-periods.query';

@ApiTags('periods')
@Controller('periods')
export class ListPeriodsController {
  constructor(
    private readonly query: ListPeriodsQuery,
    private readonly readAfter: ReadAfter,
  ) {}

  /** Public: published periods for everyone; one not published yet to the staff and unit users of its province and national accounts. */
  @Get()
  @Public()
  @ApiOkResponse({ type: PeriodListDto })
  @ApiOperation({
    summary: "Periods with their status and decision, newest first, by cursor (published ones for everyone; the others for their province's staff and unit users, and national accounts)",
    description: JURISDICTION_RULES.periodReads,
  })
  async list(@Query() filter: ListPeriodsQueryDto, @CurrentPrincipal({ optional: true }) principal: Principal | undefined): Promise<PeriodListDto> {
    // The list is the assessment summary's (it follows the period streams).
    await this.readAfter.waitFor(ASSESSMENT_SUMMARY_PROJECTION_ID, filter.after);
    return this.query.execute(filter, principal);
  }
}
