import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import type { PeriodEvent } from '@tieuchi/period/domain';
import { type CommandOutcome, requestContextOf } from '@tieuchi/shared/application';
import { Roles, JURISDICTION_RULES } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { ExecutePeriodCommand } from '../../execute-period-command';
import { type PeriodCommandResponse, toPeriodCommandResponse } from '../../period-command.response';
import { PeriodPathParams } from '../../period-fields';
import { ExtendDeadlinesDto } from './extend-deadlines.dto';
import { ApiIfMatch, PositionedCommandResponseDto } from '@tieuchi/shared/http';

@ApiTags('periods')
@Controller('periods/:periodId/deadlines')
export class ExtendDeadlinesController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiIfMatch()
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: PositionedCommandResponseDto })
  @ApiOperation({
    summary: 'Extend the self-assessment or review deadline, with a recorded reason (administrators)',
    description:
      'Hạn của kỳ đánh giá được áp dụng: sau hết ngày hạn tự chấm (giờ Việt Nam) đơn vị không thể bắt đầu, chấm, đánh dấu không áp dụng hay nộp phiếu; ' +
      'sau hết ngày hạn thẩm định, phiếu bị trả lại không thể sửa hay nộp lại. Chỉ gia hạn (lùi hạn) được, trước khi công bố. ' +
      'Deadlines are enforced: after the last day of self-assessment (Vietnamese time) units cannot start, score, mark N/A or submit; after the ' +
      'last day of review a returned form can no longer be revised or resubmitted. Deadlines only move later, before publication (409 PERIOD.WRONG_STATE after). ' +
      JURISDICTION_RULES.periods,
  })
  async extend(@Param() params: PeriodPathParams, @Body() body: ExtendDeadlinesDto, @Req() request: Request): Promise<PeriodCommandResponse> {
    const outcome = await this.commandBus.execute<ExecutePeriodCommand, CommandOutcome<PeriodEvent>>(
      new ExecutePeriodCommand(
        params.periodId,
        {
          type: 'ExtendDeadlines',
          data: {
            periodId: params.periodId,
            reason: body.reason,
            ...(body.selfAssessment !== undefined ? { selfAssessment: body.selfAssessment } : {}),
            ...(body.review !== undefined ? { review: body.review } : {}),
          },
        },
        requestContextOf(request),
      ),
    );
    return toPeriodCommandResponse(outcome);
  }
}
