import { Body, Controller, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiCreatedResponse } from '@nestjs/swagger';
import type { AmendmentChange, FrameworkEvent } from '@tieuchi/framework/domain';
import { type CommandOutcome, requestContextOf } from '@tieuchi/shared/application';
import { Roles } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { ExecuteFrameworkCommand } from '../../execute-framework-command';
import { type FrameworkCommandResponse, toFrameworkCommandResponse } from '../../framework-command.response';
import { FrameworkPathParams } from '../../framework-path.params';
import { AmendFrameworkDto } from '@tieuchi/framework/data-access';
import { ApiIfMatch, StreamCommandResponseDto } from '@tieuchi/shared/http';

@ApiTags('frameworks')
@Controller('frameworks/:frameworkId/amendments')
export class AmendFrameworkController {
  constructor(private readonly commandBus: CommandBus) {}

  /**
   * Two preconditions, both optional: If-Match names the stream version the client read (the
   * ETag; 412 when stale), basedOnVersion the framework version the amendment was written for (409).
   */
  @Post()
  @ApiIfMatch()
  @Roles('admin')
  @ApiCreatedResponse({ type: StreamCommandResponseDto })
  @ApiOperation({ summary: 'Amend a published framework: a new version with cause and decision (administrators)' })
  async amend(@Param() params: FrameworkPathParams, @Body() body: AmendFrameworkDto, @Req() request: Request): Promise<FrameworkCommandResponse> {
    const outcome = await this.commandBus.execute<ExecuteFrameworkCommand, CommandOutcome<FrameworkEvent>>(
      new ExecuteFrameworkCommand(
        params.frameworkId,
        {
          type: 'AmendFramework',
          data: {
            frameworkId: params.frameworkId,
            ...(body.basedOnVersion !== undefined ? { basedOnVersion: body.basedOnVersion } : {}),
            // Which fields each kind needs was checked by the DTO; applyAmendment checks the result.
            amendment: { cause: body.cause, decisionReference: body.decisionReference, changes: body.changes.map((change) => ({ ...change }) as AmendmentChange) },
          },
        },
        requestContextOf(request),
      ),
    );
    return toFrameworkCommandResponse(outcome);
  }
}
