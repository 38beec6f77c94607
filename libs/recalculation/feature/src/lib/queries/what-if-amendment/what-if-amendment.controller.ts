import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AmendmentChange } from '@tieuchi/framework/domain';
import { RANKING_RULES_REFERENCE } from '@tieuchi/ranking/domain';
import { CommandExecutor, READ_MODEL_DB } from '@tieuchi/shared/application';
import { assertCoversProvince, CurrentPrincipal, JURISDICTION_RULES, type Principal, Roles } from '@tieuchi/shared/auth';
import { evolvePeriod, initialPeriodState, type PeriodEvent, type PeriodState } from '@tieuchi/period/domain';
import { periodStreamName } from '@tieuchi/period/data-access';
import type { SqlClient } from '@tieuchi/shared/event-store';
import { FrameworkPathParams, WhatIfAmendmentDto } from './what-if-amendment.dto';
import { type WhatIfResult, whatIfAmendment } from './what-if-amendment.query';

@ApiTags('recalculation')
@Controller('frameworks/:frameworkId/amendments')
export class WhatIfAmendmentController {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(READ_MODEL_DB) private readonly readModel: SqlClient,
  ) {}

  /** Dry run of an amendment over one period: which units would change level or rank. Writes nothing. */
  @Post('what-if')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Which units an amendment would move, before it is made (administrators)',
    description: `${RANKING_RULES_REFERENCE} ${JURISDICTION_RULES.periods}`,
  })
  async whatIf(@Param() params: FrameworkPathParams, @Body() body: WhatIfAmendmentDto, @CurrentPrincipal() principal: Principal): Promise<WhatIfResult> {
    // The dry run shows the period's units and scores: only to admins of its province (or national ones).
    const { state } = await this.executor.loadState<PeriodState, PeriodEvent>(periodStreamName(body.periodId), initialPeriodState, evolvePeriod);
    if (state.status !== 'not_opened') assertCoversProvince(principal, state.provinceCode);
    return whatIfAmendment(this.executor, this.readModel, {
      frameworkId: params.frameworkId,
      periodId: body.periodId,
      amendment: {
        cause: body.amendment.cause,
        decisionReference: body.amendment.decisionReference,
        changes: body.amendment.changes as unknown as AmendmentChange[],
      },
    });
  }
}
