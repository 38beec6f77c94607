import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { SqlClient, SqlExecutor, SqlLock, SqlParameter, SqlResult } from './sql-client';

export interface PgliteSqlClientOptions {
  /** A directory for a file-backed database; omitted (or `memory://`) for an in-memory one. */
  readonly dataDir?: string;
  /** Use an existing instance instead (it is then not closed by this client). */
  readonly db?: PGlite;
}

interface Queryable {
  query<TRow>(text: string, params?: unknown[]): Promise<{ rows: TRow[]; affectedRows?: number; rowCount?: number }>;
  exec(script: string): Promise<unknown>;
}

/**
 * PGlite behind the SqlClient interface. PGlite has a single connection: its `transaction()`
 * already queues callers, so transactions are serialized in-process and never interleave.
 * Inside a transaction use only the executor it hands you; a top-level query would wait for
 * the transaction to end, i.e. forever.
 */
export class PgliteSqlClient implements SqlClient {
  readonly kind = 'pglite' as const;
  private readonly heldLocks = new Set<string>();

  private constructor(
    readonly db: PGlite,
    private readonly ownsDb: boolean,
  ) {}

  static async create(options: PgliteSqlClientOptions = {}): Promise<PgliteSqlClient> {
    if (options.db) {
      await options.db.waitReady;
      return new PgliteSqlClient(options.db, false);
    }
    const db = options.dataDir && options.dataDir !== 'memory://' ? await PGlite.create(options.dataDir) : await PGlite.create();
    return new PgliteSqlClient(db, true);
  }

  query<TRow extends object>(text: string, params: readonly SqlParameter[] = []): Promise<SqlResult<TRow>> {
    return run<TRow>(this.db, text, params);
  }

  async exec(script: string): Promise<void> {
    await this.db.exec(script);
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction((tx: Transaction) =>
      work({
        query: <TRow extends object>(text: string, params: readonly SqlParameter[] = []) => run<TRow>(tx, text, params),
        exec: async (script: string) => {
          await tx.exec(script);
        },
      }),
    );
  }

  async listen(channel: string, onNotification: () => void): Promise<() => Promise<void>> {
    const unlisten = await this.db.listen(channel, () => onNotification());
    return async () => {
      if (!this.db.closed) await unlisten();
    };
  }

  async tryLock(key: string): Promise<SqlLock | null> {
    if (this.heldLocks.has(key)) return null;
    this.heldLocks.add(key);
    let released = false;
    return {
      lost: false,
      release: async () => {
        if (released) return;
        released = true;
        this.heldLocks.delete(key);
      },
    };
  }

  async close(): Promise<void> {
    if (this.ownsDb && !this.db.closed) await this.db.close();
  }
}

async function run<TRow extends object>(target: Queryable, text: string, params: readonly SqlParameter[]): Promise<SqlResult<TRow>> {
  const result = await target.query<TRow>(text, [...params]);
  return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length };
}
