import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ROLES, Roles } from '@tieuchi/shared/auth';
import { PeriodPathParams } from '../../period-fields';
import { GetPeriod, type PeriodView } from './get-period.query';

@ApiTags('periods')
@Controller('periods/:periodId')
export class GetPeriodController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @Roles(...ROLES)
  @ApiOperation({ summary: 'A period: pinned framework, deadlines, publication and corrections (any signed-in user)' })
  get(@Param() params: PeriodPathParams): Promise<PeriodView> {
    return this.queryBus.execute<GetPeriod, PeriodView>(new GetPeriod(params.periodId));
  }
}
