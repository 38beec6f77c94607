import { recalculationMeasures, runRecalculationBenchmark } from './recalculation.bench';

// CI runs the benchmark only at smoke size (ARCHITECTURE.md §5), against real PostgreSQL, Redis and
// apps/worker child processes. Timings on a shared machine say nothing: only the shape is checked.
describe('recalculation benchmark (smoke size)', () => {
  it('seeds, measures both amendments with 1 and 2 worker processes and reports every figure', async () => {
    const result = await runRecalculationBenchmark({ size: 'smoke' });

    const names = result.figures.map((figure) => figure.name);
    expect(names).toEqual([
      recalculationMeasures.seeding,
      recalculationMeasures.catchUp,
      recalculationMeasures.baseline,
      recalculationMeasures.commitFloor(16),
      recalculationMeasures.amendment('threshold', 1),
      recalculationMeasures.amendment('criterion maximum', 1),
      recalculationMeasures.rss(1),
      recalculationMeasures.amendment('threshold', 2),
      recalculationMeasures.amendment('criterion maximum', 2),
      recalculationMeasures.rss(2),
    ]);
    for (const figure of result.figures) {
      expect(Number.isFinite(figure.ours)).toBe(true);
      expect(figure.ours).toBeGreaterThan(0);
      if (figure.baseline !== undefined) expect(figure.baseline).toBeGreaterThan(0);
      expect(result.report).toContain(figure.name);
    }
    expect(result.report).toMatch(/30 jobs, 30 ScoresRecalculated \(\d+ with a level moved\)/);
    // The targets are judged in the table: the threshold amendment's time and the RSS, per worker count.
    expect(result.report.match(/≤ 5,000 ms: (meets|MISSES)/g)).toHaveLength(2);
    expect(result.report.match(/≤ 512 MB: (meets|MISSES)/g)).toHaveLength(2);
  }, 180_000);
});
