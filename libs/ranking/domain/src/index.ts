export {
  compareUnitCodes,
  mergesInEffect,
  rankUnits,
  RankingErrorCode,
  type DatedUnitMerge,
  type MergeRule,
  type PreviousScoreSource,
  type RankedUnit,
  type Ranking,
  type RankingInput,
  type UnitMerge,
  type UnitScore,
  type UnrankedUnit,
} from './lib/rankings';
export { RANKING_RULES_REFERENCE } from './lib/ranking-rules';
export {
  decideImportPastResults,
  evolvePastResults,
  fingerprintOf,
  initialPastResultsState,
  pastResultsStreamName,
  type ImportPastResults,
  type PastResult,
  type PastResultsEdition,
  type PastResultsEvent,
  type PastResultsImported,
  type PastResultsState,
} from './lib/past-results';
