import { assertNever } from '@tieuchi/shared/kernel';
import { unitError } from './unit.errors';
import type { UnitState } from './unit.state';

export type ActiveUnitState = Extract<UnitState, { status: 'active' }>;

/** Every command but registration needs a live unit whose stream matches the code it names. */
export function requireActiveUnit(state: UnitState, code: string): ActiveUnitState {
  switch (state.status) {
    case 'unregistered':
      throw unitError('UNIT.NOT_FOUND', 'not_found', `unit ${code} is not registered`, 'data.code');
    case 'dissolved':
      throw unitError('UNIT.DISSOLVED', 'conflict', `unit ${code} was dissolved on ${state.endedOn}`, 'data.code');
    case 'merged_into':
      throw unitError('UNIT.MERGED', 'conflict', `unit ${code} was merged into ${state.successorCode}`, 'data.code', {
        successorCode: state.successorCode,
      });
    case 'active':
      if (state.code !== code) {
        throw unitError('UNIT.CODE_MISMATCH', 'validation', `command names ${code} but the stream is ${state.code}`, 'data.code');
      }
      return state;
    default:
      return assertNever(state, 'unit status');
  }
}
