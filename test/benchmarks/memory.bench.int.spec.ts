import { memoryMeasures, runMemoryBenchmark } from './memory.bench';

// CI runs the benchmark only at smoke size to keep it working: memory on a shared CI machine is
// reported, and only the shape of the figures is checked, never a threshold.
describe('memory benchmark (smoke size)', () => {
  it('measures the idle API next to a bare node process and a bare PGlite and reports each measure', async () => {
    const result = await runMemoryBenchmark({ size: 'smoke', settleMs: 4_000 });

    const { apiRestart, apiDemo, ...smokeMeasures } = memoryMeasures;
    expect(result.figures.map((figure) => figure.name)).toEqual(Object.values(smokeMeasures));
    expect(result.report).not.toContain(apiDemo);
    expect(result.report).not.toContain(apiRestart);
    expect(result.report).toMatch(/API idle, empty DATA_DIR: \d+ MB = bare node \d+ \+ PGlite \d+/);
    for (const figure of result.figures) {
      expect(Number.isFinite(figure.ours)).toBe(true);
      expect(figure.ours).toBeGreaterThan(0);
      expect(result.report).toContain(figure.name);
    }
    expect(result.report).toMatch(/≤ 300 MB: (meets|MISSES)/);
  }, 240_000);
});
