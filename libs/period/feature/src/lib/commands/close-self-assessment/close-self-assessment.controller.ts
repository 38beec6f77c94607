import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import type { PeriodEvent } from '@tieuchi/period/domain';
import { type CommandOutcome, requestContextOf } from '@tieuchi/shared/application';
import { Roles, JURISDICTION_RULES } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { ExecutePeriodCommand } from '../../execute-period-command';
import { type PeriodCommandResponse, toPeriodCommandResponse } from '../../period-command.response';
import { PeriodPathParams } from '../../period-fields';
import { ApiIfMatch, PositionedCommandResponseDto } from '@tieuchi/shared/http';

@ApiTags('periods')
@Controller('periods/:periodId/self-assessment/close')
export class CloseSelfAssessmentController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiIfMatch()
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: PositionedCommandResponseDto })
  @ApiOperation({ summary: 'Close the self-assessment phase of a period (administrators)', description: JURISDICTION_RULES.periods })
  async close(@Param() params: PeriodPathParams, @Req() request: Request): Promise<PeriodCommandResponse> {
    const outcome = await this.commandBus.execute<ExecutePeriodCommand, CommandOutcome<PeriodEvent>>(
      new ExecutePeriodCommand(params.periodId, { type: 'CloseSelfAssessment', data: { periodId: params.periodId } }, requestContextOf(request)),
    );
    return toPeriodCommandResponse(outcome);
  }
}
