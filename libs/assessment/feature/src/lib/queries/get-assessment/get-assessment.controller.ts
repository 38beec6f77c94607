import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, ROLES, Roles } from '@tieuchi/shared/auth';
import { AssessmentPathParams } from '../../assessment-path.params';
import { type AssessmentDetail, GetAssessmentQuery } from './get-assessment.query';

@ApiTags('assessments')
@Controller('periods/:periodId/assessments/:unitCode')
export class GetAssessmentController {
  constructor(private readonly query: GetAssessmentQuery) {}

  /**
   * Any signed-in user may ask; the unit's own users always get it, staff once it has been
   * submitted. A draft is a 404 for everyone else (its existence is not disclosed).
   */
  @Get()
  @Roles(...ROLES)
  @ApiOperation({ summary: 'Assessment detail with both scores per criterion and the next actions of the caller (unit users; staff once submitted)' })
  get(@Param() params: AssessmentPathParams, @CurrentPrincipal() principal: Principal): Promise<AssessmentDetail> {
    return this.query.execute(params.periodId, params.unitCode, principal);
  }
}
