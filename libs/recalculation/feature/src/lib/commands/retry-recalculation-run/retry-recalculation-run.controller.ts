import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@tieuchi/shared/auth';
import { RecalculationRunPathParams } from '../../recalculation-run-path.params';
import type { RecalculationRuntime } from '../../recalculation.runtime';
import { RECALCULATION_RUNTIME } from '../../recalculation.tokens';

@ApiTags('recalculation')
@Controller('recalculation-runs')
export class RetryRecalculationRunController {
  constructor(@Inject(RECALCULATION_RUNTIME) private readonly runtime: RecalculationRuntime) {}

  /** Puts the run's permanently failed jobs back in the queue: administrators. */
  @Post(':runId/retry')
  @HttpCode(202)
  @Roles('admin')
  @ApiOperation({ summary: "Retry a recalculation run's failed jobs (administrators)" })
  async retry(@Param() params: RecalculationRunPathParams): Promise<{ runId: string; retried: number }> {
    return { runId: params.runId, retried: await this.runtime.retryFailed(params.runId) };
  }
}
