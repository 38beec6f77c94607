import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RunProgress } from '@tieuchi/recalculation/data-access';
import { Roles } from '@tieuchi/shared/auth';
import { RecalculationRunPathParams } from '../../recalculation-run-path.params';
import type { RecalculationRuntime } from '../../recalculation.runtime';
import { RECALCULATION_RUNTIME } from '../../recalculation.tokens';

@ApiTags('recalculation')
@Controller('recalculation-runs')
export class GetRecalculationRunController {
  constructor(@Inject(RECALCULATION_RUNTIME) private readonly runtime: RecalculationRuntime) {}

  /** A run's state (queued, running, done, failed) and its counts: administrators and auditors. */
  @Get(':runId')
  @Roles('admin', 'auditor')
  @ApiOperation({ summary: 'Progress of a recalculation run (administrators, auditors)' })
  get(@Param() params: RecalculationRunPathParams): Promise<RunProgress> {
    return this.runtime.progress(params.runId);
  }
}
