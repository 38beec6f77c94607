/** One reading of a process during the soak: when (minutes since the phase began) and what. */
export interface SoakSample {
  readonly minute: number;
  readonly value: number;
}

/**
 * The least-squares slope of value over time, per minute: how fast a figure drifts. NaN with fewer
 * than two distinct times (nothing to regress on).
 */
export function slopePerMinute(samples: readonly SoakSample[]): number {
  const n = samples.length;
  if (n < 2) return Number.NaN;
  const meanX = samples.reduce((sum, s) => sum + s.minute, 0) / n;
  const meanY = samples.reduce((sum, s) => sum + s.value, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const { minute, value } of samples) {
    covariance += (minute - meanX) * (value - meanY);
    variance += (minute - meanX) ** 2;
  }
  return variance === 0 ? Number.NaN : covariance / variance;
}

/** The mean of the samples taken in [fromMinute, toMinute). */
export function meanBetween(samples: readonly SoakSample[], fromMinute: number, toMinute: number): number {
  const inside = samples.filter((s) => s.minute >= fromMinute && s.minute < toMinute);
  return inside.length === 0 ? Number.NaN : inside.reduce((sum, s) => sum + s.value, 0) / inside.length;
}

/** Latencies (ms) of the requests that were due in [fromMs, toMs) of a run, from its timeline of [due ms, latency ms]. */
export function latenciesBetween(timeline: readonly (readonly [number, number])[], fromMs: number, toMs: number): number[] {
  return timeline.filter(([due]) => due >= fromMs && due < toMs).map(([, ms]) => ms);
}
