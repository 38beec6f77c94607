import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AmendmentChange } from '@tieuchi/framework/domain';
import { RANKING_RULES_REFERENCE } from '@tieuchi/ranking/domain';
import { CommandExecutor, READ_MODEL_DB } from '@tieuchi/shared/application';
import { assertCoversProvince, CurrentPrincipal, JURISDICTION_RULES, type Principal, Roles } from '@tieuchi/shared/auth';
import type { SqlClient } from '@tieuchi/shared/event-store';
import { loadPeriodProvince } from '@tieuchi/period/data-access';
import { FrameworkPathParams, WhatIfAmendmentDto, WhatIfResultDto } from './what-if-amendment.dto';
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
  @ApiOkResponse({ type: WhatIfResultDto })
  @ApiOperation({
    summary: 'Which units an amendment would move, before it is made (administrators)',
    description: `${RANKING_RULES_REFERENCE} ${JURISDICTION_RULES.periods}`,
  })
  async whatIf(@Param() params: FrameworkPathParams, @Body() body: WhatIfAmendmentDto, @CurrentPrincipal() principal: Principal): Promise<WhatIfResult> {
    // The dry run shows the period's units and scores: only to admins of its province (or national ones).
    const province = await loadPeriodProvince(this.executor, body.periodId);
    if (province !== null) assertCoversProvince(principal, province);
    return whatIfAmendment(this.executor, this.readModel, {
      frameworkId: params.frameworkId,
      periodId: body.periodId,
      ...(body.baseVersion === undefined ? {} : { baseVersion: body.baseVersion }),
      amendment: {
        cause: body.amendment.cause,
        decisionReference: body.amendment.decisionReference,
        changes: body.amendment.changes as unknown as AmendmentChange[],
      },
    });
  }
}
