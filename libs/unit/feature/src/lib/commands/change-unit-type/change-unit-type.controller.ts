import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import { type CommandOutcome, requestContextOf } from '@tieuchi/shared/application';
import { Roles, JURISDICTION_RULES } from '@tieuchi/shared/auth';
import type { UnitEvent } from '@tieuchi/unit/domain';
import type { Request } from 'express';
import { ExecuteUnitCommand } from '../../execute-unit-command';
import { toUnitCommandResponse, type UnitCommandResponse } from '../../unit-command.response';
import { UnitPathParams } from '../../unit-fields';
import { ChangeUnitTypeDto } from './change-unit-type.dto';
import { ApiIfMatch, PositionedCommandResponseDto } from '@tieuchi/shared/http';

@ApiTags('units')
@Controller('units/:code/type')
export class ChangeUnitTypeController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiIfMatch()
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: PositionedCommandResponseDto })
  @ApiOperation({ summary: "Change a unit's legal type (and tier) from a date, under a decision (administrators)", description: JURISDICTION_RULES.units })
  async change(@Param() params: UnitPathParams, @Body() body: ChangeUnitTypeDto, @Req() request: Request): Promise<UnitCommandResponse> {
    const outcome = await this.commandBus.execute<ExecuteUnitCommand, CommandOutcome<UnitEvent>>(
      new ExecuteUnitCommand(
        params.code,
        {
          type: 'ChangeUnitType',
          data: {
            code: params.code,
            type: body.type,
            ...(body.tier !== undefined ? { tier: body.tier } : {}),
            effectiveDate: body.effectiveDate,
            decisionRef: body.decisionRef,
          },
        },
        requestContextOf(request),
      ),
    );
    return toUnitCommandResponse(outcome);
  }
}
