import type { DomainEvent } from '@tieuchi/shared/kernel';

/** `province` | `district` | `commune` today; a string because tiers are data (2025 removed districts). */
export type UnitTier = string;

/** How a successor's score is compared with its predecessors' earlier scores. */
export type UnitComparisonRule = 'mean' | 'sum' | 'max';

export const UNIT_COMPARISON_RULES: readonly UnitComparisonRule[] = ['mean', 'sum', 'max'];

export type UnitRegistered = DomainEvent<
  'UnitRegistered',
  {
    readonly code: string;
    readonly name: string;
    /** The legal type as written: tỉnh, huyện, thị xã, thành phố, xã, phường, thị trấn … */
    readonly type: string;
    readonly tier: UnitTier;
    readonly parentCode: string | null;
  }
>;

export type UnitRenamed = DomainEvent<
  'UnitRenamed',
  {
    readonly code: string;
    readonly previousName: string;
    readonly name: string;
    readonly effectiveDate: string;
    readonly decisionRef: string;
  }
>;

export type UnitTypeChanged = DomainEvent<
  'UnitTypeChanged',
  {
    readonly code: string;
    readonly previousType: string;
    readonly type: string;
    readonly tier: UnitTier;
    readonly effectiveDate: string;
    readonly decisionRef: string;
  }
>;

/**
 * Appended to the successor's stream. The successor often keeps the code of one predecessor (the
 * statistics office reuses codes), so it may follow that unit's own earlier history.
 */
export type UnitsMerged = DomainEvent<
  'UnitsMerged',
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

/** Appended to each absorbed predecessor's stream (all but the one whose code lives on). */
export type UnitMergedInto = DomainEvent<
  'UnitMergedInto',
  {
    readonly code: string;
    readonly successorCode: string;
    readonly effectiveDate: string;
    readonly legalBasis: string;
  }
>;

export type UnitDissolved = DomainEvent<
  'UnitDissolved',
  { readonly code: string; readonly effectiveDate: string; readonly legalBasis: string }
>;

export type UnitEvent = UnitRegistered | UnitRenamed | UnitTypeChanged | UnitsMerged | UnitMergedInto | UnitDissolved;
