import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles, JURISDICTION_RULES } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { type AssessmentCommandResponse, AssessmentCommandResponseDto } from '../../assessment-command.response';
import { AssessmentPathParams } from '../../assessment-path.params';
import { sendAssessmentCommand } from '../send-assessment-command';
import { ApproveAssessmentDto } from './approve-assessment.dto';
import { PERIOD_RULES } from '../../period-rules.descriptions';
import { ApiIfMatch } from '@tieuchi/shared/http';

@ApiTags('assessments')
@Controller('periods/:periodId/assessments/:unitCode')
export class ApproveAssessmentController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Four eyes: the decider refuses an approver who submitted or reviewed this assessment. */
  @Post('approve')
  @ApiIfMatch()
  @HttpCode(200)
  @Roles('approver')
  @ApiOkResponse({ type: AssessmentCommandResponseDto })
  @ApiOperation({ summary: 'Approve the reviewed assessment at a named revision (approvers who took no part in it)', description: `${PERIOD_RULES.fourEyes} ${JURISDICTION_RULES.staff}` })
  async approve(
    @Param() params: AssessmentPathParams,
    @Body() body: ApproveAssessmentDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ): Promise<AssessmentCommandResponse> {
    return sendAssessmentCommand(this.commandBus, params, { type: 'ApproveAssessment', data: { revision: body.revision } }, principal, request);
  }
}
