import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ROLES, Roles } from '@tieuchi/shared/auth';
import { PeriodPathParams } from '../../period-fields';
import { GetPeriodQuery, type PeriodView } from './get-period.query';

@ApiTags('periods')
@Controller('periods/:periodId')
export class GetPeriodController {
  constructor(private readonly query: GetPeriodQuery) {}

  @Get()
  @Roles(...ROLES)
  @ApiOperation({ summary: 'A period: pinned framework, deadlines, publication and corrections (any signed-in user)' })
  get(@Param() params: PeriodPathParams): Promise<PeriodView> {
    return this.query.execute(params.periodId);
  }
}
