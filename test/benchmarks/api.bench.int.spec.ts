import { apiMeasures, runApiBenchmark } from './api.bench';

// CI runs the benchmark only at smoke size (ARCHITECTURE.md §5) to keep it working: it starts the
// API and worker processes for real. Timings on a shared CI machine say nothing, so this checks the
// shape of the figures and never a threshold.
describe('API benchmark (smoke size)', () => {
  const exitListenersBefore = process.listenerCount('exit');

  it('measures commands, ranking queries and projection lag beside their baselines', async () => {
    const result = await runApiBenchmark({ size: 'smoke' });

    expect(result.figures.map((figure) => figure.name)).toEqual(Object.values(apiMeasures));
    for (const figure of result.figures) {
      expect([figure.name, Number.isFinite(figure.ours) && figure.ours > 0]).toEqual([figure.name, true]);
      expect([figure.name, Number.isFinite(figure.baseline) && figure.baseline > 0]).toEqual([figure.name, true]);
      expect(result.report).toContain(figure.name);
    }
    // Every fixed-rate read comes from one address: none may be refused by the public rate limit.
    expect(result.errors['ranking']).toBe(0);
    expect(result.report).toMatch(/GET \/health\/live/);
    expect(result.report).toMatch(/raw SELECT/);
    expect(result.report).toMatch(/GC pauses of this client per phase .*GET \/health\/live \d+; \d+; \d+ ms/);
  }, 300_000);

  it('leaves nothing running in the process that ran it', async () => {
    // The client's GC recorder flushed to the run's folder twice a second after the folder was gone,
    // which crashed the next test files in the same Jest worker. Two flush periods go by here: a
    // stray flush would fail this test. Its exit hook is gone too.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(process.listenerCount('exit')).toBe(exitListenersBefore);
  });
});
