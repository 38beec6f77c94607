import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CommandExecutor } from '@tieuchi/shared/application';
import { coversProvince, CurrentPrincipal, JURISDICTION_RULES, type Principal, Roles } from '@tieuchi/shared/auth';
import { IsString, Matches } from 'class-validator';
import { loadPeriodProvince } from '@tieuchi/period/data-access';
import type { RecalculationRuntime } from '../../recalculation.runtime';
import { RECALCULATION_RUNTIME } from '../../recalculation.tokens';

export class ListRecalculationRunsQuery {
  @ApiProperty({ example: 'daknong-2019', description: 'The period whose runs are listed' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'periodId must be lower-case letters, digits and dashes' })
  periodId!: string;
}

class RunFailureDto {
  @ApiProperty() jobId!: string;
  @ApiProperty() streamName!: string;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty() attempts!: number;
}

export class RunProgressDto {
  @ApiProperty({ example: 'run-3f2a9c0d1e7b4a6c8d9e0f1a' }) runId!: string;
  @ApiProperty() periodId!: string;
  @ApiProperty({ description: 'The framework whose amendment caused the run' }) frameworkId!: string;
  @ApiProperty() fromVersion!: number;
  @ApiProperty() toVersion!: number;
  @ApiProperty({ type: String, nullable: true, description: "The amendment's decision reference" }) decisionRef!: string | null;
  @ApiProperty({ description: 'Why the framework was amended' }) cause!: string;
  @ApiProperty() sourceEventId!: string;
  @ApiProperty({ description: 'The period was published: the result is provisional until a correcting decision' }) provisional!: boolean;
  @ApiProperty() total!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed'] }) status!: string;
  @ApiProperty() done!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() queued!: number;
  @ApiProperty({ type: [RunFailureDto] }) failures!: RunFailureDto[];
}

export class RunListDto {
  @ApiProperty({ type: [RunProgressDto] }) items!: RunProgressDto[];
}

@ApiTags('recalculation')
@Controller('recalculation-runs')
export class ListRecalculationRunsController {
  constructor(
    @Inject(RECALCULATION_RUNTIME) private readonly runtime: RecalculationRuntime,
    private readonly executor: CommandExecutor,
  ) {}

  /** A period's runs with their progress, oldest first: a period has one per pinned amendment, so all are listed. */
  @Get()
  @Roles('admin', 'auditor')
  @ApiOkResponse({ type: RunListDto })
  @ApiOperation({
    summary: "A period's recalculation runs with their progress, oldest first (administrators, auditors of the period's province; national accounts)",
    description: JURISDICTION_RULES.periodReads,
  })
  async list(@Query() query: ListRecalculationRunsQuery, @CurrentPrincipal() principal: Principal): Promise<RunListDto> {
    const province = await loadPeriodProvince(this.executor, query.periodId);
    if (province !== null && !coversProvince(principal, province)) return { items: [] };
    return { items: (await this.runtime.runsOf(query.periodId)) as RunProgressDto[] };
  }
}
