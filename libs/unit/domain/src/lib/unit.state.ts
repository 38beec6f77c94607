import type { UnitComparisonRule, UnitTier } from './unit.events';

export interface UnitMergeRecord {
  readonly predecessorCodes: readonly string[];
  readonly comparisonRule: UnitComparisonRule;
  readonly effectiveDate: string;
  readonly legalBasis: string;
}

/** The attributes a unit had until `effectiveDate`, when `reference` changed them: "what was this code in 2019" stays answerable. */
export interface UnitChangeRecord {
  readonly effectiveDate: string;
  readonly reference: string;
  readonly name: string;
  readonly type: string;
  readonly tier: UnitTier;
  readonly parentCode: string | null;
}

export interface UnitDetails {
  readonly code: string;
  readonly name: string;
  readonly type: string;
  readonly tier: UnitTier;
  readonly parentCode: string | null;
  readonly history: readonly UnitChangeRecord[];
  readonly merges: readonly UnitMergeRecord[];
}

export type UnitState =
  | { readonly status: 'unregistered' }
  | (UnitDetails & { readonly status: 'active' })
  | (UnitDetails & { readonly status: 'merged_into'; readonly successorCode: string; readonly endedOn: string })
  | (UnitDetails & { readonly status: 'dissolved'; readonly endedOn: string });

export const initialUnitState = (): UnitState => ({ status: 'unregistered' });

/** One stream per unit, keyed by its official code (mã ĐVHC; persisted name: never change). */
export function unitStreamId(unitCode: string): string {
  return `unit-${unitCode}`;
}
