import fc from 'fast-check';
import { InvalidCheckpointError } from '../event-store.errors';
import { compareSqlCheckpoints, decodeSqlCheckpoint, encodeSqlCheckpoint, startOfFeed } from './sql-checkpoint';

const decimal = fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String);
const checkpoint = fc.record({ transactionId: decimal, globalPosition: decimal });

describe('SQL checkpoint encoding', () => {
  it('round-trips the (transaction id, global position) pair', () => {
    fc.assert(fc.property(checkpoint, (pair) => expect(decodeSqlCheckpoint(encodeSqlCheckpoint(pair))).toEqual(pair)));
  });

  it('orders by transaction id first, then by global position, never by position alone', () => {
    const late = encodeSqlCheckpoint({ transactionId: '900', globalPosition: '5' });
    const early = encodeSqlCheckpoint({ transactionId: '899', globalPosition: '7' });
    expect(compareSqlCheckpoints(early, late)).toBeLessThan(0);
    expect(compareSqlCheckpoints(late, early)).toBeGreaterThan(0);
    expect(compareSqlCheckpoints(late, late)).toBe(0);
  });

  it('compares numerically, not as text, up to 64-bit values', () => {
    fc.assert(
      fc.property(checkpoint, checkpoint, (a, b) => {
        const expected =
          BigInt(a.transactionId) !== BigInt(b.transactionId)
            ? Math.sign(Number(BigInt(a.transactionId) - BigInt(b.transactionId)))
            : Math.sign(Number(BigInt(a.globalPosition) - BigInt(b.globalPosition)));
        expect(Math.sign(compareSqlCheckpoints(encodeSqlCheckpoint(a), encodeSqlCheckpoint(b)))).toBe(expected);
      }),
    );
    expect(compareSqlCheckpoints('10:1', '9:1')).toBeGreaterThan(0);
  });

  it('starts before every real event', () => {
    expect(compareSqlCheckpoints(encodeSqlCheckpoint(startOfFeed), '3:1')).toBeLessThan(0);
  });

  it.each(['', '12', '1:2:3', '-1:2', '01:2', 'a:b', '1: 2', '123456789012345678901:1'])('rejects "%s" with a typed error', (value) => {
    expect(() => decodeSqlCheckpoint(value)).toThrow(InvalidCheckpointError);
  });
});
