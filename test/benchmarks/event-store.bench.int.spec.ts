import { eventStoreMeasures, runEventStoreBenchmark } from './event-store.bench';

// CI runs the benchmark only at smoke size (ARCHITECTURE.md §5) to keep it working. Timings on a
// shared CI machine say nothing, so this checks the shape of the figures and never a threshold.
describe('event store benchmark (smoke size)', () => {
  it('measures every figure against its raw baseline and reports each measure', async () => {
    const result = await runEventStoreBenchmark({ size: 'smoke' });

    expect(result.figures.map((figure) => figure.name)).toEqual(Object.values(eventStoreMeasures));
    for (const figure of result.figures) {
      expect(Number.isFinite(figure.ours)).toBe(true);
      expect(figure.ours).toBeGreaterThan(0);
      expect(Number.isFinite(figure.baseline)).toBe(true);
      expect(figure.baseline).toBeGreaterThan(0);
      expect(result.report).toContain(figure.name);
    }
    expect(result.report).toMatch(/batches of 1,000/);
    expect(result.report).toMatch(/raw SELECT/);
    expect(result.report).toMatch(/raw INSERT/);
  }, 120_000);
});
