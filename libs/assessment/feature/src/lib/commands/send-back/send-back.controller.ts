import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles, JURISDICTION_RULES } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { type AssessmentCommandResponse, AssessmentCommandResponseDto } from '../../assessment-command.response';
import { AssessmentPathParams } from '../../assessment-path.params';
import { sendAssessmentCommand } from '../send-assessment-command';
import { SendBackDto } from './send-back.dto';
import { PERIOD_RULES } from '../../period-rules.descriptions';
import { ApiIfMatch } from '@tieuchi/shared/http';

@ApiTags('assessments')
@Controller('periods/:periodId/assessments/:unitCode')
export class SendBackController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('send-back')
  @ApiIfMatch()
  @HttpCode(200)
  @Roles('approver')
  @ApiOkResponse({ type: AssessmentCommandResponseDto })
  @ApiOperation({ summary: 'Send a reviewed assessment back to review with a comment (approvers)', description: `${PERIOD_RULES.fourEyes} ${JURISDICTION_RULES.staff}` })
  async sendBack(
    @Param() params: AssessmentPathParams,
    @Body() body: SendBackDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ): Promise<AssessmentCommandResponse> {
    return sendAssessmentCommand(this.commandBus, params, { type: 'SendBack', data: { comment: body.comment } }, principal, request);
  }
}
