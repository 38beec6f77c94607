import { isDomainError } from '@tieuchi/shared/kernel';
import { provinceOfUnit, requireConsistentParent } from './unit.hierarchy';
import type { UnitState } from './unit.state';

const details = (code: string, tier: string, parentCode: string | null) => ({ code, name: code, type: tier, tier, parentCode, history: [], merges: [] });
const active = (code: string, tier: string, parentCode: string | null): UnitState => ({ status: 'active', ...details(code, tier, parentCode) });
const registry = new Map<string, UnitState>([
  ['67', active('67', 'province', null)],
  ['665', active('665', 'district', '67')],
  ['24728', active('24728', 'commune', '665')],
  ['700', active('700', 'district', null)],
]);
const load = async (code: string): Promise<UnitState> => registry.get(code) ?? { status: 'unregistered' };

function refusal(work: () => void): { code: string; field?: string } | null {
  try {
    work();
    return null;
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { code: error.code, ...(error.field ? { field: error.field } : {}) };
  }
}

describe('unit hierarchy: province → district → commune', () => {
  it('admits a province without parent, a district under a province and a commune under a district', () => {
    expect(refusal(() => requireConsistentParent({ code: '46', tier: 'province', parentCode: null }, null))).toBeNull();
    expect(refusal(() => requireConsistentParent({ code: '666', tier: 'district', parentCode: '67' }, registry.get('67') ?? null))).toBeNull();
    expect(refusal(() => requireConsistentParent({ code: '24729', tier: 'commune', parentCode: '665' }, registry.get('665') ?? null))).toBeNull();
  });

  it('refuses an unknown tier, a missing, unknown, ended or wrong-tier parent, naming the field', () => {
    const dissolved: UnitState = { status: 'dissolved', ...details('661', 'district', '67'), endedOn: '2025-07-01' };
    expect({
      tier: refusal(() => requireConsistentParent({ code: '1', tier: 'hamlet', parentCode: '665' }, registry.get('665') ?? null)),
      provinceWithParent: refusal(() => requireConsistentParent({ code: '46', tier: 'province', parentCode: '67' }, registry.get('67') ?? null)),
      noParent: refusal(() => requireConsistentParent({ code: '666', tier: 'district', parentCode: null }, null)),
      unknownParent: refusal(() => requireConsistentParent({ code: '1', tier: 'commune', parentCode: '999' }, { status: 'unregistered' })),
      endedParent: refusal(() => requireConsistentParent({ code: '1', tier: 'commune', parentCode: '661' }, dissolved)),
      communeUnderProvince: refusal(() => requireConsistentParent({ code: '1', tier: 'commune', parentCode: '67' }, registry.get('67') ?? null)),
      districtUnderDistrict: refusal(() => requireConsistentParent({ code: '1', tier: 'district', parentCode: '665' }, registry.get('665') ?? null)),
    }).toEqual({
      tier: { code: 'UNIT.INVALID_TIER', field: 'data.tier' },
      provinceWithParent: { code: 'UNIT.INCONSISTENT_TIER', field: 'data.parentCode' },
      noParent: { code: 'UNIT.PARENT_REQUIRED', field: 'data.parentCode' },
      unknownParent: { code: 'UNIT.PARENT_NOT_FOUND', field: 'data.parentCode' },
      endedParent: { code: 'UNIT.PARENT_NOT_ACTIVE', field: 'data.parentCode' },
      communeUnderProvince: { code: 'UNIT.INCONSISTENT_TIER', field: 'data.parentCode' },
      districtUnderDistrict: { code: 'UNIT.INCONSISTENT_TIER', field: 'data.parentCode' },
    });
  });

  it("finds a unit's province at the end of its parent chain, and none where the chain ends elsewhere", async () => {
    expect(await provinceOfUnit('24728', load)).toBe('67');
    expect(await provinceOfUnit('665', load)).toBe('67');
    expect(await provinceOfUnit('67', load)).toBe('67');
    expect(await provinceOfUnit('700', load)).toBeNull();
    expect(await provinceOfUnit('999', load)).toBeNull();
  });
});
