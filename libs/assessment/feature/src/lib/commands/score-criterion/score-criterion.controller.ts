import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import type { CriterionAnswer } from '@tieuchi/framework/domain';
import { CLOCK, type Clock } from '@tieuchi/shared/application';
import { EvidenceUploads } from '../../evidence/evidence-uploads.repository';
import { assertOwnUnit, CurrentPrincipal, type Principal, Roles } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { type AssessmentCommandResponse, AssessmentCommandResponseDto } from '../../assessment-command.response';
import { CriterionPathParams } from '../../assessment-path.params';
import { ScoreCriterionDto } from './score-criterion.dto';
import { PERIOD_RULES } from '../../period-rules.descriptions';
import { sendAssessmentCommand } from '../send-assessment-command';
import { ApiIfMatch } from '@tieuchi/shared/http';

@ApiTags('assessments')
@Controller('periods/:periodId/assessments/:unitCode/criteria/:criterionCode')
export class ScoreCriterionController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly uploads: EvidenceUploads,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Unit editors and leads of the unit itself; the decider refuses other units and closed forms. */
  @Post('score')
  @ApiIfMatch()
  @HttpCode(200)
  @Roles('unit_editor', 'unit_lead')
  @ApiOkResponse({ type: AssessmentCommandResponseDto })
  @ApiOperation({ summary: 'Self-score one criterion with evidence (unit editors and leads of the unit)', description: PERIOD_RULES.edit })
  async score(
    @Param() params: CriterionPathParams,
    @Body() body: ScoreCriterionDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ): Promise<AssessmentCommandResponse> {
    assertOwnUnit(principal, params.unitCode);
    const evidence = await this.uploads.resolve(params.periodId, params.unitCode, body.evidence, 'evidence', this.clock.now());
    const data = {
      criterionCode: params.criterionCode,
      answer: body.answer as CriterionAnswer,
      evidence,
      ...(body.explanation !== undefined ? { explanation: body.explanation } : {}),
    };
    return sendAssessmentCommand(this.commandBus, params, { type: 'ScoreCriterion', data }, principal, request);
  }
}

