import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles, JURISDICTION_RULES } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { type AssessmentCommandResponse, AssessmentCommandResponseDto } from '../../assessment-command.response';
import { AssessmentPathParams } from '../../assessment-path.params';
import { sendAssessmentCommand } from '../send-assessment-command';
import { ApiIfMatch } from '@tieuchi/shared/http';

@ApiTags('assessments')
@Controller('periods/:periodId/assessments/:unitCode')
export class StartReviewController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('review/start')
  @ApiIfMatch()
  @HttpCode(200)
  @Roles('reviewer')
  @ApiOkResponse({ type: AssessmentCommandResponseDto })
  @ApiOperation({ summary: 'Start reviewing a submitted assessment (reviewers not of the unit)', description: JURISDICTION_RULES.staff })
  async startReview(@Param() params: AssessmentPathParams, @CurrentPrincipal() principal: Principal, @Req() request: Request): Promise<AssessmentCommandResponse> {
    return sendAssessmentCommand(this.commandBus, params, { type: 'StartReview', data: {} }, principal, request);
  }
}
