import { type DynamicModule, Module } from '@nestjs/common';
import type { ProjectionHostOptions } from '@tieuchi/assessment/feature';
import { RANKING_FEATURE_OPTIONS, RankingsProjection } from './projections/rankings/rankings.projection';
import { ExportRankingController } from './queries/export-ranking/export-ranking.controller';
import { GetRankingController } from './queries/get-ranking/get-ranking.controller';
import { GetRankingQuery } from './queries/get-ranking/get-ranking.query';
import { PublicRankingResponses } from './queries/get-ranking/public-ranking-responses';

/**
 * Rankings: the projection and the public query. Imported as is, the host runs the projection;
 * `forRoot({ runProjections: false })` serves the query only and leaves the projection to a worker.
 */
@Module({
  controllers: [GetRankingController, ExportRankingController],
  providers: [RankingsProjection, GetRankingQuery, PublicRankingResponses],
  exports: [RankingsProjection, PublicRankingResponses],
})
export class RankingFeatureModule {
  static forRoot(options: ProjectionHostOptions): DynamicModule {
    return { module: RankingFeatureModule, providers: [{ provide: RANKING_FEATURE_OPTIONS, useValue: options }] };
  }
}
