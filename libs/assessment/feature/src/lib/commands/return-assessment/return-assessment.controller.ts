import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles, JURISDICTION_RULES } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { type AssessmentCommandResponse, AssessmentCommandResponseDto } from '../../assessment-command.response';
import { AssessmentPathParams } from '../../assessment-path.params';
import { sendAssessmentCommand } from '../send-assessment-command';
import { ReturnAssessmentDto } from './return-assessment.dto';
import { ApiIfMatch } from '@tieuchi/shared/http';

@ApiTags('assessments')
@Controller('periods/:periodId/assessments/:unitCode')
export class ReturnAssessmentController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('return')
  @ApiIfMatch()
  @HttpCode(200)
  @Roles('reviewer')
  @ApiOkResponse({ type: AssessmentCommandResponseDto })
  @ApiOperation({ summary: 'Return the assessment to the unit with a comment and the criteria to revise (reviewers not of the unit)', description: JURISDICTION_RULES.staff })
  async returnAssessment(
    @Param() params: AssessmentPathParams,
    @Body() body: ReturnAssessmentDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ): Promise<AssessmentCommandResponse> {
    return sendAssessmentCommand(
      this.commandBus,
      params,
      { type: 'ReturnAssessment', data: { comment: body.comment, flaggedCriteria: body.flaggedCriteria ?? [] } },
      principal,
      request,
    );
  }
}
