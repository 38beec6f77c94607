import { latenciesBetween, meanBetween, slopePerMinute } from './soak-figures';

describe('soak figures', () => {
  it('regresses a drift per minute, whatever the noise around it', () => {
    const line = Array.from({ length: 25 }, (_, i) => ({ minute: i / 12, value: 300 + 4 * (i / 12) }));
    expect(slopePerMinute(line)).toBeCloseTo(4, 10);
    // Noise that alternates around the line moves the slope by less than the noise itself.
    const noisy = line.map((s, i) => ({ ...s, value: s.value + (i % 2 === 0 ? 5 : -5) }));
    expect(Math.abs(slopePerMinute(noisy) - 4)).toBeLessThan(1);
    expect(slopePerMinute(line.map((s) => ({ ...s, value: 250 })))).toBe(0);
  });

  it('has no slope with fewer than two times', () => {
    expect(slopePerMinute([])).toBeNaN();
    expect(slopePerMinute([{ minute: 1, value: 3 }])).toBeNaN();
    expect(slopePerMinute([{ minute: 1, value: 3 }, { minute: 1, value: 5 }])).toBeNaN();
  });

  it('takes the samples and requests of a window, start included, end excluded', () => {
    const samples = [0, 0.5, 1, 1.5, 2].map((minute) => ({ minute, value: minute * 10 }));
    expect(meanBetween(samples, 0, 1)).toBe(2.5);
    expect(meanBetween(samples, 1, Infinity)).toBe(15);
    expect(meanBetween(samples, 3, 4)).toBeNaN();
    const timeline = [[0, 1], [59_999, 2], [60_000, 3], [120_500, 4]] as const;
    expect(latenciesBetween(timeline, 0, 60_000)).toEqual([1, 2]);
    expect(latenciesBetween(timeline, 60_000, Infinity)).toEqual([3, 4]);
  });
});
