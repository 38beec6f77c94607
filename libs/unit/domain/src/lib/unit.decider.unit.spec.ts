import type { MessageMetadata } from '@tieuchi/shared/kernel';
import { deciderSpec } from '@tieuchi/shared/kernel/testing';
import type { UnitCommand } from './unit.commands';
import { unitDecider } from './unit.decider';
import type { UnitEvent, UnitRegistered, UnitsMerged } from './unit.events';

const metadata: MessageMetadata = { actor: 'admin-1', correlationId: 'c-1', causationId: 'c-1', occurredAt: '2020-01-02T08:00:00Z' };
const spec = deciderSpec(unitDecider);
const cmd = <T extends UnitCommand['type']>(type: T, data: Extract<UnitCommand, { type: T }>['data']): UnitCommand =>
  ({ type, data, metadata }) as UnitCommand;

const giaNghia: UnitRegistered = {
  type: 'UnitRegistered',
  data: { code: '660', name: 'Gia Nghĩa', type: 'thị xã', tier: 'district', parentCode: '67' },
};
const nghiaDuc: UnitRegistered = {
  type: 'UnitRegistered',
  data: { code: '24611', name: 'Nghĩa Đức', type: 'phường', tier: 'commune', parentCode: '660' },
};
const typeChange = { code: '660', type: 'thành phố', effectiveDate: '2020-01-01', decisionRef: 'Nghị quyết 835/NQ-UBTVQH14' };
const merge = {
  successorCode: '24611',
  predecessorCodes: ['24611', '24612', '24619', '24622'],
  comparisonRule: 'mean' as const,
  effectiveDate: '2025-07-01',
  legalBasis: 'Nghị quyết 1671/NQ-UBTVQH15',
  name: 'Bắc Gia Nghĩa',
  type: 'phường',
  tier: 'commune',
  parentCode: '68',
};
const merged: UnitsMerged = { type: 'UnitsMerged', data: merge };
const dissolved: UnitEvent = { type: 'UnitDissolved', data: { code: '660', effectiveDate: '2025-07-01', legalBasis: 'Luật 2025' } };

describe('unit registry decider', () => {
  describe('RegisterUnit', () => {
    it('registers a unit with its official code, type, tier and parent', () => {
      spec.given([]).when(cmd('RegisterUnit', giaNghia.data)).then([giaNghia]);
    });
    it('refuses a second registration of the same code', () => {
      spec.given([giaNghia]).when(cmd('RegisterUnit', giaNghia.data)).thenRefused('UNIT.ALREADY_REGISTERED', 'conflict');
    });
    it('refuses a code that is not an official digit code', () => {
      const error = spec.given([]).when(cmd('RegisterUnit', { ...giaNghia.data, code: 'GN' })).thenRefused('UNIT.INVALID_CODE');
      expect(error.field).toBe('data.code');
    });
    it('refuses a blank name', () => {
      spec.given([]).when(cmd('RegisterUnit', { ...giaNghia.data, name: ' ' })).thenRefused('UNIT.FIELD_REQUIRED', 'validation');
    });
    it('refuses a unit that is its own parent', () => {
      spec.given([]).when(cmd('RegisterUnit', { ...giaNghia.data, parentCode: '660' })).thenRefused('UNIT.INVALID_CODE');
    });
  });

  describe('RenameUnit', () => {
    const rename = { code: '660', name: 'Gia Nghia', effectiveDate: '2020-01-01', decisionRef: 'QĐ 1' };
    it('renames and keeps the previous name', () => {
      const outcome = spec.given([giaNghia]).when(cmd('RenameUnit', rename));
      outcome.then([{ type: 'UnitRenamed', data: { ...rename, previousName: 'Gia Nghĩa' } }]);
      const state = outcome.state();
      expect(state.status === 'active' && state.history[0]?.name).toBe('Gia Nghĩa');
    });
    it('writes nothing when the name is unchanged (a retried command)', () => {
      spec.given([giaNghia]).when(cmd('RenameUnit', { ...rename, name: 'Gia Nghĩa' })).then([]);
    });
    it('refuses an unknown unit', () => {
      spec.given([]).when(cmd('RenameUnit', rename)).thenRefused('UNIT.NOT_FOUND', 'not_found');
    });
    it('refuses a command naming another code than the stream', () => {
      spec.given([giaNghia]).when(cmd('RenameUnit', { ...rename, code: '661' })).thenRefused('UNIT.CODE_MISMATCH');
    });
    it('refuses a malformed effective date', () => {
      spec.given([giaNghia]).when(cmd('RenameUnit', { ...rename, effectiveDate: '1/1/2020' })).thenRefused('UNIT.INVALID_DATE');
    });
  });

  describe('ChangeUnitType', () => {
    it('records Gia Nghĩa becoming a thành phố on 1/1/2020, tier unchanged', () => {
      const outcome = spec.given([giaNghia]).when(cmd('ChangeUnitType', typeChange));
      outcome.then([{ type: 'UnitTypeChanged', data: { ...typeChange, previousType: 'thị xã', tier: 'district' } }]);
      const state = outcome.state();
      expect(state.status === 'active' && [state.type, state.history[0]?.type]).toEqual(['thành phố', 'thị xã']);
    });
    it('writes nothing when type and tier are unchanged', () => {
      spec.given([giaNghia]).when(cmd('ChangeUnitType', { ...typeChange, type: 'thị xã' })).then([]);
    });
    it('refuses without a decision reference', () => {
      spec.given([giaNghia]).when(cmd('ChangeUnitType', { ...typeChange, decisionRef: '' })).thenRefused('UNIT.FIELD_REQUIRED');
    });
    it('refuses a dissolved unit', () => {
      spec.given([giaNghia, dissolved]).when(cmd('ChangeUnitType', typeChange)).thenRefused('UNIT.DISSOLVED', 'conflict');
    });
  });

  describe('MergeUnits', () => {
    it('continues the stream of the predecessor whose code the successor keeps', () => {
      const outcome = spec.given([nghiaDuc]).when(cmd('MergeUnits', merge));
      outcome.then([merged]);
      const state = outcome.state();
      expect(state).toMatchObject({ status: 'active', name: 'Bắc Gia Nghĩa', parentCode: '68', merges: [{ comparisonRule: 'mean' }] });
      expect(state.status === 'active' && state.history[0]?.name).toBe('Nghĩa Đức');
    });
    it('starts a new stream for a successor with a new code', () => {
      const data = { ...merge, successorCode: '99999' };
      spec.given([]).when(cmd('MergeUnits', data)).then([{ type: 'UnitsMerged', data }]);
    });
    it('refuses an existing unit that is not among the predecessors', () => {
      spec
        .given([nghiaDuc])
        .when(cmd('MergeUnits', { ...merge, predecessorCodes: ['24612', '24619'] }))
        .thenRefused('UNIT.INVALID_MERGE', 'conflict');
    });
    it('refuses an empty or repeated predecessor list', () => {
      spec.given([]).when(cmd('MergeUnits', { ...merge, predecessorCodes: [] })).thenRefused('UNIT.INVALID_MERGE');
      spec.given([]).when(cmd('MergeUnits', { ...merge, predecessorCodes: ['1', '1'] })).thenRefused('UNIT.INVALID_MERGE');
    });
    it('refuses an unknown comparison rule', () => {
      const data = { ...merge, comparisonRule: 'median' } as unknown as typeof merge;
      spec.given([]).when(cmd('MergeUnits', data)).thenRefused('UNIT.INVALID_MERGE', 'validation');
    });
    it('refuses to merge into a dissolved code', () => {
      const gone: UnitEvent = { type: 'UnitDissolved', data: { code: '24611', effectiveDate: '2021-01-01', legalBasis: 'x' } };
      spec.given([nghiaDuc, gone]).when(cmd('MergeUnits', merge)).thenRefused('UNIT.DISSOLVED');
    });
  });

  describe('RecordUnitMergedInto', () => {
    const data = { code: '24612', successorCode: '24611', effectiveDate: '2025-07-01', legalBasis: 'Nghị quyết 1671/NQ-UBTVQH15' };
    const nghiaThanh: UnitRegistered = { type: 'UnitRegistered', data: { ...nghiaDuc.data, code: '24612', name: 'Nghĩa Thành' } };
    it('ends a predecessor and names its successor', () => {
      const outcome = spec.given([nghiaThanh]).when(cmd('RecordUnitMergedInto', data));
      outcome.then([{ type: 'UnitMergedInto', data }]);
      expect(outcome.state()).toMatchObject({ status: 'merged_into', successorCode: '24611', endedOn: '2025-07-01' });
    });
    it('refuses a unit already merged away', () => {
      spec
        .given([nghiaThanh, { type: 'UnitMergedInto', data }])
        .when(cmd('RenameUnit', { code: '24612', name: 'x', effectiveDate: '2025-08-01', decisionRef: 'y' }))
        .thenRefused('UNIT.MERGED', 'conflict');
    });
    it('refuses a unit merged into itself', () => {
      spec.given([nghiaThanh]).when(cmd('RecordUnitMergedInto', { ...data, successorCode: '24612' })).thenRefused('UNIT.INVALID_MERGE');
    });
  });

  describe('DissolveUnit', () => {
    const data = { code: '660', effectiveDate: '2025-07-01', legalBasis: 'Luật 2025' };
    it('dissolves a live unit', () => {
      const outcome = spec.given([giaNghia]).when(cmd('DissolveUnit', data));
      outcome.then([dissolved]);
      expect(outcome.state()).toMatchObject({ status: 'dissolved', endedOn: '2025-07-01' });
    });
    it('refuses to dissolve twice', () => {
      spec.given([giaNghia, dissolved]).when(cmd('DissolveUnit', data)).thenRefused('UNIT.DISSOLVED');
    });
    it('refuses an unknown unit', () => {
      spec.given([]).when(cmd('DissolveUnit', data)).thenRefused('UNIT.NOT_FOUND');
    });
  });
});
