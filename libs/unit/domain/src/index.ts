export type {
  UnitComparisonRule,
  UnitDissolved,
  UnitEvent,
  UnitMergedInto,
  UnitRegistered,
  UnitRenamed,
  UnitsMerged,
  UnitTier,
  UnitTypeChanged,
} from './lib/unit.events';
export { UNIT_COMPARISON_RULES } from './lib/unit.events';
export type {
  ChangeUnitType,
  DissolveUnit,
  MergeUnits,
  RecordUnitMergedInto,
  RegisterUnit,
  RenameUnit,
  UnitCommand,
} from './lib/unit.commands';
export type { UnitChangeRecord, UnitDetails, UnitMergeRecord, UnitState } from './lib/unit.state';
export { initialUnitState, unitStreamId } from './lib/unit.state';
export type { UnitErrorCode } from './lib/unit.errors';
export { PARENT_TIER, UNIT_TIERS, provinceOfUnit, requireConsistentParent } from './lib/unit.hierarchy';
export { decideUnit, evolveUnit, unitDecider } from './lib/unit.decider';
export { parseCsv } from './lib/config/csv';
export type { MergePolicy, ReorganisationRow, UnitListRow, UnitTypeChangeRow } from './lib/config/unit-list.config';
export {
  DAKNONG_2025_MERGE_POLICY,
  changeUnitTypeCommands,
  dissolveTierCommands,
  parseReorganisation,
  parseUnitList,
  parseUnitTypeChanges,
  registerUnitCommands,
  reorganisationCommands,
  reorganisationEvents,
  tierOfUnit,
  unitRegisteredEvents,
} from './lib/config/unit-list.config';
export type { DaknongUnitConfig } from './lib/config/unit-config.files';
export { readDaknongUnitConfig } from './lib/config/unit-config.files';
