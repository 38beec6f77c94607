import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Public } from '@tieuchi/shared/auth';
import { ListPeriodsQueryDto, PeriodListDto } from './list-periods.dto';
import { ListPeriodsQuery } from './list-periods.query';

@ApiTags('periods')
@Controller('periods')
export class ListPeriodsController {
  constructor(private readonly query: ListPeriodsQuery) {}

  /** Public: published periods for everyone; signed-in users see every period. */
  @Get()
  @Public()
  @ApiOkResponse({ type: PeriodListDto })
  @ApiOperation({ summary: 'Periods with their status and decision, newest first, by cursor (published ones for everyone, all for signed-in users)' })
  list(@Query() filter: ListPeriodsQueryDto, @CurrentPrincipal({ optional: true }) principal: Principal | undefined): Promise<PeriodListDto> {
    return this.query.execute(filter, principal);
  }
}
