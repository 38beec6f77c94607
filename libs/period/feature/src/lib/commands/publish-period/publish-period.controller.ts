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
import { PublishPeriodDto } from './publish-period.dto';
import { ApiIfMatch, PositionedCommandResponseDto } from '@tieuchi/shared/http';

@ApiTags('periods')
@Controller('periods/:periodId/publish')
export class PublishPeriodController {
  constructor(private readonly commandBus: CommandBus) {}

  /**
   * Appends PeriodPublished only; the approved assessments are published by the process that
   * reacts to it in the event feed (await `position` from the answer to see them published).
   */
  @Post()
  @ApiIfMatch()
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: PositionedCommandResponseDto })
  @ApiOperation({
    summary: 'Publish the period under a decision number and date; its approved assessments follow (administrators)',
    description:
      JURISDICTION_RULES.periods +
      ' ' +
      'Số quyết định là duy nhất trong tỉnh (409 PERIOD.DECISION_NUMBER_TAKEN, field decisionNumber). Công bố bị từ chối (409 PERIOD.UNITS_NOT_APPROVED, ' +
      'danh sách ở `units`) khi còn đơn vị của tỉnh chưa có phiếu được phê duyệt mà không được nêu trong `exclusions` kèm lý do; các đơn vị loại trừ và lý do ' +
      'được ghi trong sự kiện PeriodPublished (nhật ký kiểm tra) và hiện trên bảng xếp hạng là "Chưa đánh giá". ' +
      'A decision number is unique within the province (409 PERIOD.DECISION_NUMBER_TAKEN). Publishing is refused (409 PERIOD.UNITS_NOT_APPROVED, the list in `units`) ' +
      'while a unit of the province in a ranked tier has no approved assessment and is not named in `exclusions` with a reason; the exclusions are recorded in ' +
      'PeriodPublished (the audit trail shows them) and the published ranking lists those units as not assessed (`notAssessed`).',
  })
  async publish(@Param() params: PeriodPathParams, @Body() body: PublishPeriodDto, @Req() request: Request): Promise<PeriodCommandResponse> {
    const outcome = await this.commandBus.execute<ExecutePeriodCommand, CommandOutcome<PeriodEvent>>(
      new ExecutePeriodCommand(
        params.periodId,
        {
          type: 'PublishPeriod',
          data: {
            periodId: params.periodId,
            decisionNumber: body.decisionNumber,
            decisionDate: body.decisionDate,
            exclusions: (body.exclusions ?? []).map(({ unitCode, reason }) => ({ unitCode, reason })),
          },
        },
        requestContextOf(request),
      ),
    );
    return toPeriodCommandResponse(outcome);
  }
}
