import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import { assertOwnUnit, CurrentPrincipal, type Principal, Roles } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { type AssessmentCommandResponse, AssessmentCommandResponseDto } from '../../assessment-command.response';
import { AssessmentPathParams } from '../../assessment-path.params';
import { sendAssessmentCommand } from '../send-assessment-command';
import { PERIOD_RULES } from '../../period-rules.descriptions';
import { ApiIfMatch } from '@tieuchi/shared/http';

@ApiTags('assessments')
@Controller('periods/:periodId/assessments/:unitCode')
export class SubmitAssessmentController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('submit')
  @ApiIfMatch()
  @HttpCode(200)
  @Roles('unit_lead')
  @ApiOkResponse({ type: AssessmentCommandResponseDto })
  @ApiOperation({ summary: 'Submit the self-assessment for review; every criterion must be answered (lead of the unit)', description: PERIOD_RULES.submit })
  async submit(@Param() params: AssessmentPathParams, @CurrentPrincipal() principal: Principal, @Req() request: Request): Promise<AssessmentCommandResponse> {
    assertOwnUnit(principal, params.unitCode);
    return sendAssessmentCommand(this.commandBus, params, { type: 'SubmitAssessment', data: {} }, principal, request);
  }
}
