export {
  compareUnitCodes,
  rankUnits,
  RankingErrorCode,
  type MergeRule,
  type PreviousScoreSource,
  type RankedUnit,
  type Ranking,
  type RankingInput,
  type UnitMerge,
  type UnitScore,
  type UnrankedUnit,
} from './lib/rankings';
