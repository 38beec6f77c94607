import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import { assertOwnUnit, CurrentPrincipal, type Principal, Roles } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { type AssessmentCommandResponse, AssessmentCommandResponseDto } from '../../assessment-command.response';
import { AssessmentPathParams } from '../../assessment-path.params';
import { sendAssessmentCommand } from '../send-assessment-command';
import { AppealAssessmentDto } from './appeal-assessment.dto';
import { PERIOD_RULES } from '../../period-rules.descriptions';
import { ApiIfMatch } from '@tieuchi/shared/http';

@ApiTags('assessments')
@Controller('periods/:periodId/assessments/:unitCode')
export class AppealAssessmentController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('appeal')
  @ApiIfMatch()
  @HttpCode(200)
  @Roles('unit_lead')
  @ApiOkResponse({ type: AssessmentCommandResponseDto })
  @ApiOperation({ summary: 'Appeal the published result within the appeal window (lead of the unit)', description: PERIOD_RULES.appeal })
  async appeal(
    @Param() params: AssessmentPathParams,
    @Body() body: AppealAssessmentDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ): Promise<AssessmentCommandResponse> {
    assertOwnUnit(principal, params.unitCode);
    return sendAssessmentCommand(
      this.commandBus,
      params,
      { type: 'AppealAssessment', data: { reason: body.reason, ...(body.criteriaCodes !== undefined ? { criteriaCodes: body.criteriaCodes } : {}) } },
      principal,
      request,
    );
  }
}
