import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RANKING_RULES_REFERENCE } from '@tieuchi/ranking/domain';
import { CurrentPrincipal, type Principal, Public } from '@tieuchi/shared/auth';
import { RankingPathParams, RankingQueryDto } from './get-ranking.params';
import type { Response } from 'express';
import { RankingViewDto } from './ranking-view.dto';
import { GetRankingQuery, type RankingView } from './get-ranking.query';

@ApiTags('rankings')
@Controller('periods/:periodId/rankings/:tier/:part')
export class GetRankingController {
  constructor(private readonly query: GetRankingQuery) {}

  /**
   * Public once the period is published; staff (reviewer, approver, admin, auditor) see the
   * provisional ranking before, and with ?view=working the provisional corrected ranking after.
   */
  @Get()
  @Public()
  @ApiOkResponse({ type: RankingViewDto })
  @ApiOperation({
    summary: 'Ranking of a period × tier × part (official editions public once published; the working ranking for staff only)',
    description: RANKING_RULES_REFERENCE,
  })
  async get(
    @Param() params: RankingPathParams,
    @Query() filter: RankingQueryDto,
    @CurrentPrincipal({ optional: true }) principal: Principal | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RankingView> {
    const view = await this.query.execute(params.periodId, params.tier, params.part, principal, { decision: filter.decision, view: filter.view });
    // Official editions are public and a shared cache may hold them briefly (a correction makes a
    // new edition current); the provisional ranking is for staff eyes only.
    response.setHeader('Cache-Control', view.provisional ? 'private, no-store' : 'public, max-age=5');
    return view;
  }
}
