/**
 * Follows a recalculation run with a progress bar until it ends:
 *
 *   npm run recalc:progress -- run-3f2a9c0d1e7b4a6c8d9e0f1a [--url http://localhost:3000] [--token …]
 *
 * Exits 0 when the run is done, 1 when it failed (the failed assessments and their errors are
 * printed), 2 when it cannot follow the run (bad arguments, refused token, unreachable API).
 * Without --token it signs an admin token with the local key set of the embedded mode.
 */
import { Presets, SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { principalOfGrants } from '@tieuchi/accounts/feature';
import { daknongPerson } from '@tieuchi/demo/daknong';
import { LocalKeySet, LocalTokenIssuer } from '@tieuchi/shared/auth';
import { loadConfig } from '@tieuchi/shared/config';

export type RunStatus = 'queued' | 'running' | 'done' | 'failed';

/** What GET /recalculation-runs/:runId answers (the fields this tool reads). */
export interface RunProgressView {
  readonly runId: string;
  readonly periodId: string;
  readonly frameworkId: string;
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly provisional: boolean;
  readonly status: RunStatus;
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly queued: number;
  readonly failures: readonly { readonly streamName: string; readonly error: string | null; readonly attempts: number }[];
}

export const EXIT_DONE = 0;
export const EXIT_FAILED = 1;
export const EXIT_CANNOT_FOLLOW = 2;

const runIdPattern = /^run-[0-9a-f]{24}$/;

export function parseRunId(value: string): string {
  if (!runIdPattern.test(value)) throw new InvalidArgumentError('expected a run id: run- and 24 hex digits');
  return value;
}

export function isFinished(progress: Pick<RunProgressView, 'status'>): boolean {
  return progress.status === 'done' || progress.status === 'failed';
}

export function exitCodeOf(progress: Pick<RunProgressView, 'status'>): number {
  return progress.status === 'failed' ? EXIT_FAILED : EXIT_DONE;
}

/** The bar's payload: what the format string below shows beside the bar. */
export function barPayload(progress: RunProgressView): { readonly status: string; readonly failed: number; readonly period: string } {
  return { status: progress.status, failed: progress.failed, period: `${progress.periodId} v${progress.fromVersion}→v${progress.toVersion}` };
}

export const BAR_FORMAT = '{period} [{bar}] {percentage}% | {value}/{total} | {failed} failed | {status}';

/** The closing lines: the outcome and, for a failed run, every failed assessment with its error. */
export function summaryOf(progress: RunProgressView): string {
  const head = `${progress.runId} ${progress.status}: ${progress.done}/${progress.total} recalculated, ${progress.failed} failed${progress.provisional ? ' (provisional until a correction decision is published)' : ''}`;
  if (progress.failures.length === 0) return head;
  const width = Math.max(...progress.failures.map((f) => f.streamName.length));
  const lines = progress.failures.map((f) => `  ${f.streamName.padEnd(width)}  after ${f.attempts} attempt${f.attempts === 1 ? '' : 's'}: ${f.error ?? 'no error recorded'}`);
  return [head, 'failed assessments:', ...lines, `retry them with POST /recalculation-runs/${progress.runId}/retry`].join('\n');
}

/** A problem+json answer as one line, e.g. `403 AUTH.FORBIDDEN_ROLE: This action needs one of the roles: admin, auditor.` */
export function problemLine(status: number, body: unknown): string {
  const problem = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = typeof problem['code'] === 'string' ? ` ${problem['code']}` : '';
  const detail = typeof problem['detail'] === 'string' ? `: ${problem['detail']}` : '';
  return `${status}${code}${detail}`;
}

export interface WatchOptions {
  readonly url: string;
  readonly token: string;
  readonly runId: string;
  readonly intervalMs: number;
  /** A run appears once the dispatcher has read the pin: a 404 is retried this long. */
  readonly notFoundGraceMs: number;
  readonly out: NodeJS.WritableStream;
}

/** Polls the run, draws the bar, prints the summary; resolves with the exit code. */
export async function watchRun(options: WatchOptions): Promise<number> {
  const bar = new SingleBar(
    { format: BAR_FORMAT, stream: options.out, noTTYOutput: true, notTTYSchedule: 5_000, hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  const endpoint = new URL(`/recalculation-runs/${options.runId}`, options.url).toString();
  const firstTry = Date.now();
  let started = false;
  for (;;) {
    let res: Response;
    try {
      res = await fetch(endpoint, { headers: { authorization: `Bearer ${options.token}`, accept: 'application/json' } });
    } catch (error) {
      if (started) bar.stop();
      options.out.write(`cannot reach ${endpoint}: ${error instanceof Error ? error.message : String(error)}\n`);
      return EXIT_CANNOT_FOLLOW;
    }
    const body: unknown = await res.json().catch(() => null);
    if (res.status === 404 && Date.now() - firstTry < options.notFoundGraceMs) {
      await sleep(options.intervalMs);
      continue;
    }
    if (!res.ok) {
      if (started) bar.stop();
      options.out.write(`${endpoint} answered ${problemLine(res.status, body)}\n`);
      return EXIT_CANNOT_FOLLOW;
    }
    const progress = body as RunProgressView;
    const settled = progress.done + progress.failed;
    if (!started) {
      bar.start(progress.total, settled, barPayload(progress));
      started = true;
    } else {
      bar.setTotal(progress.total);
      bar.update(settled, barPayload(progress));
    }
    if (isFinished(progress)) {
      bar.stop();
      options.out.write(`${summaryOf(progress)}\n`);
      return exitCodeOf(progress);
    }
    await sleep(options.intervalMs);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

/**
 * A token of the demo's administrator account (created by `npm start -- --demo`), signed with the
 * local key set. The embedded API holds the data folder, so the account is not read here: its
 * grants are the demo's, and the API refuses the token unless that account is active.
 */
async function localAdminToken(): Promise<string> {
  const config = loadConfig();
  const admin = daknongPerson('admin@daknong');
  if (!admin) throw new Error('no demo administrator');
  const keySet = await LocalKeySet.loadOrCreate(config.dataDir);
  return new LocalTokenIssuer(keySet, { issuer: config.localIssuer, audience: config.localAudience }).issue(principalOfGrants(admin.login, admin.name, admin.grants));
}

async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('recalc:progress')
    .description('Follow a recalculation run with a progress bar; exit 0 when done, 1 when failed, 2 when it cannot be followed')
    .argument('<runId>', 'the run id, e.g. run-3f2a9c0d1e7b4a6c8d9e0f1a', parseRunId)
    .option('--url <url>', 'the API', 'http://localhost:3000')
    .option('--token <token>', 'a bearer token of an administrator or auditor (default: a local admin token of the embedded mode)')
    .option('--interval <ms>', 'polling interval', positiveInteger, 500)
    .showHelpAfterError();
  program.parse([...argv]);
  const opts = program.opts<{ url: string; token?: string; interval: number }>();
  const [runId] = program.processedArgs as [string];
  return watchRun({ url: opts.url, token: opts.token ?? (await localAdminToken()), runId, intervalMs: opts.interval, notFoundGraceMs: 10_000, out: process.stdout });
}

if (require.main === module) {
  main(process.argv)
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = EXIT_CANNOT_FOLLOW;
    });
}
