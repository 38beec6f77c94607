import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Command, Option } from 'commander';
import { createPostgresEventStore, PostgresSqlClient } from '@tieuchi/shared/event-store';
import { createTestDatabase, postgresBinDir, startPostgresServer, type PostgresServer, type TestDatabase } from '@tieuchi/shared/testing';
import { manifestOf, projectionCheckpoints, projectionsAtHead, runOpsScript, withClient } from '../faults/backup-restore';
import { type BenchFigure, formatReport, timed } from './bench-report';
import { builtServiceEntry } from './built-services';
import { type Plan, plans, seed } from './recalculation.bench';

const run = promisify(execFile);
const tool = (name: string): string => (postgresBinDir() ? join(postgresBinDir()!, name) : name);
const workspaceRoot = join(__dirname, '..', '..');

/**
 * The restore drill at national scale (issue 20): the national history of bench:recalculation
 * (or a fraction of it) seeded into PostgreSQL and projected by a worker, then `npm run backup`,
 * `npm run restore` into an empty server of its own (initdb, pg_ctl) and every projection rebuilt
 * there by a worker, each timed next to the raw floor measured in the same run: `pg_dump` and
 * `pg_restore` of the events alone, and one ordered read of every event. Prints; never fails on a timing.
 */
export type RestoreBenchmarkSize = 'smoke' | 'full';

export interface RestoreBenchmarkOptions {
  readonly size: RestoreBenchmarkSize;
  /** Share of the national units seeded (full size only); the report extrapolates to 1. */
  readonly fraction?: number;
  readonly timeoutMinutes?: number;
  readonly log?: (message: string) => void;
}

export interface RestoreBenchmarkResult {
  readonly events: number;
  readonly figures: readonly BenchFigure[];
  readonly report: string;
}

export const restoreMeasures = {
  liveCatchUp: 'projections built as the system ran (worker after seeding)',
  backup: 'npm run backup vs pg_dump of event_store',
  restore: 'npm run restore vs pg_restore of event_store, into an empty server',
  rebuild: 'every projection rebuilt from the events vs one ordered read of them',
  drill: 'the whole drill: backup + restore + rebuild',
} as const;

function planOf(size: RestoreBenchmarkSize, fraction: number): Plan {
  if (size === 'smoke') return plans.smoke;
  const full = plans.full;
  return { ...full, districts: Math.max(1, Math.round(full.districts * fraction)), communes: Math.max(1, Math.round(full.communes * fraction)) };
}

export async function runRestoreBenchmark(options: RestoreBenchmarkOptions): Promise<RestoreBenchmarkResult> {
  const fraction = options.size === 'full' ? (options.fraction ?? 1) : 1;
  const plan = planOf(options.size, fraction);
  const log = options.log ?? (() => undefined);
  const timeoutMs = (options.timeoutMinutes ?? (options.size === 'full' ? 90 : 3)) * 60_000;
  const scratch = mkdtempSync(join(tmpdir(), 'tieuchi-bench-restore-'));
  const source: TestDatabase = await createTestDatabase('bench_restore');
  let target: PostgresServer | undefined;
  const children: ChildProcess[] = [];
  const figures: BenchFigure[] = [];
  const notes: string[] = [];
  const envOf = (databaseUrl: string, dataDir: string) => ({ EVENT_STORE: 'postgres', DATABASE_URL: databaseUrl, DATA_DIR: dataDir });
  const startWorker = (databaseUrl: string): ChildProcess => {
    const child = spawn(process.execPath, [builtServiceEntry('worker')], {
      cwd: workspaceRoot,
      env: { ...process.env, EVENT_STORE: 'postgres', DATABASE_URL: databaseUrl, REDIS_URL: '', LOG_LEVEL: 'warn', NODE_OPTIONS: '', DATA_DIR: join(scratch, 'worker') },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  };
  const caughtUp = async (databaseUrl: string, expected: readonly string[]): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!(await projectionsAtHead(databaseUrl, expected))) {
      if (Date.now() > deadline) throw new Error(`projections not at the head within ${timeoutMs / 60_000} min: ${JSON.stringify([...(await projectionCheckpoints(databaseUrl))])}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  try {
    const sql = new PostgresSqlClient({ connectionString: source.connectionString, maxConnections: 8 });
    try {
      const seeded = await seed(await createPostgresEventStore({ client: sql }), plan, log);
      await sql.query('ANALYZE');
      log(`seeded ${seeded.events.toLocaleString('en-US')} events in ${seeded.seconds.toFixed(1)} s`);
      notes.push(
        `history: ${plan.provinces} periods, ${plan.districts} districts and ${plan.communes} communes approved (${(plan.districts + plan.communes).toLocaleString('en-US')} assessments, ` +
          `${seeded.events.toLocaleString('en-US')} events), seeded as bench:recalculation does` + (fraction < 1 ? `: ${(fraction * 100).toFixed(0)} % of the national size` : ''),
      );
    } finally {
      await sql.close();
    }

    // The system as it ran: a worker builds every read model, so the backup has them to leave out.
    const sourceWorker = startWorker(source.connectionString);
    const liveSeconds = await timed(() => caughtUp(source.connectionString, ['read_model.rankings.v1', 'audit_v1.audit-trail']));
    const projections = [...(await projectionCheckpoints(source.connectionString)).keys()].sort();
    sourceWorker.kill('SIGTERM');
    await new Promise((resolve) => sourceWorker.once('exit', resolve));
    log(`projections (${projections.join(', ')}) built in ${liveSeconds.toFixed(1)} s`);
    figures.push({ name: restoreMeasures.liveCatchUp, unit: 'ms', ours: liveSeconds * 1_000 });

    const out = join(scratch, 'backup');
    const rawDump = join(scratch, 'events.dump');
    const backupSeconds = await timed(() => runOpsScript('backup', ['--out', out], envOf(source.connectionString, join(scratch, 'source'))).then(() => undefined));
    const events = manifestOf(out).events;
    const rawDumpSeconds = await timed(() => run(tool('pg_dump'), ['--format=custom', '--schema=event_store', `--file=${rawDump}`, `--dbname=${source.connectionString}`]).then(() => undefined));
    figures.push({ name: restoreMeasures.backup, unit: 'ms', ours: backupSeconds * 1_000, baseline: rawDumpSeconds * 1_000 });
    log(`backup ${backupSeconds.toFixed(1)} s, raw pg_dump ${rawDumpSeconds.toFixed(1)} s`);

    target = await startPostgresServer();
    const restoreSeconds = await timed(async () => {
      const said = await runOpsScript('restore', ['--from', out], envOf(target!.url(), join(scratch, 'restored')));
      notes.push(`npm run restore: ${said.trim()}`);
    });
    await withClient(target.url(), (db) => db.query('CREATE DATABASE raw_restore'));
    const rawRestoreSeconds = await timed(() => run(tool('pg_restore'), ['--no-owner', '--jobs=2', `--dbname=${target!.url('raw_restore')}`, rawDump]).then(() => undefined));
    figures.push({ name: restoreMeasures.restore, unit: 'ms', ours: restoreSeconds * 1_000, baseline: rawRestoreSeconds * 1_000 });
    log(`restore ${restoreSeconds.toFixed(1)} s, raw pg_restore ${rawRestoreSeconds.toFixed(1)} s`);

    startWorker(target.url());
    const rebuildSeconds = await timed(() => caughtUp(target!.url(), projections));
    const readSeconds = await timed(() => orderedRead(target!.url('raw_restore')));
    figures.push({ name: restoreMeasures.rebuild, unit: 'ms', ours: rebuildSeconds * 1_000, baseline: readSeconds * 1_000 });
    log(`rebuild ${rebuildSeconds.toFixed(1)} s, ordered read ${readSeconds.toFixed(1)} s`);

    const drillSeconds = backupSeconds + restoreSeconds + rebuildSeconds;
    figures.push({ name: restoreMeasures.drill, unit: 'ms', ours: drillSeconds * 1_000, baseline: (rawDumpSeconds + rawRestoreSeconds + readSeconds) * 1_000 });
    notes.push(`backup: ${mb(folderBytes(out))} MB (events and the kept schemas, read models left out); raw dump of event_store: ${mb(statSync(rawDump).size)} MB`);
    notes.push('npm run backup and npm run restore are timed as an operator runs them, node and its TypeScript loader starting included (2–3 s each on this machine; the smoke size shows it)');
    notes.push('the target is a server of its own started as the fault tests start theirs (initdb; fsync off), the source the PG* server; one worker process rebuilds, as one active projector per projection runs anyway');
    if (fraction < 1) {
      const scale = 1 / fraction;
      notes.push(
        `extrapolated linearly to the national size (× ${scale.toFixed(1)}): backup ${minutes(backupSeconds * scale)}, restore ${minutes(restoreSeconds * scale)}, ` +
          `rebuild ${minutes(rebuildSeconds * scale)}, whole drill ${minutes(drillSeconds * scale)} (dump, restore and projection work all grow with the event count)`,
      );
    }
    const title = `restore drill benchmark (${options.size}${fraction < 1 ? ` × ${fraction}` : ''}; ${events.toLocaleString('en-US')} events)`;
    return { events, figures, report: formatReport(title, figures, notes) };
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await target?.destroy();
    await source.drop().catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The floor of a rebuild: every event read once in feed order, in pages as the projection reader takes them. */
async function orderedRead(databaseUrl: string): Promise<void> {
  await withClient(databaseUrl, async (db) => {
    let after = { tx: '0', position: '0' };
    for (;;) {
      const { rows } = await db.query<{ tx: string; position: string; data: unknown }>(
        `SELECT transaction_id::text AS tx, global_position::text AS position, data, metadata FROM event_store.events
         WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint) ORDER BY transaction_id, global_position LIMIT 1000`,
        [after.tx, after.position],
      );
      const last = rows.at(-1);
      if (!last) return;
      after = { tx: last.tx, position: last.position };
    }
  });
}

function folderBytes(folder: string): number {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
const minutes = (seconds: number): string => `${(seconds / 60).toFixed(1)} min`;

export async function runRestoreBenchmarkCli(argv: readonly string[]): Promise<void> {
  const program = new Command('bench:restore')
    .description('Backup, restore into an empty server and projection rebuild of the national history, next to raw pg_dump, pg_restore and an ordered read')
    .addOption(new Option('--size <size>', 'smoke (1 province, 30 units) or full (63 provinces, 11,305 assessments)').choices(['smoke', 'full']).default('full'))
    .option('--fraction <share>', 'seed this share of the national units (full size), e.g. 0.2, and extrapolate', Number)
    .option('--timeout-minutes <n>', 'how long any one wait may take', Number);
  program.parse([...argv]);
  const opts = program.opts<{ size: RestoreBenchmarkSize; fraction?: number; timeoutMinutes?: number }>();
  if (opts.fraction !== undefined && !(opts.fraction > 0 && opts.fraction <= 1)) program.error('--fraction takes a share in (0, 1]');
  const result = await runRestoreBenchmark({
    size: opts.size,
    fraction: opts.fraction,
    timeoutMinutes: opts.timeoutMinutes,
    log: (m) => process.stderr.write(`${new Date().toISOString()} ${m}\n`),
  });
  process.stdout.write(`${result.report}\n`);
}

if (require.main === module) {
  runRestoreBenchmarkCli(process.argv).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
