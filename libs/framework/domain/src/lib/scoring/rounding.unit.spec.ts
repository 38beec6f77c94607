import fc from 'fast-check';
import { decimalPlaces, exactDifference, roundScore } from './rounding';

describe('roundScore', () => {
  it.each([
    [1.005, 1.01],
    [2.675, 2.68],
    [40.225, 40.23],
    [1.004999, 1],
    [0.285, 0.29],
    [43.8, 43.8],
    [-2.365, -2.37],
    [-0.001, 0],
  ])('rounds %p half-up to %p at 2 decimals, despite binary floating point', (value, expected) => {
    expect(roundScore(value)).toBe(expected);
  });

  it('rounds a value computed with binary noise as its exact decimal would round', () => {
    // 30.06 / 40 × 50 is 37.575 exactly, but the double computed is 37.574999999999996.
    const computed = (30.06 / 40) * 50;
    expect(computed).not.toBe(37.575);
    expect(roundScore(computed)).toBe(37.58);
  });

  it('supports half-even and down', () => {
    expect(roundScore(1.255, { decimals: 2, mode: 'half_even' })).toBe(1.26);
    expect(roundScore(1.245, { decimals: 2, mode: 'half_even' })).toBe(1.24);
    expect(roundScore(1.249, { decimals: 2, mode: 'half_even' })).toBe(1.25);
    expect(roundScore(1.259, { decimals: 2, mode: 'down' })).toBe(1.25);
    expect(roundScore(-1.259, { decimals: 2, mode: 'down' })).toBe(-1.25);
  });

  it('rounds to other precisions', () => {
    expect(roundScore(37.8655, { decimals: 3, mode: 'half_up' })).toBe(37.866);
    expect(roundScore(672.5, { decimals: 0, mode: 'half_up' })).toBe(673);
  });

  it('refuses non-finite values', () => {
    expect(() => roundScore(Number.NaN)).toThrow(RangeError);
  });

  it('rounds every exact half of the third decimal up, as decimal arithmetic does (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 99 }), (whole, hundredths) => {
        const text = `${whole}.${String(hundredths).padStart(2, '0')}5`;
        const expectedHundredths = BigInt(whole) * 100n + BigInt(hundredths) + 1n;
        expect(roundScore(Number(text))).toBe(Number(expectedHundredths) / 100);
      }),
    );
  });

  it('never moves a value by more than half a unit of the last decimal (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (value) => {
        const rounded = roundScore(value);
        expect(Math.abs(rounded - value)).toBeLessThanOrEqual(0.005 + 1e-9);
        expect(decimalPlaces(rounded)).toBeLessThanOrEqual(2);
      }),
    );
  });
});

/** The rule as first written, through a 15-significant-digit string for every value: the reference. */
function referenceRound(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const scaled = Number((Math.abs(value) * factor).toPrecision(15));
  const whole = Math.floor(scaled);
  const result = (scaled - whole >= 0.5 ? whole + 1 : whole) / factor;
  return value < 0 && result !== 0 ? -result : result;
}

describe('roundScore against the reference', () => {
  it('gives the same result on and off the grid of whole and half points (property)', () => {
    const onGrid = fc.tuple(fc.integer({ min: -200_000, max: 200_000 }), fc.constantFrom(1, 2, 4, 10, 100, 1000)).map(([k, d]) => k / d);
    fc.assert(
      fc.property(fc.oneof(onGrid, fc.double({ min: -1e6, max: 1e6, noNaN: true })), fc.integer({ min: 0, max: 4 }), (value, decimals) => {
        expect(Object.is(roundScore(value, { decimals, mode: 'half_up' }), referenceRound(value, decimals))).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('exactDifference', () => {
  it('keeps the precision of its inputs, as the published changes do', () => {
    expect(40.23 - 37.865).not.toBe(2.365);
    expect(exactDifference(40.23, 37.865)).toBe(2.365);
    expect(exactDifference(43.8, 45.7)).toBe(-1.9);
    expect(exactDifference(21.4, 21.1)).toBe(0.3);
  });

  it('counts decimal places from the shortest decimal form', () => {
    expect(decimalPlaces(37.865)).toBe(3);
    expect(decimalPlaces(43.8)).toBe(1);
    expect(decimalPlaces(50)).toBe(0);
    expect(decimalPlaces(1e-7)).toBe(7);
  });
});
