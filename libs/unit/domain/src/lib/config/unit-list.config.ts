import type { MessageMetadata } from '@tieuchi/shared/kernel';
import type { ChangeUnitType, DissolveUnit, MergeUnits, RecordUnitMergedInto, RegisterUnit } from '../unit.commands';
import type { UnitComparisonRule, UnitMergedInto, UnitRegistered, UnitsMerged, UnitTier } from '../unit.events';
import { column, parseCsv } from './csv';

/** One row of a unit list as the statistics office publishes it (`config/units/daknong-2019.csv`). */
export interface UnitListRow {
  readonly code: string;
  readonly name: string;
  readonly type: string;
  readonly parentCode: string | null;
}

/** One successor of a reorganisation (`config/units/daknong-2025-reorganisation.csv`). */
export interface ReorganisationRow {
  readonly successorCode: string;
  readonly name: string;
  readonly type: string;
  readonly provinceCode: string;
  readonly provinceName: string;
  readonly predecessorCodes: readonly string[];
}

/** One type change (`config/units/daknong-2020-type-changes.csv`). */
export interface UnitTypeChangeRow {
  readonly code: string;
  readonly name: string;
  readonly previousType: string;
  readonly type: string;
  readonly effectiveDate: string;
  readonly decisionRef: string;
}

export interface MergePolicy {
  readonly effectiveDate: string;
  readonly legalBasis: string;
  readonly comparisonRule: UnitComparisonRule;
}

/** The 2025 reform (from 1/7/2025); comparing a successor with the mean of its predecessors. */
export const DAKNONG_2025_MERGE_POLICY: MergePolicy = {
  effectiveDate: '2025-07-01',
  legalBasis: 'Nghị quyết 1671/NQ-UBTVQH15 (16/6/2025)',
  comparisonRule: 'mean',
};

const COMMUNE_TYPES = new Set(['xã', 'phường', 'thị trấn', 'đặc khu']);

/**
 * Tier from the legal type: "thành phố" is a province (no parent) or a district, so the parent
 * decides; commune-level types are unambiguous.
 */
export function tierOfUnit(type: string, parentCode: string | null): UnitTier {
  if (parentCode === null) return 'province';
  return COMMUNE_TYPES.has(type.trim().toLowerCase()) ? 'commune' : 'district';
}

export function parseUnitList(csvText: string): readonly UnitListRow[] {
  return parseCsv(csvText).map((row) => {
    const parent = column(row, 'parent_code');
    return { code: column(row, 'code'), name: column(row, 'name'), type: column(row, 'type'), parentCode: parent === '' ? null : parent };
  });
}

export function parseReorganisation(csvText: string): readonly ReorganisationRow[] {
  return parseCsv(csvText).map((row) => ({
    successorCode: column(row, 'new_code'),
    name: column(row, 'new_name'),
    type: column(row, 'new_type'),
    provinceCode: column(row, 'new_province_code'),
    provinceName: column(row, 'new_province_name'),
    predecessorCodes: column(row, 'predecessor_codes_2019').split(/\s+/).filter((code) => code !== ''),
  }));
}

export function parseUnitTypeChanges(csvText: string): readonly UnitTypeChangeRow[] {
  return parseCsv(csvText).map((row) => ({
    code: column(row, 'code'),
    name: column(row, 'name'),
    previousType: column(row, 'previous_type'),
    type: column(row, 'type'),
    effectiveDate: column(row, 'effective_date'),
    decisionRef: column(row, 'decision_ref'),
  }));
}

export function unitRegisteredEvents(rows: readonly UnitListRow[]): readonly UnitRegistered[] {
  return rows.map((row) => ({ type: 'UnitRegistered', data: { ...row, tier: tierOfUnit(row.type, row.parentCode) } }));
}

export function registerUnitCommands(rows: readonly UnitListRow[], metadata: MessageMetadata): readonly RegisterUnit[] {
  return unitRegisteredEvents(rows).map((event) => ({ type: 'RegisterUnit', data: event.data, metadata }));
}

export function changeUnitTypeCommands(
  rows: readonly UnitTypeChangeRow[],
  metadata: MessageMetadata,
): readonly ChangeUnitType[] {
  return rows.map((row) => ({
    type: 'ChangeUnitType',
    data: { code: row.code, type: row.type, effectiveDate: row.effectiveDate, decisionRef: row.decisionRef },
    metadata,
  }));
}

/** The successors' UnitsMerged, and a UnitMergedInto for every predecessor whose code does not live on. */
export function reorganisationEvents(
  rows: readonly ReorganisationRow[],
  policy: MergePolicy,
): { readonly merged: readonly UnitsMerged[]; readonly mergedInto: readonly UnitMergedInto[] } {
  const merged: UnitsMerged[] = rows.map((row) => ({
    type: 'UnitsMerged',
    data: {
      successorCode: row.successorCode,
      predecessorCodes: row.predecessorCodes,
      comparisonRule: policy.comparisonRule,
      effectiveDate: policy.effectiveDate,
      legalBasis: policy.legalBasis,
      name: row.name,
      type: row.type,
      // Since 2025 communes sit directly under the province: there is no district tier to point at.
      tier: tierOfUnit(row.type, row.provinceCode),
      parentCode: row.provinceCode,
    },
  }));
  const mergedInto: UnitMergedInto[] = rows.flatMap((row) =>
    row.predecessorCodes
      .filter((code) => code !== row.successorCode)
      .map((code) => ({
        type: 'UnitMergedInto' as const,
        data: { code, successorCode: row.successorCode, effectiveDate: policy.effectiveDate, legalBasis: policy.legalBasis },
      })),
  );
  return { merged, mergedInto };
}

export function reorganisationCommands(
  rows: readonly ReorganisationRow[],
  policy: MergePolicy,
  metadata: MessageMetadata,
): { readonly merges: readonly MergeUnits[]; readonly mergedInto: readonly RecordUnitMergedInto[] } {
  const events = reorganisationEvents(rows, policy);
  return {
    merges: events.merged.map((event) => ({ type: 'MergeUnits', data: event.data, metadata })),
    mergedInto: events.mergedInto.map((event) => ({ type: 'RecordUnitMergedInto', data: event.data, metadata })),
  };
}

/** Abolishing a tier (as 2025 did with districts) dissolves every unit of it; the legal basis is the caller's. */
export function dissolveTierCommands(
  rows: readonly UnitListRow[],
  tier: UnitTier,
  basis: { readonly effectiveDate: string; readonly legalBasis: string },
  metadata: MessageMetadata,
): readonly DissolveUnit[] {
  return rows
    .filter((row) => tierOfUnit(row.type, row.parentCode) === tier)
    .map((row) => ({ type: 'DissolveUnit', data: { code: row.code, ...basis }, metadata }));
}
