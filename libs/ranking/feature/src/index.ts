export * from './lib/ranking-feature.module';
export { RankingsProjection } from './lib/projections/rankings/rankings.projection';
export { rankingsHandler } from './lib/projections/rankings/rankings.handler';
export { OFFICIAL_LOOKUP_TTL_MS, type Decision, type RankedEntry, type RankingFilter, type RankingView, type UnrankedEntry } from './lib/queries/get-ranking/get-ranking.query';
export { RANKING_VIEWS, type RankingViewKind } from './lib/queries/get-ranking/get-ranking.params';
