export * from './lib/ranking-feature.module';
export { RankingsProjection } from './lib/projections/rankings/rankings.projection';
export { rankingsHandler } from './lib/projections/rankings/rankings.handler';
export type { Decision, RankedEntry, RankingFilter, RankingView, UnrankedEntry } from './lib/queries/get-ranking/get-ranking.query';
export { RANKING_VIEWS, type RankingViewKind } from './lib/queries/get-ranking/get-ranking.params';
