import type { Command } from '@tieuchi/shared/kernel';
import type { UnitComparisonRule, UnitTier } from './unit.events';

export type RegisterUnit = Command<
  'RegisterUnit',
  { readonly code: string; readonly name: string; readonly type: string; readonly tier: UnitTier; readonly parentCode: string | null }
>;

export type RenameUnit = Command<
  'RenameUnit',
  { readonly code: string; readonly name: string; readonly effectiveDate: string; readonly decisionRef: string }
>;

/** E.g. Gia Nghĩa, thị xã → thành phố on 2020-01-01. The tier stays unless given. */
export type ChangeUnitType = Command<
  'ChangeUnitType',
  {
    readonly code: string;
    readonly type: string;
    readonly tier?: UnitTier;
    readonly effectiveDate: string;
    readonly decisionRef: string;
  }
>;

/** Sent to the successor's stream; each other predecessor then gets RecordUnitMergedInto. */
export type MergeUnits = Command<
  'MergeUnits',
  {
    readonly successorCode: string;
    readonly predecessorCodes: readonly string[];
    readonly comparisonRule: UnitComparisonRule;
    readonly effectiveDate: string;
    readonly legalBasis: string;
    readonly name: string;
    readonly type: string;
    readonly tier: UnitTier;
    readonly parentCode: string | null;
  }
>;

export type RecordUnitMergedInto = Command<
  'RecordUnitMergedInto',
  { readonly code: string; readonly successorCode: string; readonly effectiveDate: string; readonly legalBasis: string }
>;

export type DissolveUnit = Command<
  'DissolveUnit',
  { readonly code: string; readonly effectiveDate: string; readonly legalBasis: string }
>;

export type UnitCommand = RegisterUnit | RenameUnit | ChangeUnitType | MergeUnits | RecordUnitMergedInto | DissolveUnit;
