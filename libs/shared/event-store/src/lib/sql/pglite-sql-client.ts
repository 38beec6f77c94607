import { PGlite, type PGliteOptions, type Transaction } from '@electric-sql/pglite';
import { AsyncLocalStorage } from 'node:async_hooks';
import { execFile } from 'node:child_process';
import { existsSync, fsyncSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SqlClient, SqlExecutor, SqlLock, SqlParameter, SqlResult } from './sql-client';

export interface PgliteSqlClientOptions {
  /** A directory for a file-backed database; omitted (or `memory://`) for an in-memory one. */
  readonly dataDir?: string;
  /** Use an existing instance instead (it is then not closed by this client). */
  readonly db?: PGlite;
  /**
   * PostgreSQL's shared_buffers in MB (default 16). PGlite's own 128 MB cache is touched at start
   * in WebAssembly memory (~150 MB of an idle process); one connection and the OS cache need less.
   */
  readonly sharedBuffersMb?: number;
  /**
   * A file-backed database fsyncs each commit's WAL before the commit returns (default true), so an
   * acknowledged command survives power loss, not only a crash of the process. False keeps PGlite's
   * own defaults: fsync off, and the OS writes the files back when it likes.
   */
  readonly fsync?: boolean;
}

export const DEFAULT_PGLITE_SHARED_BUFFERS_MB = 16;

interface NodeFsStream {
  readonly nfd: number;
}

type Filesystem = NonNullable<PGliteOptions['fs']>;
type EmscriptenOptions = Awaited<ReturnType<Filesystem['init']>>['emscriptenOpts'];

// A subpath export, which this workspace's module resolution cannot type: its shape is declared here.
const { NodeFS } = require('@electric-sql/pglite/nodefs') as { NodeFS: new (dataDir: string) => Filesystem };

/**
 * PGlite's Node file system (Emscripten's NODEFS) writes through to the real files but has no
 * fsync, and its fdatasync returns without doing anything: with fsync on, PostgreSQL would still
 * reach no disk. This one adds the fsync, and the start parameters below make PostgreSQL call it
 * (wal_sync_method=fsync) for the WAL at every commit and for the files at each checkpoint.
 */
class SyncingNodeFS extends NodeFS {
  override async init(pg: PGlite, opts: EmscriptenOptions): Promise<{ emscriptenOpts: EmscriptenOptions }> {
    const { emscriptenOpts } = await super.init(pg, opts);
    const addFsync = (module: { NODEFS: { stream_ops: { fsync?: (stream: NodeFsStream) => number } } }) => {
      module.NODEFS.stream_ops.fsync = (stream) => {
        fsyncSync(stream.nfd);
        return 0;
      };
    };
    return { emscriptenOpts: { ...emscriptenOpts, preRun: [addFsync as never, ...(emscriptenOpts.preRun ?? [])] } };
  }
}

/** PGlite's defaults start PostgreSQL with -F (fsync off); a durable database drops it. */
function startParamsFor(options: PgliteSqlClientOptions, durable: boolean): string[] {
  const defaults = durable ? PGlite.defaultStartParams.filter((param) => param !== '-F') : PGlite.defaultStartParams;
  return [
    ...defaults,
    '-c',
    `shared_buffers=${options.sharedBuffersMb ?? DEFAULT_PGLITE_SHARED_BUFFERS_MB}MB`,
    ...(durable ? ['-c', 'fsync=on', '-c', 'wal_sync_method=fsync'] : []),
  ];
}

const initdbScript = `
const { PGlite } = require(process.argv[1]);
PGlite.create({ dataDir: process.argv[2] }).then((db) => db.close());
`;

/**
 * A new data folder is initialized by a short-lived process of its own, as PostgreSQL's initdb is
 * a program of its own: initdb runs the server through its bootstrap again and again, and the C
 * allocator of a long-running process would keep the ~150 MB that churned, freed but never given
 * back to the OS.
 */
async function initializeDataDir(dataDir: string): Promise<void> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  try {
    await promisify(execFile)(process.execPath, ['-e', initdbScript, require.resolve('@electric-sql/pglite'), dataDir], { maxBuffer: 16 << 20 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`PGlite could not initialize ${dataDir}: ${stderr || String(error)}`);
  }
}

interface OpenTransaction {
  readonly tx: Transaction;
  open: boolean;
}

interface Queryable {
  query<TRow>(text: string, params?: unknown[]): Promise<{ rows: TRow[]; affectedRows?: number; rowCount?: number }>;
  exec(script: string): Promise<unknown>;
}

/**
 * PGlite behind the SqlClient interface. Its single connection serializes transactions. Code
 * inside a transaction that cannot be handed its executor (a projection handler reading a stream
 * through the event store) would wait for it forever, so top-level queries join the open
 * transaction of their async context.
 */
export class PgliteSqlClient implements SqlClient {
  readonly kind = 'pglite' as const;
  private readonly locked = new Set<string>();
  private readonly current = new AsyncLocalStorage<OpenTransaction>();

  private constructor(
    readonly db: PGlite,
    private readonly ownsDb: boolean,
  ) {}

  static async create(options: PgliteSqlClientOptions = {}): Promise<PgliteSqlClient> {
    if (options.db) {
      await options.db.waitReady;
      return new PgliteSqlClient(options.db, false);
    }
    const dataDir = options.dataDir && options.dataDir !== 'memory://' ? options.dataDir : undefined;
    const durable = dataDir !== undefined && options.fsync !== false;
    // startParams replaces PGlite's defaults, so they are kept (but for fsync, when durable).
    const startParams = startParamsFor(options, durable);
    if (dataDir !== undefined) await initializeDataDir(dataDir);
    const db = durable ? await PGlite.create({ fs: new SyncingNodeFS(dataDir), startParams }) : await PGlite.create({ dataDir, startParams });
    return new PgliteSqlClient(db, true);
  }

  query<TRow extends object>(text: string, params: readonly SqlParameter[] = []): Promise<SqlResult<TRow>> {
    return run<TRow>(this.target(), text, params);
  }

  async exec(script: string): Promise<void> {
    await this.target().exec(script);
  }

  /** The transaction this async context is inside, while it is open; the database otherwise. */
  private target(): Queryable {
    const open = this.current.getStore();
    return open?.open ? open.tx : this.db;
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx: Transaction) => {
      const open: OpenTransaction = { tx, open: true };
      const executor: SqlExecutor = {
        query: <TRow extends object>(text: string, params: readonly SqlParameter[] = []) => run<TRow>(tx, text, params),
        exec: async (script: string) => {
          await tx.exec(script);
        },
      };
      try {
        return await this.current.run(open, () => work(executor));
      } finally {
        // Continuations started inside (e.g. after-commit callbacks) must not reuse a finished transaction.
        open.open = false;
      }
    });
  }

  async listen(channel: string, onNotification: () => void): Promise<() => Promise<void>> {
    const unlisten = await this.db.listen(channel, () => onNotification());
    return async () => {
      if (!this.db.closed) await unlisten();
    };
  }

  async tryLock(key: string): Promise<SqlLock | null> {
    if (this.locked.has(key)) return null;
    this.locked.add(key);
    let released = false;
    return {
      lost: false,
      release: async () => {
        if (released) return;
        released = true;
        this.locked.delete(key);
      },
    };
  }

  async heldLocks(keys: readonly string[]): Promise<Set<string>> {
    return new Set(keys.filter((key) => this.locked.has(key)));
  }

  async close(): Promise<void> {
    if (this.ownsDb && !this.db.closed) await this.db.close();
  }
}

async function run<TRow extends object>(target: Queryable, text: string, params: readonly SqlParameter[]): Promise<SqlResult<TRow>> {
  const result = await target.query<TRow>(text, [...params]);
  return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length };
}
