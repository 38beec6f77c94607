import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReadAfter } from '@tieuchi/shared/application';
import { CurrentPrincipal, type Principal, Roles } from '@tieuchi/shared/auth';
import { UNITS_PROJECTION_ID } from '@tieuchi/unit/data-access';
import { ListUnitsQueryDto, UnitListDto } from './list-units.dto';
import { ListUnitsQuery } from './list-units.query';

@ApiTags('units')
@Controller('units')
export class ListUnitsController {
  constructor(
    private readonly query: ListUnitsQuery,
    private readonly readAfter: ReadAfter,
  ) {}

  /** Staff (admins, reviewers, approvers, auditors): their province's units; national staff any province's. */
  @Get()
  @Roles('auditor', 'admin', 'reviewer', 'approver')
  @ApiOkResponse({ type: UnitListDto })
  @ApiOperation({ summary: "Units by code with filters and a cursor (staff; a province's staff see their province only)" })
  async list(@Query() filter: ListUnitsQueryDto, @CurrentPrincipal() principal: Principal): Promise<UnitListDto> {
    await this.readAfter.waitFor(UNITS_PROJECTION_ID, filter.after);
    return this.query.execute(filter, principal);
  }
}
