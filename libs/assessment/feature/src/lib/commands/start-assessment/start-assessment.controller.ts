import { Controller, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiCreatedResponse } from '@nestjs/swagger';
import { assertOwnUnit, CurrentPrincipal, JURISDICTION_RULES, type Principal, Roles } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { type AssessmentCommandResponse, AssessmentCommandResponseDto } from '../../assessment-command.response';
import { AssessmentContextLoader } from '../../assessment-context.loader';
import { AssessmentPathParams } from '../../assessment-path.params';
import { PERIOD_RULES } from '../../period-rules.descriptions';
import { sendAssessmentCommand } from '../send-assessment-command';
import { ApiIfMatch } from '@tieuchi/shared/http';

@ApiTags('assessments')
@Controller('periods/:periodId/assessments/:unitCode')
export class StartAssessmentController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly contexts: AssessmentContextLoader,
  ) {}

  /** Opens the unit's form for the period (phiếu đánh giá): unit editors and leads of the unit. */
  @Post()
  @ApiIfMatch()
  @Roles('unit_editor', 'unit_lead')
  @ApiCreatedResponse({ type: AssessmentCommandResponseDto })
  @ApiOperation({ summary: "Start the unit's assessment for the period (unit editors and leads of the unit)", description: `${PERIOD_RULES.start} ${JURISDICTION_RULES.startAssessment}` })
  async start(@Param() params: AssessmentPathParams, @CurrentPrincipal() principal: Principal, @Req() request: Request): Promise<AssessmentCommandResponse> {
    assertOwnUnit(principal, params.unitCode);
    const tier = await this.contexts.unitTier(params.unitCode);
    return sendAssessmentCommand(this.commandBus, params, { type: 'StartAssessment', data: { periodId: params.periodId, unitCode: params.unitCode, tier } }, principal, request);
  }
}
