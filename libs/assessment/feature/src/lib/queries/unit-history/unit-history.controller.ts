import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Public } from '@tieuchi/shared/auth';
import { UnitHistoryDto } from './unit-history.dto';
import { UnitHistoryParams } from './unit-history.params';
import { type UnitHistory, UnitHistoryQuery } from './unit-history.query';

@ApiTags('assessments')
@Controller('units/:unitCode/history')
export class UnitHistoryController {
  constructor(private readonly query: UnitHistoryQuery) {}

  /** Public: published periods for everyone; the unit's own users and staff also see provisional ones. */
  @Get()
  @Public()
  @ApiOkResponse({ type: UnitHistoryDto })
  @ApiOperation({ summary: "A unit's part scores and levels across periods (public once published)" })
  get(@Param() params: UnitHistoryParams, @CurrentPrincipal({ optional: true }) principal: Principal | undefined): Promise<UnitHistory> {
    return this.query.execute(params.unitCode, principal);
  }
}
