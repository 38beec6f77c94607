import { restoreMeasures, runRestoreBenchmark } from './restore.bench';

// CI runs the benchmark only at smoke size (ARCHITECTURE.md §5): timings on a shared machine say
// nothing, so only the shape is checked, and that the restored events are all there.
describe('restore benchmark (smoke size)', () => {
  it('seeds, backs up, restores into an empty server, rebuilds and reports every figure next to its baseline', async () => {
    const result = await runRestoreBenchmark({ size: 'smoke' });

    expect(result.figures.map((figure) => figure.name)).toEqual([
      restoreMeasures.liveCatchUp,
      restoreMeasures.backup,
      restoreMeasures.restore,
      restoreMeasures.rebuild,
      restoreMeasures.drill,
    ]);
    for (const figure of result.figures) {
      expect(figure.ours).toBeGreaterThan(0);
      if (figure.name !== restoreMeasures.liveCatchUp) expect(figure.baseline).toBeGreaterThan(0);
      expect(result.report).toContain(figure.name);
    }
    expect(result.report).toContain(`restored ${result.events} events`);
  }, 240_000);
});
