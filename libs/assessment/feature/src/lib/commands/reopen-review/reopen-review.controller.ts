import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles, JURISDICTION_RULES } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { type AssessmentCommandResponse, AssessmentCommandResponseDto } from '../../assessment-command.response';
import { AssessmentPathParams } from '../../assessment-path.params';
import { PERIOD_RULES } from '../../period-rules.descriptions';
import { sendAssessmentCommand } from '../send-assessment-command';
import { ReopenReviewDto } from './reopen-review.dto';
import { ApiIfMatch } from '@tieuchi/shared/http';

@ApiTags('assessments')
@Controller('periods/:periodId/assessments/:unitCode')
export class ReopenReviewController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('review/reopen')
  @ApiIfMatch()
  @HttpCode(200)
  @Roles('reviewer')
  @ApiOkResponse({ type: AssessmentCommandResponseDto })
  @ApiOperation({
    summary: 'Reopen a completed review while it awaits approval, with a reason (reviewers not of the unit)',
    description: `${PERIOD_RULES.reopenReview} ${JURISDICTION_RULES.staff}`,
  })
  async reopenReview(
    @Param() params: AssessmentPathParams,
    @Body() body: ReopenReviewDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ): Promise<AssessmentCommandResponse> {
    return sendAssessmentCommand(this.commandBus, params, { type: 'ReopenReview', data: { reason: body.reason } }, principal, request);
  }
}
