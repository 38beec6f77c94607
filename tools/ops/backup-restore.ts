import type { AppConfig } from '@tieuchi/shared/config';
import { PgliteSqlClient } from '@tieuchi/shared/event-store';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

/**
 * What a backup holds and what it leaves out. The events are the truth; next to them a few schemas
 * hold state no event records (password digests, upload records, idempotency answers) or process
 * state whose checkpoint commits with its rows (the recalculation dispatcher, the publication
 * process): kept, and dumped in the same snapshot as the events. The read models are disposable:
 * every projection rebuilds them from the events when it finds them missing.
 */
export const keptSchemas = ['event_store', 'accounts', 'evidence', 'api', 'recalculation', 'process_managers'] as const;

/** The read models: `read_model` (with `projection_versions`), `audit` and the versions of rebuildable projections (`<base>_v<n>`). */
export function isReadModelSchema(schema: string): boolean {
  return /^(read_model|audit)(_v[0-9]+)?$/.test(schema);
}

export const manifestFile = 'manifest.json';
const dumpFile = 'database.dump';
const dataDirCopy = 'data-dir';
const evidenceCopy = 'evidence';
const keysCopy = 'keys';

export interface BackupManifest {
  readonly format: 'tieuchi-backup/1';
  readonly createdAt: string;
  readonly eventStore: 'postgres' | 'pglite';
  /** Events in the backup and the last one in feed order (transaction id : position). */
  readonly events: number;
  readonly head: string | null;
  /** postgres: the schemas dumped and the dump's SHA-256. */
  readonly schemas: readonly string[];
  readonly dumpSha256: string | null;
  readonly evidence: { readonly storage: 'file-system' | 's3'; readonly files: number; readonly bytes: number; readonly note?: string };
}

export interface BackupOptions {
  readonly config: AppConfig;
  readonly out: string;
  readonly log?: (message: string) => void;
}

/**
 * PostgreSQL: `pg_dump` (custom format, one snapshot) of the kept schemas, plus DATA_DIR/evidence and
 * DATA_DIR/keys copied. PGlite: the embedded process must be stopped (PGlite is one process's
 * database); DATA_DIR is copied whole and the copy opened once, which proves it consistent.
 */
export async function backup(options: BackupOptions): Promise<BackupManifest> {
  const { config, out } = options;
  const log = options.log ?? (() => undefined);
  if (existsSync(out) && readdirSync(out).length > 0) throw new Error(`--out ${out} is not empty: a backup goes into a new folder`);
  mkdirSync(out, { recursive: true });
  if (config.eventStore === 'kurrentdb') throw new Error('EVENT_STORE=kurrentdb: back up KurrentDB with its own tools (see the README); this script covers postgres and pglite');

  if (config.eventStore === 'pglite') {
    if (config.dataDir === 'memory://') throw new Error('DATA_DIR=memory:// holds nothing to back up');
    const target = join(out, dataDirCopy);
    // Staged uploads are half-received requests, not data.
    cpSync(config.dataDir, target, { recursive: true, filter: (source) => relative(config.dataDir, source) !== 'evidence-staging' });
    log(`copied ${config.dataDir} to ${target}`);
    const { events, head } = await withPglite(target, (db) => feedSummary((text) => db.query(text)));
    const evidence = folderSize(join(target, 'evidence'));
    return writeManifest(out, { format: 'tieuchi-backup/1', createdAt: new Date().toISOString(), eventStore: 'pglite', events, head, schemas: [], dumpSha256: null, evidence: { storage: 'file-system', ...evidence } });
  }

  const present = await schemasOf(config.databaseUrl);
  const unknown = present.filter((schema) => !isReadModelSchema(schema) && !(keptSchemas as readonly string[]).includes(schema) && schema !== 'public');
  // A schema nobody classified could hold data no event records: refuse rather than leave it out silently.
  if (unknown.length > 0) throw new Error(`schemas neither kept nor read models: ${unknown.join(', ')} (classify them in tools/ops/backup-restore.ts)`);
  const schemas = keptSchemas.filter((schema) => present.includes(schema));
  if (!schemas.includes('event_store')) throw new Error('the database holds no event_store schema');
  const dump = join(out, dumpFile);
  // The feed's summary and the dump share one snapshot, so the restore can check it exactly.
  const { events, head } = await withClient(config.databaseUrl, async (db) => {
    await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = (await db.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]?.id ?? '';
    const summary = await feedSummary((text) => db.query<{ events: string; head: string | null }>(text));
    const args = ['--format=custom', '--no-owner', '--no-privileges', `--snapshot=${snapshot}`, `--file=${dump}`, ...schemas.map((schema) => `--schema=${schema}`), `--dbname=${config.databaseUrl}`];
    await run(postgresTool('pg_dump'), args, { maxBuffer: 64 * 1024 * 1024 });
    await db.query('COMMIT');
    return summary;
  });
  log(`pg_dump of ${schemas.join(', ')} (${events} events) written to ${dump}`);
  const evidence = copyFilesOf(config, out);
  return writeManifest(out, { format: 'tieuchi-backup/1', createdAt: new Date().toISOString(), eventStore: 'postgres', events, head, schemas, dumpSha256: await sha256Of(dump), evidence });
}

export interface RestoreOptions {
  readonly config: AppConfig;
  readonly from: string;
  /** How far the target's transaction ids may be advanced by committing empty transactions. Default 50 million. */
  readonly maxTransactionIdAdvance?: number;
  readonly log?: (message: string) => void;
}

export interface RestoreReport {
  readonly manifest: BackupManifest;
  readonly events: number;
  readonly head: string | null;
  /** Transaction ids committed empty so that the restored events' ids lie below every new snapshot. */
  readonly transactionIdsAdvanced: number;
}

/**
 * Restores into an empty database (postgres) or an empty DATA_DIR (pglite). The read models are
 * not restored: the services rebuild every projection from the events when they start.
 */
export async function restore(options: RestoreOptions): Promise<RestoreReport> {
  const { config, from } = options;
  const log = options.log ?? (() => undefined);
  const manifest = JSON.parse(readFileSync(join(from, manifestFile), 'utf8')) as BackupManifest;
  if (manifest.format !== 'tieuchi-backup/1') throw new Error(`${from} is not a tieuchi backup (format ${String(manifest.format)})`);
  if (manifest.eventStore !== config.eventStore) throw new Error(`the backup is of EVENT_STORE=${manifest.eventStore}; this configuration is EVENT_STORE=${config.eventStore}`);

  if (manifest.eventStore === 'pglite') {
    if (existsSync(config.dataDir) && readdirSync(config.dataDir).length > 0) throw new Error(`DATA_DIR ${config.dataDir} is not empty: restore into a new folder`);
    cpSync(join(from, dataDirCopy), config.dataDir, { recursive: true });
    const summary = await withPglite(config.dataDir, (db) => feedSummary((text) => db.query(text)));
    assertSameFeed(manifest, summary);
    log(`restored ${summary.events} events into ${config.dataDir}`);
    return { manifest, ...summary, transactionIdsAdvanced: 0 };
  }

  const present = await schemasOf(config.databaseUrl);
  const occupied = present.filter((schema) => schema !== 'public');
  if (occupied.length > 0) throw new Error(`restore needs an empty database; this one has the schemas ${occupied.join(', ')}`);
  const dump = join(from, dumpFile);
  if (manifest.dumpSha256 !== (await sha256Of(dump))) throw new Error(`${dump} does not match the SHA-256 in its manifest`);
  await run(postgresTool('pg_restore'), ['--exit-on-error', '--no-owner', '--no-privileges', '--jobs=2', `--dbname=${config.databaseUrl}`, dump], { maxBuffer: 64 * 1024 * 1024 });
  log(`pg_restore of ${manifest.schemas.join(', ')} done`);
  const transactionIdsAdvanced = await advancePastRestoredTransactions(config.databaseUrl, options.maxTransactionIdAdvance ?? 50_000_000);
  if (transactionIdsAdvanced > 0) log(`advanced the transaction ids by ${transactionIdsAdvanced} so that readers see the restored events`);
  const summary = await withClient(config.databaseUrl, (db) => feedSummary((text) => db.query<{ events: string; head: string | null }>(text)));
  assertSameFeed(manifest, summary);
  restoreFiles(config, from);
  await withClient(config.databaseUrl, (db) => db.query('ANALYZE'));
  return { manifest, ...summary, transactionIdsAdvanced };
}

/**
 * Drops every read-model schema; the projections rebuild them from the events at the next start.
 * Stop the services first (a running projection would keep writing into what is being dropped).
 */
export async function dropReadModels(config: AppConfig): Promise<string[]> {
  if (config.eventStore === 'kurrentdb') throw new Error('EVENT_STORE=kurrentdb: the read models are in DATABASE_URL; run this with EVENT_STORE=postgres and that DATABASE_URL');
  const drop = async (query: (text: string) => Promise<{ rows: { nspname: string }[] }>, exec: (text: string) => Promise<unknown>): Promise<string[]> => {
    const { rows } = await query(`SELECT nspname FROM pg_catalog.pg_namespace ORDER BY nspname`);
    const schemas = rows.map((row) => row.nspname).filter(isReadModelSchema);
    if (schemas.length > 0) await exec(`DROP SCHEMA ${schemas.join(', ')} CASCADE`);
    return schemas;
  };
  if (config.eventStore === 'pglite') return withPglite(config.dataDir, (db) => drop((text) => db.query<{ nspname: string }>(text), (text) => db.exec(text)));
  return withClient(config.databaseUrl, (db) => drop((text) => db.query<{ nspname: string }>(text), (text) => db.query(text)));
}

// ---------------------------------------------------------------- transaction ids

/**
 * Readers take only events whose transaction id is below the oldest running transaction
 * (ARCHITECTURE.md §2.1), and pg_restore keeps the source's ids. A new cluster starts near id 750,
 * so the restored events would stay invisible until the target had used as many ids as the source.
 * Committing empty transactions (one id each, ~100,000/s) moves the target past them; the ids, and
 * with them the checkpoints and the audit chain that hashes them, stay exactly as they were.
 */
async function advancePastRestoredTransactions(databaseUrl: string, limit: number): Promise<number> {
  return withClient(databaseUrl, async (db) => {
    const { rows } = await db.query<{ restored: string | null; next: string }>(
      `SELECT (SELECT max(transaction_id) FROM event_store.events)::text AS restored, pg_current_xact_id()::text AS next`,
    );
    const restored = rows[0]?.restored;
    const next = BigInt(rows[0]?.next ?? '0');
    if (restored === null || restored === undefined || BigInt(restored) < next) return 0;
    const needed = BigInt(restored) - next + 1n;
    if (needed > BigInt(limit)) {
      throw new Error(
        `the restored events were written by transaction ids up to ${restored}, this server is at ${next}: advancing ${needed} ids exceeds --max-xid-advance ${limit}. ` +
          `Stop the target server and move its counter with pg_resetwal --epoch=<restored epoch + 1> (or --next-transaction-id), then restore again.`,
      );
    }
    // A DO block outside a transaction block may COMMIT: each turn takes one id and commits it.
    await db.query(`DO $$ BEGIN LOOP EXIT WHEN pg_current_xact_id() > '${restored}'::xid8; COMMIT; END LOOP; END $$`);
    const check = await db.query<{ visible: boolean }>(`SELECT '${restored}'::xid8 < pg_snapshot_xmin(pg_current_snapshot()) AS visible`);
    if (check.rows[0]?.visible !== true) throw new Error('a transaction older than the restored events is still running on the target: stop it and restore again');
    return Number(needed);
  });
}

// ---------------------------------------------------------------- helpers

/** One connection for one piece of work, closed whatever happens. */
async function withClient<T>(databaseUrl: string, work: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

async function withPglite<T>(dataDir: string, work: (db: PgliteSqlClient) => Promise<T>): Promise<T> {
  const db = await PgliteSqlClient.create({ dataDir });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

async function schemasOf(databaseUrl: string): Promise<string[]> {
  return withClient(databaseUrl, async (db) => {
    const { rows } = await db.query<{ nspname: string }>(
      `SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY nspname`,
    );
    return rows.map((row) => row.nspname);
  });
}

interface FeedSummary {
  readonly events: number;
  readonly head: string | null;
}

async function feedSummary(query: (text: string) => Promise<{ rows: { events: string; head: string | null }[] }>): Promise<FeedSummary> {
  const { rows } = await query(
    `SELECT (SELECT count(*) FROM event_store.events)::text AS events,
       (SELECT transaction_id::text || ':' || global_position::text FROM event_store.events ORDER BY transaction_id DESC, global_position DESC LIMIT 1) AS head`,
  );
  return { events: Number(rows[0]?.events ?? 0), head: rows[0]?.head ?? null };
}

function assertSameFeed(manifest: BackupManifest, restored: FeedSummary): void {
  if (restored.events !== manifest.events || restored.head !== manifest.head) {
    throw new Error(`restored ${restored.events} events up to ${restored.head}; the backup recorded ${manifest.events} up to ${manifest.head}`);
  }
}

function copyFilesOf(config: AppConfig, out: string): BackupManifest['evidence'] {
  const keys = join(config.dataDir, 'keys');
  if (config.authMode === 'local' && existsSync(keys)) cpSync(keys, join(out, keysCopy), { recursive: true });
  if (config.evidence.storage === 's3') {
    const s3 = config.evidence.s3;
    return { storage: 's3', files: 0, bytes: 0, note: `not copied: mirror s3://${s3?.bucket ?? '?'}/${s3?.prefix ?? ''} with aws s3 sync or mc mirror (README, Backup and restore)` };
  }
  const evidence = join(config.dataDir, 'evidence');
  if (existsSync(evidence)) cpSync(evidence, join(out, evidenceCopy), { recursive: true });
  return { storage: 'file-system', ...folderSize(join(out, evidenceCopy)) };
}

function restoreFiles(config: AppConfig, from: string): void {
  for (const [copy, target] of [
    [keysCopy, join(config.dataDir, 'keys')],
    [evidenceCopy, join(config.dataDir, 'evidence')],
  ] as const) {
    if (!existsSync(join(from, copy))) continue;
    if (existsSync(target) && readdirSync(target).length > 0) throw new Error(`${target} is not empty: restore into a new DATA_DIR`);
    cpSync(join(from, copy), target, { recursive: true });
  }
}

function folderSize(folder: string): { files: number; bytes: number } {
  if (!existsSync(folder)) return { files: 0, bytes: 0 };
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files += 1;
    bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return { files, bytes };
}

function writeManifest(out: string, manifest: BackupManifest): BackupManifest {
  writeFileSync(join(out, manifestFile), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** pg_dump and pg_restore must be at least the server's version: the newest Debian binaries, else PATH. */
export function postgresTool(name: 'pg_dump' | 'pg_restore'): string {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return name;
  const versions = readdirSync(root).filter((version) => existsSync(join(root, version, 'bin', name))).sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? name : join(root, versions[0], 'bin', name);
}

/** Removes a backup folder (tests and benchmarks). */
export function removeBackup(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
}
