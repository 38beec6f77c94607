/** Figures of one benchmark run: ours beside the baseline measured in the same run. */
export interface BenchFigure {
  readonly name: string;
  readonly unit: string;
  readonly ours: number;
  /** The raw baseline in the same unit, when there is one. */
  readonly baseline?: number;
  /** The lowest acceptable ours / baseline ratio, when the issue sets a target. */
  readonly targetRatio?: number;
  /** The highest acceptable figure itself (in `unit`), when the issue sets one (a time, a memory size). */
  readonly targetAtMost?: number;
}

export function ratio(figure: BenchFigure): number | undefined {
  return figure.baseline ? figure.ours / figure.baseline : undefined;
}

/** True or false when the figure has a target (and, for a ratio, a baseline to compare with); undefined otherwise. */
export function meetsTarget(figure: BenchFigure): boolean | undefined {
  if (figure.targetAtMost !== undefined) return figure.ours <= figure.targetAtMost;
  const r = ratio(figure);
  return figure.targetRatio === undefined || r === undefined ? undefined : r >= figure.targetRatio;
}

function verdictOf(figure: BenchFigure): string {
  const met = meetsTarget(figure);
  if (met === undefined) return '—';
  const word = met ? 'meets' : 'MISSES';
  return figure.targetAtMost !== undefined ? `≤ ${num(figure.targetAtMost)} ${figure.unit}: ${word}` : `${word} ≥ ${pct(figure.targetRatio ?? 0)}`;
}

/** A fixed-width table, then free-form notes (settings, seeding method) so the figures can be read alone. */
export function formatReport(title: string, figures: readonly BenchFigure[], notes: readonly string[] = []): string {
  const rows = figures.map((f) => {
    const r = ratio(f);
    return [f.name, `${num(f.ours)} ${f.unit}`, f.baseline === undefined ? '—' : `${num(f.baseline)} ${f.unit}`, r === undefined ? '—' : pct(r), verdictOf(f)];
  });
  const header = ['measure', 'tieuchi', 'raw baseline', 'ratio', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const table = [title, line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  return [...table, ...(notes.length > 0 ? ['', ...notes.map((note) => `* ${note}`)] : [])].join('\n');
}

function num(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function pct(value: number): string {
  return `${(value * 100).toFixed(0)} %`;
}

/** Runs `count` async tasks with at most `concurrency` in flight; `worker` says which lane runs the task. */
export async function runConcurrently(
  count: number,
  concurrency: number,
  task: (index: number, worker: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (lane: number): Promise<void> => {
    while (next < count) {
      const index = next++;
      await task(index, lane);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, (_, lane) => worker(lane)));
}

/** Wall-clock seconds taken by `action`. */
export async function timed(action: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** `count` items over `seconds`, guarding against a zero-length timing on a tiny smoke run. */
export function perSecond(count: number, seconds: number): number {
  return count / Math.max(seconds, 1e-6);
}
