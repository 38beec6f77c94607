import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CommandExecutor } from '@tieuchi/shared/application';
import { coversProvince, CurrentPrincipal, JURISDICTION_RULES, type Principal, Roles } from '@tieuchi/shared/auth';
import { IsString, Matches } from 'class-validator';
import { loadPeriodProvince } from '@tieuchi/period/data-access';
import type { RecalculationRuntime } from '../../recalculation.runtime';
import { RECALCULATION_RUNTIME } from '../../recalculation.tokens';
import { RunFailureUnits } from '../run-failure-units';

export class ListRecalculationRunsQuery {
  @ApiProperty({ example: 'daknong-2019', description: 'The period whose runs are listed' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'periodId must be lower-case letters, digits and dashes' })
  periodId!: string;
}

class RunFailureDto {
  @ApiProperty() jobId!: string;
  @ApiProperty({ example: 'assessment-daknong-2019-660', description: 'The assessment stream the job recalculates' }) streamName!: string;
  @ApiProperty({ type: String, nullable: true, example: '660', description: 'The unit whose assessment it is; null for a stream the run does not know as an assessment' }) unitCode!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Thành phố Gia Nghĩa', description: "The unit's official name from the units register; null when the register does not know the code" })
  unitName!: string | null;
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
    private readonly failureUnits: RunFailureUnits,
  ) {}

  /** A period's runs with their progress, oldest first: a period has one per pinned amendment, so all are listed. */
  @Get()
  @Roles('admin', 'auditor')
  @ApiOkResponse({ type: RunListDto })
  @ApiOperation({
    summary: "A period's recalculation runs with their progress, oldest first (administrators, auditors of the period's province; national accounts)",
    description: JURISDICTION_RULES.runReads,
  })
  async list(@Query() query: ListRecalculationRunsQuery, @CurrentPrincipal() principal: Principal): Promise<RunListDto> {
    const province = await loadPeriodProvince(this.executor, query.periodId);
    if (province !== null && !coversProvince(principal, province)) return { items: [] };
    return { items: await this.failureUnits.named(await this.runtime.runsOf(query.periodId)) };
  }
}
