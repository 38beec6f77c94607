import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles, JURISDICTION_RULES } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { type AssessmentCommandResponse, AssessmentCommandResponseDto } from '../../assessment-command.response';
import { CriterionPathParams } from '../../assessment-path.params';
import { sendAssessmentCommand } from '../send-assessment-command';
import { ApiIfMatch } from '@tieuchi/shared/http';

@ApiTags('assessments')
@Controller('periods/:periodId/assessments/:unitCode/criteria/:criterionCode')
export class AcceptCriterionController {
  constructor(private readonly commandBus: CommandBus) {}

  /** The reviewed score becomes the self score; the decider refuses reviewers of their own unit. */
  @Post('accept')
  @ApiIfMatch()
  @HttpCode(200)
  @Roles('reviewer')
  @ApiOkResponse({ type: AssessmentCommandResponseDto })
  @ApiOperation({ summary: "Accept the unit's self score of one criterion (reviewers not of the unit)", description: JURISDICTION_RULES.staff })
  async accept(@Param() params: CriterionPathParams, @CurrentPrincipal() principal: Principal, @Req() request: Request): Promise<AssessmentCommandResponse> {
    return sendAssessmentCommand(this.commandBus, params, { type: 'AcceptCriterion', data: { criterionCode: params.criterionCode } }, principal, request);
  }
}
