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
import { DissolveUnitDto } from './dissolve-unit.dto';
import { ApiIfMatch, PositionedCommandResponseDto } from '@tieuchi/shared/http';

@ApiTags('units')
@Controller('units/:code/dissolve')
export class DissolveUnitController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiIfMatch()
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: PositionedCommandResponseDto })
  @ApiOperation({ summary: 'Dissolve a unit from a date, under a legal basis (administrators)', description: JURISDICTION_RULES.units })
  async dissolve(@Param() params: UnitPathParams, @Body() body: DissolveUnitDto, @Req() request: Request): Promise<UnitCommandResponse> {
    const outcome = await this.commandBus.execute<ExecuteUnitCommand, CommandOutcome<UnitEvent>>(
      new ExecuteUnitCommand(params.code, { type: 'DissolveUnit', data: { code: params.code, ...body } }, requestContextOf(request)),
    );
    return toUnitCommandResponse(outcome);
  }
}
