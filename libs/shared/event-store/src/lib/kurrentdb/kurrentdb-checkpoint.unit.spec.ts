import { InvalidCheckpointError } from '../event-store.errors';
import {
  compareKurrentDbPositions,
  decodeKurrentDbCheckpoint,
  encodeKurrentDbCheckpoint,
  isKnownKurrentDbPosition,
} from './kurrentdb-checkpoint';

describe('KurrentDB checkpoint encoding', () => {
  it('encodes a position as "commit:prepare"', () => {
    expect(encodeKurrentDbCheckpoint({ commit: 1234n, prepare: 1200n })).toBe('1234:1200');
  });

  it.each([
    { commit: 0n, prepare: 0n },
    { commit: 18_446_744_073_709_551_614n, prepare: 18_446_744_073_709_551_600n },
    // Beyond Number.MAX_SAFE_INTEGER: positions must never pass through a double.
    { commit: 9_007_199_254_740_993n, prepare: 9_007_199_254_740_993n },
  ])('round-trips $commit:$prepare', (position) => {
    expect(decodeKurrentDbCheckpoint(encodeKurrentDbCheckpoint(position))).toEqual(position);
  });

  it.each(['', 'abc', '12', '12:', ':12', '1:2:3', '-1:2', '1:-2', '01:2', '1:02', ' 1:2', '1:2 ', '1.5:2', '0x10:1', '18446744073709551615:0'])(
    'rejects the malformed checkpoint %p with InvalidCheckpointError',
    (checkpoint) => {
      expect(() => decodeKurrentDbCheckpoint(checkpoint)).toThrow(InvalidCheckpointError);
      try {
        decodeKurrentDbCheckpoint(checkpoint);
      } catch (error) {
        expect(error).toMatchObject({ code: 'EVENT_STORE.INVALID_CHECKPOINT', category: 'validation', checkpoint });
      }
    },
  );

  it('orders positions by commit, then by prepare', () => {
    const sorted = [
      { commit: 20n, prepare: 5n },
      { commit: 10n, prepare: 9n },
      { commit: 10n, prepare: 3n },
    ].sort(compareKurrentDbPositions);
    expect(sorted).toEqual([
      { commit: 10n, prepare: 3n },
      { commit: 10n, prepare: 9n },
      { commit: 20n, prepare: 5n },
    ]);
    expect(compareKurrentDbPositions({ commit: 7n, prepare: 7n }, { commit: 7n, prepare: 7n })).toBe(0);
  });

  it('treats -1 and 2^64-1 as "no position reported"', () => {
    expect(isKnownKurrentDbPosition({ commit: -1n, prepare: -1n })).toBe(false);
    expect(isKnownKurrentDbPosition({ commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n })).toBe(false);
    expect(isKnownKurrentDbPosition(undefined)).toBe(false);
    expect(isKnownKurrentDbPosition({ commit: 0n, prepare: 0n })).toBe(true);
  });
});
