import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandExecutor } from '@tieuchi/shared/application';
import { assertCoversProvince, CurrentPrincipal, JURISDICTION_RULES, type Principal, Roles } from '@tieuchi/shared/auth';
import { loadPeriodProvince } from '@tieuchi/period/data-access';
import { RecalculationRunPathParams } from '../../recalculation-run-path.params';
import type { RecalculationRuntime } from '../../recalculation.runtime';
import { RetriedRunDto } from './retried-run.dto';
import { RECALCULATION_RUNTIME } from '../../recalculation.tokens';

@ApiTags('recalculation')
@Controller('recalculation-runs')
export class RetryRecalculationRunController {
  constructor(
    @Inject(RECALCULATION_RUNTIME) private readonly runtime: RecalculationRuntime,
    private readonly executor: CommandExecutor,
  ) {}

  /** Puts the run's permanently failed jobs back in the queue: administrators of its period's province. */
  @Post(':runId/retry')
  @HttpCode(202)
  @Roles('admin')
  @ApiAcceptedResponse({ type: RetriedRunDto })
  @ApiOperation({ summary: "Retry a recalculation run's failed jobs (administrators of the period's province; national ones)", description: JURISDICTION_RULES.periods })
  async retry(@Param() params: RecalculationRunPathParams, @CurrentPrincipal() principal: Principal): Promise<{ runId: string; retried: number }> {
    const progress = await this.runtime.progress(params.runId);
    assertCoversProvince(principal, await loadPeriodProvince(this.executor, progress.periodId));
    return { runId: params.runId, retried: await this.runtime.retryFailed(params.runId) };
  }
}
