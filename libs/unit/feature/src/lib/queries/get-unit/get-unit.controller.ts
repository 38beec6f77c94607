import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertOwnUnit, CurrentPrincipal, hasAnyRole, type Principal, Roles } from '@tieuchi/shared/auth';
import { UnitPathParams } from '../../unit-fields';
import { UnitViewDto } from './unit-view.dto';
import { GetUnitQuery, type UnitView } from './get-unit.query';

@ApiTags('units')
@Controller('units/:code')
export class GetUnitController {
  constructor(private readonly query: GetUnitQuery) {}

  /** Staff read every unit; a unit's editors and leads read their own only (403 otherwise). */
  @Get()
  @Roles('auditor', 'admin', 'reviewer', 'approver', 'unit_editor', 'unit_lead')
  @ApiOkResponse({ type: UnitViewDto })
  @ApiOperation({ summary: "A unit with its history and merges (staff; a unit's own users)" })
  get(@Param() params: UnitPathParams, @CurrentPrincipal() principal: Principal): Promise<UnitView> {
    if (!hasAnyRole(principal, ['auditor', 'admin', 'reviewer', 'approver'])) assertOwnUnit(principal, params.code);
    return this.query.execute(params.code);
  }
}
