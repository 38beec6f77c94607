import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, ROLES, Roles } from '@tieuchi/shared/auth';
import { PeriodPathParams } from '../../assessment-path.params';
import { ListPeriodAssessmentsQueryDto, PeriodAssessmentListDto } from './list-period-assessments.dto';
import { ListPeriodAssessmentsQuery } from './list-period-assessments.query';

@ApiTags('assessments')
@Controller('periods/:periodId/assessments')
export class ListPeriodAssessmentsController {
  constructor(private readonly query: ListPeriodAssessmentsQuery) {}

  /** Any signed-in user: staff see every submitted assessment, unit users their own unit's. */
  @Get()
  @Roles(...ROLES)
  @ApiOkResponse({ type: PeriodAssessmentListDto })
  @ApiOperation({ summary: "A period's assessments with filters and cursor (staff: submitted ones; unit users: their own)" })
  list(@Param() params: PeriodPathParams, @Query() filter: ListPeriodAssessmentsQueryDto, @CurrentPrincipal() principal: Principal): Promise<PeriodAssessmentListDto> {
    return this.query.execute(params.periodId, filter, principal);
  }
}
