import { Body, Controller, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiCreatedResponse } from '@nestjs/swagger';
import { requestContextOf } from '@tieuchi/shared/application';
import { Roles, JURISDICTION_RULES } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { MergeUnitsCommand, type MergeUnitsResult, MergeUnitsResultDto } from './merge-units.command';
import { MergeUnitsDto } from './merge-units.dto';
import { ApiIfMatch } from '@tieuchi/shared/http';

@ApiTags('units')
@Controller('units/merges')
export class MergeUnitsController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Several appends (successor, then each absorbed predecessor); send an Idempotency-Key to retry safely. */
  @Post()
  @ApiIfMatch()
  @Roles('admin')
  @ApiCreatedResponse({ type: MergeUnitsResultDto })
  @ApiOperation({ summary: 'Merge units into a successor (sáp nhập), e.g. the 2025 reorganisation (administrators)', description: JURISDICTION_RULES.units })
  merge(@Body() body: MergeUnitsDto, @Req() request: Request): Promise<MergeUnitsResult> {
    return this.commandBus.execute<MergeUnitsCommand, MergeUnitsResult>(
      new MergeUnitsCommand(
        {
          successorCode: body.successorCode,
          predecessorCodes: body.predecessorCodes,
          comparisonRule: body.comparisonRule,
          effectiveDate: body.effectiveDate,
          legalBasis: body.legalBasis,
          name: body.name,
          type: body.type,
          tier: body.tier,
          parentCode: body.parentCode ?? null,
        },
        requestContextOf(request),
      ),
    );
  }
}
