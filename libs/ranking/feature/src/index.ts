export * from './lib/ranking-feature.module';
export { RANKINGS_BATCH_SIZE, RankingsProjection } from './lib/projections/rankings/rankings.projection';
export { rankingsHandler } from './lib/projections/rankings/rankings.handler';
export { PUBLIC_RANKING_TTL_MS, PublicRankingResponses } from './lib/queries/get-ranking/public-ranking-responses';
export { type Decision, type RankedEntry, type RankingFilter, type RankingView, type UnrankedEntry } from './lib/queries/get-ranking/get-ranking.query';
export { RANKING_VIEWS, type RankingViewKind } from './lib/queries/get-ranking/get-ranking.params';
export { type RankingAppendix } from './lib/queries/export-ranking/ranking-appendix';
export { appendixPdf } from './lib/queries/export-ranking/ranking-appendix.pdf';
export { appendixWorkbook } from './lib/queries/export-ranking/ranking-appendix.xlsx';
