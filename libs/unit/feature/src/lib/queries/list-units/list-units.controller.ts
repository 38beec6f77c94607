import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@tieuchi/shared/auth';
import { ListUnitsQueryDto, UnitListDto } from './list-units.dto';
import { ListUnitsQuery } from './list-units.query';

@ApiTags('units')
@Controller('units')
export class ListUnitsController {
  constructor(private readonly query: ListUnitsQuery) {}

  /** Staff (admins, reviewers, approvers, auditors): their province's units; national staff any province's. */
  @Get()
  @Roles('auditor', 'admin', 'reviewer', 'approver')
  @ApiOkResponse({ type: UnitListDto })
  @ApiOperation({ summary: "Units by code with filters and a cursor (staff; a province's staff see their province only)" })
  list(@Query() filter: ListUnitsQueryDto, @CurrentPrincipal() principal: Principal): Promise<UnitListDto> {
    return this.query.execute(filter, principal);
  }
}
