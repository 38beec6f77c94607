import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReadAfterQueryDto } from '@tieuchi/shared/http';
import { ASSESSMENT_SUMMARY_PROJECTION_ID } from '@tieuchi/assessment/data-access';
import { ReadAfter } from '@tieuchi/shared/application';
import { CurrentPrincipal, type Principal, ROLES, Roles, JURISDICTION_RULES } from '@tieuchi/shared/auth';
import { AssessmentPathParams } from '../../assessment-path.params';
import { AssessmentDetailDto } from './assessment-detail.dto';
import { type AssessmentDetail, GetAssessmentQuery } from './get-assessment.query';

@ApiTags('assessments')
@Controller('periods/:periodId/assessments/:unitCode')
export class GetAssessmentController {
  constructor(
    private readonly query: GetAssessmentQuery,
    private readonly readAfter: ReadAfter,
  ) {}

  /**
   * Any signed-in user may ask; the unit's own users always get it, staff once it has been
   * submitted. A draft is a 404 for everyone else (its existence is not disclosed).
   */
  @Get()
  @Roles(...ROLES)
  @ApiOkResponse({ type: AssessmentDetailDto })
  @ApiOperation({ summary: 'Assessment detail with both scores per criterion and the next actions of the caller (unit users; staff once submitted)', description: JURISDICTION_RULES.reads })
  async get(@Param() params: AssessmentPathParams, @Query() query: ReadAfterQueryDto, @CurrentPrincipal() principal: Principal): Promise<AssessmentDetail> {
    await this.readAfter.waitFor(ASSESSMENT_SUMMARY_PROJECTION_ID, query.after);
    return this.query.execute(params.periodId, params.unitCode, principal);
  }
}
