import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { acceptRemainingCommands } from '@tieuchi/assessment/domain';
import { CurrentPrincipal, type Principal, Roles, JURISDICTION_RULES } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { type AssessmentCommandResponse, AssessmentCommandResponseDto } from '../../assessment-command.response';
import { AssessmentPathParams } from '../../assessment-path.params';
import { sendAssessmentCommand } from '../send-assessment-command';
import { ApiIfMatch } from '@tieuchi/shared/http';

@ApiTags('assessments')
@Controller('periods/:periodId/assessments/:unitCode')
export class AcceptRemainingController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Reviewers (the decider refuses reviewers of their own unit): every criterion without a decision at the version read is accepted, in one append. */
  @Post('review/accept-remaining')
  @HttpCode(200)
  @Roles('reviewer')
  @ApiIfMatch('the version (ETag) the review screen shows; 412 when the assessment moved since')
  @ApiOkResponse({ type: AssessmentCommandResponseDto })
  @ApiOperation({ summary: 'Accept the self score of every criterion not yet accepted or adjusted (reviewers)', description: JURISDICTION_RULES.staff })
  async acceptRemaining(@Param() params: AssessmentPathParams, @CurrentPrincipal() principal: Principal, @Req() request: Request): Promise<AssessmentCommandResponse> {
    return sendAssessmentCommand(this.commandBus, params, (state, metadata) => acceptRemainingCommands(state, metadata), principal, request);
  }
}
