import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import type { CriterionAnswer } from '@tieuchi/framework/domain';
import { CurrentPrincipal, type Principal, Roles, JURISDICTION_RULES } from '@tieuchi/shared/auth';
import { ApiIfMatch, invalidRequest } from '@tieuchi/shared/http';
import type { Request } from 'express';
import { type AssessmentCommandResponse, AssessmentCommandResponseDto } from '../../assessment-command.response';
import { AssessmentPathParams } from '../../assessment-path.params';
import type { AssessmentCommandInput } from '../../execute-assessment-command';
import { sendAssessmentCommand } from '../send-assessment-command';
import { ResolveAppealDto } from './resolve-appeal.dto';
import { PERIOD_RULES } from '../../period-rules.descriptions';

@ApiTags('assessments')
@Controller('periods/:periodId/assessments/:unitCode')
export class ResolveAppealController {
  constructor(private readonly commandBus: CommandBus) {}

  /** The decider refuses the original reviewers and reviewers of the unit itself. */
  @Post('appeal/resolve')
  @ApiIfMatch()
  @HttpCode(200)
  @Roles('reviewer')
  @ApiOkResponse({ type: AssessmentCommandResponseDto })
  @ApiOperation({ summary: 'Resolve an appeal: uphold, or revise with adjustments (a reviewer other than the original)', description: `${PERIOD_RULES.resolveAppeal} ${JURISDICTION_RULES.staff}` })
  async resolve(
    @Param() params: AssessmentPathParams,
    @Body() body: ResolveAppealDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ): Promise<AssessmentCommandResponse> {
    return sendAssessmentCommand(this.commandBus, params, resolveAppealCommand(body), principal, request);
  }
}

function resolveAppealCommand(body: ResolveAppealDto): AssessmentCommandInput {
  if (body.outcome === 'upheld') {
    // An upheld appeal changes nothing: adjustments sent with it would be silently dropped.
    if (body.adjustments !== undefined) throw invalidRequest([{ field: 'adjustments', messages: ['adjustments must be absent when the outcome is upheld'] }]);
    return { type: 'ResolveAppeal', data: { outcome: 'upheld', reason: body.reason } };
  }
  const adjustments = (body.adjustments ?? []).map((a) => ({ criterionCode: a.criterionCode, answer: a.answer as CriterionAnswer, reason: a.reason }));
  return { type: 'ResolveAppeal', data: { outcome: 'revised', reason: body.reason, adjustments } };
}
