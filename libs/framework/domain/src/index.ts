export type {
  CriterionAnswer,
  CriterionDefinition,
  FrameworkDefinition,
  GroupDefinition,
  LevelBand,
  PartDefinition,
  RoundingRule,
  RoundingStage,
  ScoreBand,
  ScoringRule,
  TierDefinition,
} from './lib/framework-definition';

export { FrameworkDefinitionErrorCode, type DefinitionIssue } from './lib/definition/framework-definition.errors';
export { frameworkDefinitionSchema, semanticIssues, validateFrameworkDefinition } from './lib/definition/framework-definition.validator';
export { parseFrameworkDefinition } from './lib/definition/framework-definition.parser';
export { FRAMEWORKS_DIRECTORY, loadBundledFramework, loadFrameworkDefinitionFile } from './lib/definition/framework-definition.loader';
export {
  findCriterion,
  findPart,
  findTier,
  groupMaxPoints,
  listCriteria,
  criterionCodes,
  sumOfMaxima,
  type CriterionLocation,
} from './lib/definition/framework-definition.lookup';

export { DEFAULT_ROUNDING, decimalPlaces, exactDifference, roundingStageOf, roundScore } from './lib/scoring/rounding';
export { ScoringErrorCode } from './lib/scoring/scoring.errors';
export {
  levelBandFor,
  levelFor,
  scoreCriterion,
  scorePart,
  type CriterionScore,
  type GroupScore,
  type GroupShare,
  type PartScore,
} from './lib/scoring/scoring-engine';
export { scoreTierParts } from './lib/scoring/score-tier-parts';

export { applyAmendment, type AmendmentChange, type FrameworkAmendment } from './lib/framework/framework-amendment';
export type { AmendFramework, DraftFramework, FrameworkCommand, PublishFramework } from './lib/framework/framework.commands';
export type { FrameworkAmended, FrameworkDrafted, FrameworkEvent, FrameworkPublished } from './lib/framework/framework.events';
export { FrameworkErrorCode } from './lib/framework/framework.errors';
export { frameworkVersion, type FrameworkState, type FrameworkVersion } from './lib/framework/framework.state';
export {
  amendFramework,
  decideFramework,
  draftFramework,
  evolveFramework,
  frameworkDecider,
  frameworkStreamId,
  initialFrameworkState,
  publishFramework,
} from './lib/framework/framework.decider';
