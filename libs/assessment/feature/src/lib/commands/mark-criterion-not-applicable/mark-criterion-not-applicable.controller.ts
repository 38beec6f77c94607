import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import { CLOCK, type Clock } from '@tieuchi/shared/application';
import { assertOwnUnit, CurrentPrincipal, type Principal, Roles } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { type AssessmentCommandResponse, AssessmentCommandResponseDto } from '../../assessment-command.response';
import { CriterionPathParams } from '../../assessment-path.params';
import { EvidenceUploads } from '../../evidence/evidence-uploads.repository';
import { sendAssessmentCommand } from '../send-assessment-command';
import { MarkCriterionNotApplicableDto } from './mark-criterion-not-applicable.dto';
import { PERIOD_RULES } from '../../period-rules.descriptions';
import { ApiIfMatch } from '@tieuchi/shared/http';

@ApiTags('assessments')
@Controller('periods/:periodId/assessments/:unitCode/criteria/:criterionCode')
export class MarkCriterionNotApplicableController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly uploads: EvidenceUploads,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('not-applicable')
  @ApiIfMatch()
  @HttpCode(200)
  @Roles('unit_editor', 'unit_lead')
  @ApiOkResponse({ type: AssessmentCommandResponseDto })
  @ApiOperation({ summary: 'Mark a criterion not applicable, with an explanation (unit editors and leads of the unit)', description: PERIOD_RULES.edit })
  async markNotApplicable(
    @Param() params: CriterionPathParams,
    @Body() body: MarkCriterionNotApplicableDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ): Promise<AssessmentCommandResponse> {
    assertOwnUnit(principal, params.unitCode);
    return sendAssessmentCommand(
      this.commandBus,
      params,
      {
        type: 'MarkCriterionNotApplicable',
        data: {
          criterionCode: params.criterionCode,
          explanation: body.explanation,
          ...(body.evidence !== undefined ? { evidence: await this.uploads.resolve(params.periodId, params.unitCode, body.evidence, 'evidence', this.clock.now()) } : {}),
        },
      },
      principal,
      request,
    );
  }
}
