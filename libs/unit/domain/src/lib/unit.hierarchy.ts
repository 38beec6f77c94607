import { unitError } from './unit.errors';
import type { UnitTier } from './unit.events';
import type { UnitState } from './unit.state';

/**
 * The tier a registered unit sits directly under: a province under nothing, a district under a
 * province, a commune under a district. Every unit thereby belongs to exactly one province, the
 * one its parent chain ends in.
 */
export const PARENT_TIER: Readonly<Record<string, UnitTier | null>> = { province: null, district: 'province', commune: 'district' };

export const UNIT_TIERS: readonly UnitTier[] = Object.keys(PARENT_TIER);

/**
 * Refuses a registration whose tier is unknown, or whose parent is missing, unknown, no longer
 * active or of another tier than the one the unit sits under. `parent` is the parent's state,
 * null when the command names none.
 */
export function requireConsistentParent(data: { readonly code: string; readonly tier: UnitTier; readonly parentCode: string | null }, parent: UnitState | null): void {
  const expected = PARENT_TIER[data.tier];
  if (expected === undefined) {
    throw unitError('UNIT.INVALID_TIER', 'validation', `tier must be one of ${UNIT_TIERS.join(', ')}`, 'data.tier', { tiers: UNIT_TIERS });
  }
  if (expected === null) {
    if (data.parentCode !== null) throw unitError('UNIT.INCONSISTENT_TIER', 'validation', 'a province has no parent unit', 'data.parentCode');
    return;
  }
  if (data.parentCode === null || parent === null) {
    throw unitError('UNIT.PARENT_REQUIRED', 'validation', `a ${data.tier} needs the code of its ${expected} (parentCode)`, 'data.parentCode');
  }
  if (parent.status === 'unregistered') {
    throw unitError('UNIT.PARENT_NOT_FOUND', 'conflict', `the parent unit ${data.parentCode} is not registered`, 'data.parentCode');
  }
  if (parent.status !== 'active') {
    throw unitError('UNIT.PARENT_NOT_ACTIVE', 'conflict', `the parent unit ${data.parentCode} is ${parent.status}`, 'data.parentCode', { status: parent.status });
  }
  if (parent.tier !== expected) {
    const message = `a ${data.tier} sits under a ${expected}, and ${data.parentCode} is a ${parent.tier}`;
    throw unitError('UNIT.INCONSISTENT_TIER', 'conflict', message, 'data.parentCode', { tier: data.tier, parentTier: parent.tier, expectedParentTier: expected });
  }
}

/**
 * The province a unit belongs to: the code of the province its parent chain ends in (its own for
 * a province), or null when the chain ends elsewhere (an unregistered parent, a unit recorded
 * before parents were required). `load` reads one unit's state.
 */
export async function provinceOfUnit(code: string, load: (code: string) => Promise<UnitState>): Promise<string | null> {
  const seen = new Set<string>();
  let current: string | null = code;
  while (current !== null && !seen.has(current)) {
    seen.add(current);
    const state = await load(current);
    if (state.status === 'unregistered') return null;
    if (state.tier === 'province') return state.code;
    current = state.parentCode;
  }
  return null;
}
