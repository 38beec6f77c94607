import { Body, Controller, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiCreatedResponse } from '@nestjs/swagger';
import type { PeriodEvent } from '@tieuchi/period/domain';
import { type CommandOutcome, requestContextOf } from '@tieuchi/shared/application';
import { Roles, JURISDICTION_RULES } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { ExecutePeriodCommand } from '../../execute-period-command';
import { type PeriodCommandResponse, toPeriodCommandResponse } from '../../period-command.response';
import { OpenPeriodDto } from './open-period.dto';
import { ApiIfMatch, PositionedCommandResponseDto } from '@tieuchi/shared/http';

@ApiTags('periods')
@Controller('periods')
export class OpenPeriodController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiIfMatch()
  @Roles('admin')
  @ApiCreatedResponse({ type: PositionedCommandResponseDto })
  @ApiOperation({ summary: 'Open a period on a published framework version, with its deadlines (administrators)', description: `${JURISDICTION_RULES.openPeriod} ${JURISDICTION_RULES.periods}` })
  async open(@Body() body: OpenPeriodDto, @Req() request: Request): Promise<PeriodCommandResponse> {
    const outcome = await this.commandBus.execute<ExecutePeriodCommand, CommandOutcome<PeriodEvent>>(
      new ExecutePeriodCommand(
        body.periodId,
        {
          type: 'OpenPeriod',
          data: {
            periodId: body.periodId,
            provinceCode: body.provinceCode,
            year: body.year,
            framework: { id: body.framework.id, version: body.framework.version },
            deadlines: { selfAssessment: body.deadlines.selfAssessment, review: body.deadlines.review, appealWindowDays: body.deadlines.appealWindowDays },
          },
        },
        requestContextOf(request),
      ),
    );
    return toPeriodCommandResponse(outcome);
  }
}
