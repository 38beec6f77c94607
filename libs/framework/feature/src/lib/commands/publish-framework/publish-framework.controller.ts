import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import type { FrameworkEvent } from '@tieuchi/framework/domain';
import { type CommandOutcome, requestContextOf } from '@tieuchi/shared/application';
import { Roles } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { ExecuteFrameworkCommand } from '../../execute-framework-command';
import { type FrameworkCommandResponse, toFrameworkCommandResponse } from '../../framework-command.response';
import { FrameworkPathParams } from '../../framework-path.params';
import { PublishFrameworkDto } from './publish-framework.dto';
import { ApiIfMatch, StreamCommandResponseDto } from '@tieuchi/shared/http';

@ApiTags('frameworks')
@Controller('frameworks/:frameworkId')
export class PublishFrameworkController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('publish')
  @ApiIfMatch()
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: StreamCommandResponseDto })
  @ApiOperation({ summary: 'Publish the draft as version 1; immutable from then on (administrators)' })
  async publish(@Param() params: FrameworkPathParams, @Body() body: PublishFrameworkDto, @Req() request: Request): Promise<FrameworkCommandResponse> {
    const outcome = await this.commandBus.execute<ExecuteFrameworkCommand, CommandOutcome<FrameworkEvent>>(
      new ExecuteFrameworkCommand(
        params.frameworkId,
        {
          type: 'PublishFramework',
          data: { frameworkId: params.frameworkId, ...(body.decisionReference !== undefined ? { decisionReference: body.decisionReference } : {}) },
        },
        requestContextOf(request),
      ),
    );
    return toFrameworkCommandResponse(outcome);
  }
}
