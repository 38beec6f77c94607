// The scoring engine alone, for the browser: the library's index also exports the file loader and
// the schema validator, which a web bundle must not carry.
export type { CriterionAnswer, CriterionDefinition, FrameworkDefinition, GroupDefinition, LevelBand, PartDefinition, ScoringRule, TierDefinition } from './lib/framework-definition';
export { levelFor, scorePart, scoreCriterion, type PartScore, type CriterionScore } from './lib/scoring/scoring-engine';
export type { AmendmentChange, FrameworkAmendment } from './lib/framework/framework-amendment';
