import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PeriodEvent } from '@tieuchi/period/domain';
import { type CommandOutcome, requestContextOf } from '@tieuchi/shared/application';
import { Roles, JURISDICTION_RULES } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { ExecutePeriodCommand } from '../../execute-period-command';
import { type PeriodCommandResponse, toPeriodCommandResponse } from '../../period-command.response';
import { PeriodPathParams } from '../../period-fields';
import { PublishPeriodDto } from './publish-period.dto';

@ApiTags('periods')
@Controller('periods/:periodId/publish')
export class PublishPeriodController {
  constructor(private readonly commandBus: CommandBus) {}

  /**
   * Appends PeriodPublished only; the approved assessments are published by the process that
   * reacts to it in the event feed (await `checkpoint` from the answer to see them published).
   */
  @Post()
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Publish the period under a decision number and date; its approved assessments follow (administrators)', description: JURISDICTION_RULES.periods })
  async publish(@Param() params: PeriodPathParams, @Body() body: PublishPeriodDto, @Req() request: Request): Promise<PeriodCommandResponse> {
    const outcome = await this.commandBus.execute<ExecutePeriodCommand, CommandOutcome<PeriodEvent>>(
      new ExecutePeriodCommand(
        params.periodId,
        { type: 'PublishPeriod', data: { periodId: params.periodId, decisionNumber: body.decisionNumber, decisionDate: body.decisionDate } },
        requestContextOf(request),
      ),
    );
    return toPeriodCommandResponse(outcome);
  }
}
