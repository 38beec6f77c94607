import { Body, Controller, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiCreatedResponse } from '@nestjs/swagger';
import { type CommandOutcome, requestContextOf } from '@tieuchi/shared/application';
import { Roles, JURISDICTION_RULES } from '@tieuchi/shared/auth';
import type { UnitEvent } from '@tieuchi/unit/domain';
import type { Request } from 'express';
import { ExecuteUnitCommand } from '../../execute-unit-command';
import { toUnitCommandResponse, type UnitCommandResponse } from '../../unit-command.response';
import { RegisterUnitDto } from './register-unit.dto';
import { ApiIfMatch, PositionedCommandResponseDto } from '@tieuchi/shared/http';

@ApiTags('units')
@Controller('units')
export class RegisterUnitController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiIfMatch()
  @Roles('admin')
  @ApiCreatedResponse({ type: PositionedCommandResponseDto })
  @ApiOperation({ summary: 'Register an administrative unit (đơn vị) with its official code (administrators)', description: `${JURISDICTION_RULES.register} ${JURISDICTION_RULES.units}` })
  async register(@Body() body: RegisterUnitDto, @Req() request: Request): Promise<UnitCommandResponse> {
    const outcome = await this.commandBus.execute<ExecuteUnitCommand, CommandOutcome<UnitEvent>>(
      new ExecuteUnitCommand(
        body.code,
        { type: 'RegisterUnit', data: { code: body.code, name: body.name, type: body.type, tier: body.tier, parentCode: body.parentCode ?? null } },
        requestContextOf(request),
      ),
    );
    return toUnitCommandResponse(outcome);
  }
}
