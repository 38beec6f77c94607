import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandExecutor } from '@tieuchi/shared/application';
import { assertCoversProvince, CurrentPrincipal, JURISDICTION_RULES, type Principal, Roles } from '@tieuchi/shared/auth';
import { loadPeriodProvince } from '@tieuchi/period/data-access';
import { RecalculationRunPathParams } from '../../recalculation-run-path.params';
import type { RecalculationRuntime } from '../../recalculation.runtime';
import { RECALCULATION_RUNTIME } from '../../recalculation.tokens';
import { RunProgressDto } from '../list-recalculation-runs/list-recalculation-runs.controller';
import { RunFailureUnits } from '../run-failure-units';

@ApiTags('recalculation')
@Controller('recalculation-runs')
export class GetRecalculationRunController {
  constructor(
    @Inject(RECALCULATION_RUNTIME) private readonly runtime: RecalculationRuntime,
    private readonly executor: CommandExecutor,
    private readonly failureUnits: RunFailureUnits,
  ) {}

  /** A run's state (queued, running, done, failed) and its counts: administrators and auditors of its period's province. */
  @Get(':runId')
  @Roles('admin', 'auditor')
  @ApiOkResponse({ type: RunProgressDto })
  @ApiOperation({ summary: "Progress of a recalculation run (administrators, auditors of the period's province; national accounts)", description: JURISDICTION_RULES.runReads })
  async get(@Param() params: RecalculationRunPathParams, @CurrentPrincipal() principal: Principal): Promise<RunProgressDto> {
    const progress = await this.runtime.progress(params.runId);
    assertCoversProvince(principal, await loadPeriodProvince(this.executor, progress.periodId));
    const [named] = await this.failureUnits.named([progress]);
    return named as RunProgressDto;
  }
}
