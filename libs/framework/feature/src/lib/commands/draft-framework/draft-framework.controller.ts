import { Body, Controller, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiCreatedResponse } from '@nestjs/swagger';
import type { FrameworkDefinition, FrameworkEvent } from '@tieuchi/framework/domain';
import { type CommandOutcome, requestContextOf } from '@tieuchi/shared/application';
import { Roles } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { ExecuteFrameworkCommand } from '../../execute-framework-command';
import { type FrameworkCommandResponse, toFrameworkCommandResponse } from '../../framework-command.response';
import { DraftFrameworkDto } from './draft-framework.dto';
import { ApiIfMatch, StreamCommandResponseDto } from '@tieuchi/shared/http';

@ApiTags('frameworks')
@Controller('frameworks')
export class DraftFrameworkController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Creates the draft, or replaces it while unpublished; a published framework is amended instead (409). */
  @Post()
  @ApiIfMatch()
  @Roles('admin')
  @ApiCreatedResponse({ type: StreamCommandResponseDto })
  @ApiOperation({ summary: 'Draft a framework (bộ tiêu chí) from its JSON definition (administrators)' })
  async draft(@Body() body: DraftFrameworkDto, @Req() request: Request): Promise<FrameworkCommandResponse> {
    const outcome = await this.commandBus.execute<ExecuteFrameworkCommand, CommandOutcome<FrameworkEvent>>(
      new ExecuteFrameworkCommand(
        body.frameworkId,
        // The decider validates the definition against the schema before anything is appended.
        { type: 'DraftFramework', data: { frameworkId: body.frameworkId, definition: body.definition as unknown as FrameworkDefinition } },
        requestContextOf(request),
      ),
    );
    return toFrameworkCommandResponse(outcome);
  }
}
