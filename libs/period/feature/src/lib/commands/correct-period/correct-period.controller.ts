import { Body, Controller, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiCreatedResponse } from '@nestjs/swagger';
import type { PeriodEvent } from '@tieuchi/period/domain';
import { type CommandOutcome, requestContextOf } from '@tieuchi/shared/application';
import { Roles, JURISDICTION_RULES } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { ExecutePeriodCommand } from '../../execute-period-command';
import { type PeriodCommandResponse, toPeriodCommandResponse } from '../../period-command.response';
import { PeriodPathParams } from '../../period-fields';
import { CorrectPeriodDto } from './correct-period.dto';
import { ApiIfMatch, PositionedCommandResponseDto } from '@tieuchi/shared/http';

@ApiTags('periods')
@Controller('periods/:periodId/corrections')
export class CorrectPeriodController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiIfMatch()
  @Roles('admin')
  @ApiCreatedResponse({ type: PositionedCommandResponseDto })
  @ApiOperation({
    summary: 'Correct a published period by a later decision (administrators)',
    description:
      JURISDICTION_RULES.periods +
      ' ' +
      'Số quyết định đính chính cũng là duy nhất trong tỉnh (409 PERIOD.DECISION_NUMBER_TAKEN). A correcting decision number is unique within the province too ' +
      '(409 PERIOD.DECISION_NUMBER_TAKEN, field decisionNumber). Units the publication excluded stay listed as not assessed until a decision publishes their assessment.',
  })
  async correct(@Param() params: PeriodPathParams, @Body() body: CorrectPeriodDto, @Req() request: Request): Promise<PeriodCommandResponse> {
    const outcome = await this.commandBus.execute<ExecutePeriodCommand, CommandOutcome<PeriodEvent>>(
      new ExecutePeriodCommand(
        params.periodId,
        { type: 'CorrectPeriod', data: { periodId: params.periodId, decisionNumber: body.decisionNumber, decisionDate: body.decisionDate, reason: body.reason } },
        requestContextOf(request),
      ),
    );
    return toPeriodCommandResponse(outcome);
  }
}
