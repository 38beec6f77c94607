import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { SPREADSHEET_TYPES } from '@tieuchi/shared/documents';
import { raw } from 'express';
import { ImportPastResultsController, PAST_RESULTS_MAX_BYTES } from './commands/import-past-results/import-past-results.controller';
import { ImportPastResultsHandler } from './commands/import-past-results/import-past-results.handler';
import { RANKING_FEATURE_OPTIONS, RankingsProjection } from './projections/rankings/rankings.projection';
import { ExportRankingController } from './queries/export-ranking/export-ranking.controller';
import { GetRankingController } from './queries/get-ranking/get-ranking.controller';
import { GetRankingQuery } from './queries/get-ranking/get-ranking.query';
import { PublicRankingResponses } from './queries/get-ranking/public-ranking-responses';
import type { ProjectionHostOptions } from '@tieuchi/shared/application';

/**
 * Rankings: the projection and the public query. Imported as is, the host runs the projection;
 * `forRoot({ runProjections: false })` serves the query only and leaves the projection to a worker.
 */
@Module({
  controllers: [GetRankingController, ExportRankingController, ImportPastResultsController],
  providers: [RankingsProjection, GetRankingQuery, PublicRankingResponses, ImportPastResultsHandler],
  exports: [RankingsProjection, PublicRankingResponses],
})
export class RankingFeatureModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(raw({ type: [...SPREADSHEET_TYPES], limit: PAST_RESULTS_MAX_BYTES })).forRoutes({ path: 'provinces/:provinceCode/past-results', method: RequestMethod.POST });
  }

  static forRoot(options: ProjectionHostOptions): DynamicModule {
    return { module: RankingFeatureModule, providers: [{ provide: RANKING_FEATURE_OPTIONS, useValue: options }] };
  }
}
