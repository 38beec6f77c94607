import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import type { CriterionAnswer } from '@tieuchi/framework/domain';
import { CurrentPrincipal, type Principal, Roles, JURISDICTION_RULES } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { type AssessmentCommandResponse, AssessmentCommandResponseDto } from '../../assessment-command.response';
import { CriterionPathParams } from '../../assessment-path.params';
import { sendAssessmentCommand } from '../send-assessment-command';
import { AdjustCriterionDto } from './adjust-criterion.dto';
import { ApiIfMatch } from '@tieuchi/shared/http';

@ApiTags('assessments')
@Controller('periods/:periodId/assessments/:unitCode/criteria/:criterionCode')
export class AdjustCriterionController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('adjust')
  @ApiIfMatch()
  @HttpCode(200)
  @Roles('reviewer')
  @ApiOkResponse({ type: AssessmentCommandResponseDto })
  @ApiOperation({ summary: 'Set the reviewed score of one criterion, with a reason (reviewers not of the unit)', description: JURISDICTION_RULES.staff })
  async adjust(
    @Param() params: CriterionPathParams,
    @Body() body: AdjustCriterionDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ): Promise<AssessmentCommandResponse> {
    return sendAssessmentCommand(
      this.commandBus,
      params,
      { type: 'AdjustCriterion', data: { criterionCode: params.criterionCode, answer: body.answer as CriterionAnswer, reason: body.reason } },
      principal,
      request,
    );
  }
}
