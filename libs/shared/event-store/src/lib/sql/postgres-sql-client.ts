import { Client, Pool, type ClientConfig, type PoolClient, type PoolConfig } from 'pg';
import type { SqlClient, SqlExecutor, SqlLock, SqlParameter, SqlResult } from './sql-client';

export interface PostgresSqlClientOptions {
  /** Used to create the pool and the dedicated LISTEN and lock connections. */
  readonly connectionString: string;
  /** Pool size; concurrent appends each hold one connection for the length of their transaction. */
  readonly maxConnections?: number;
}

/** Spare lock connections kept at most: one per projection runner in standby is the usual need. */
const maxSpareLockSessions = 16;

/** A connection of its own for session advisory locks; broken once it errs or ends. */
class LockSession {
  broken = false;

  constructor(readonly client: Client) {
    client.on('error', () => {
      this.broken = true;
    });
    client.on('end', () => {
      this.broken = true;
    });
  }
}

/** node-postgres behind the SqlClient interface: a pool for statements and transactions. */
export class PostgresSqlClient implements SqlClient {
  readonly kind = 'postgres' as const;
  private readonly pool: Pool;
  private readonly connectionConfig: ClientConfig;
  private readonly listeners = new Map<string, Set<() => void>>();
  private listenConnection: Promise<Client> | null = null;
  /** Every connection opened for advisory locks and not yet ended: holding a lock, or spare. */
  private readonly lockSessions = new Set<LockSession>();
  /** Connections whose last try found the lock taken, kept for the next try. */
  private readonly spareLockSessions: LockSession[] = [];
  private readonly statements = new NamedStatements();
  private closed = false;

  constructor(options: PostgresSqlClientOptions) {
    this.connectionConfig = { connectionString: options.connectionString, application_name: 'tieuchi' };
    const poolConfig: PoolConfig = { ...this.connectionConfig, max: options.maxConnections ?? 10 };
    this.pool = new Pool(poolConfig);
    // An idle client that dies is dropped by the pool; without a listener Node would crash.
    this.pool.on('error', () => undefined);
    // A checked-out client whose server goes away between statements emits 'error' with no query
    // to fail, which unheard would crash the process; its next statement fails and the pool drops it.
    this.pool.on('connect', (client) => client.on('error', () => undefined));
  }

  async query<TRow extends object>(text: string, params: readonly SqlParameter[] = []): Promise<SqlResult<TRow>> {
    return this.statements.run<TRow>(this.pool, text, params, { retryStalePlan: true });
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const connection = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await connection.query('BEGIN');
      const result = await work(this.executorOf(connection));
      await connection.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await connection.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw error;
    } finally {
      // A connection whose ROLLBACK failed is in an unknown state: destroy it rather than reuse it.
      connection.release(broken);
    }
  }

  async listen(channel: string, onNotification: () => void): Promise<() => Promise<void>> {
    const client = await this.ensureListenConnection();
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      await client.query(`LISTEN ${channel}`);
    }
    set.add(onNotification);
    return async () => {
      const current = this.listeners.get(channel);
      current?.delete(onNotification);
      if (current && current.size === 0) {
        this.listeners.delete(channel);
        const connection = await this.listenConnection?.catch(() => null);
        await connection?.query(`UNLISTEN ${channel}`).catch(() => undefined);
      }
    };
  }

  async tryLock(key: string): Promise<SqlLock | null> {
    // A standby runner tries every few hundred milliseconds; a fresh connection per try would fork
    // over a thousand backends a minute. A try that fails keeps its connection for the next one.
    const spare = await this.spareLockSession();
    if (spare) {
      try {
        return await this.tryLockOn(spare, key);
      } catch {
        // A kept connection can have died unnoticed: try once more, on a new one.
      }
    }
    return this.tryLockOn(await this.openLockSession(), key);
  }

  async heldLocks(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    // A bigint advisory key shows in pg_locks as its high (classid) and low (objid) 32 bits, objsubid 1.
    const { rows } = await this.query<{ key: string }>(
      `SELECT k AS key FROM jsonb_array_elements_text($1::text::jsonb) AS k
       WHERE EXISTS (SELECT 1 FROM pg_locks l
                     WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                       AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended(k, 0))`,
      [JSON.stringify(keys)],
    );
    return new Set(rows.map((row) => row.key));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    const listenClient = await this.listenConnection?.catch(() => null);
    this.listenConnection = null;
    await listenClient?.end().catch(() => undefined);
    this.spareLockSessions.length = 0;
    await Promise.all([...this.lockSessions].map((session) => this.endLockSession(session)));
    await this.pool.end();
  }

  /** One try on one connection: kept as a spare when the lock is taken, ended when the try fails. */
  private async tryLockOn(session: LockSession, key: string): Promise<SqlLock | null> {
    let locked: boolean;
    try {
      const result = await session.client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [key]);
      locked = result.rows[0]?.locked === true;
    } catch (error) {
      await this.endLockSession(session);
      throw error;
    }
    if (!locked) {
      if (this.closed || session.broken || this.spareLockSessions.length >= maxSpareLockSessions) await this.endLockSession(session);
      else this.spareLockSessions.push(session);
      return null;
    }
    let released = false;
    return {
      get lost() {
        return !released && session.broken;
      },
      release: async () => {
        if (released) return;
        released = true;
        // Closing the session releases its advisory locks, even if the unlock statement fails.
        await session.client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch(() => undefined);
        await this.endLockSession(session);
      },
    };
  }

  /** A kept connection that is still open (one the server closed meanwhile is ended and skipped). */
  private async spareLockSession(): Promise<LockSession | undefined> {
    for (let session = this.spareLockSessions.pop(); session; session = this.spareLockSessions.pop()) {
      if (!session.broken) return session;
      await this.endLockSession(session);
    }
    return undefined;
  }

  private async openLockSession(): Promise<LockSession> {
    const session = new LockSession(new Client(this.connectionConfig));
    this.lockSessions.add(session);
    try {
      await session.client.connect();
    } catch (error) {
      await this.endLockSession(session);
      throw error;
    }
    return session;
  }

  private async endLockSession(session: LockSession): Promise<void> {
    this.lockSessions.delete(session);
    await session.client.end().catch(() => undefined);
  }

  private executorOf(connection: PoolClient): SqlExecutor {
    return {
      // In a transaction a failed statement aborts it, so a stale plan is not retried there.
      query: <TRow extends object>(text: string, params: readonly SqlParameter[] = []) =>
        this.statements.run<TRow>(connection, text, params, { retryStalePlan: false }),
      exec: async (script: string) => {
        await connection.query(script);
      },
    };
  }

  private ensureListenConnection(): Promise<Client> {
    if (this.listenConnection) return this.listenConnection;
    const connecting = (async () => {
      const client = new Client(this.connectionConfig);
      client.on('notification', (message) => {
        this.listeners.get(message.channel)?.forEach((listener) => listener());
      });
      // Notifications are only a hint: on a lost connection reconnect lazily; polling covers the gap.
      const reset = (): void => {
        if (this.listenConnection === connecting) this.listenConnection = null;
        if (!this.closed) this.scheduleRelisten();
      };
      client.on('error', reset);
      client.on('end', reset);
      await client.connect();
      return client;
    })();
    this.listenConnection = connecting;
    connecting.catch(() => {
      if (this.listenConnection === connecting) this.listenConnection = null;
    });
    return connecting;
  }

  private scheduleRelisten(): void {
    const timer = setTimeout(() => {
      if (this.closed || this.listenConnection || this.listeners.size === 0) return;
      this.ensureListenConnection()
        .then(async (client) => {
          for (const channel of this.listeners.keys()) await client.query(`LISTEN ${channel}`);
        })
        .catch(() => this.scheduleRelisten());
    }, 1000);
    timer.unref();
  }
}

/** How many distinct statement texts get a name; any beyond run unnamed, parsed and planned each time. */
const namedStatementCapacity = 500;

/**
 * Parameterised statements run as named (prepared) ones, planned once per connection: planning
 * the hot statements costs more than executing them (the append: 2.3 s vs 1.6 s per 10,476 calls).
 * Names are kept per text, so texts must be fixed, values passed as parameters. A PgBouncer in
 * front needs 1.21 or later (named statements across pooled connections).
 */
class NamedStatements {
  private readonly names = new Map<string, string>();
  private issued = 0;

  async run<TRow extends object>(
    runner: Pool | PoolClient,
    text: string,
    params: readonly SqlParameter[],
    options: { readonly retryStalePlan: boolean },
  ): Promise<SqlResult<TRow>> {
    // Statements without parameters (BEGIN, COMMIT, the odd listing) keep the simple protocol.
    const name = params.length > 0 ? this.nameOf(text) : undefined;
    const values = params as SqlParameter[];
    try {
      const result = await runner.query<TRow>(name === undefined ? { text, values } : { name, text, values });
      return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
    } catch (error) {
      if (name === undefined || !isStalePlan(error)) throw error;
      // A table changed shape under a statement prepared before (a migration applied by another
      // process): the statement did not run. It gets a new name, prepared afresh on each
      // connection; outside a transaction it is simply run again.
      this.names.delete(text);
      if (!options.retryStalePlan) throw error;
      return this.run(runner, text, params, { retryStalePlan: false });
    }
  }

  private nameOf(text: string): string | undefined {
    let name = this.names.get(text);
    if (name === undefined && this.names.size < namedStatementCapacity) {
      this.issued += 1;
      name = `tieuchi_${this.issued}`;
      this.names.set(text, name);
    }
    return name;
  }
}

function isStalePlan(error: unknown): boolean {
  const details = error as { code?: unknown; message?: unknown } | null;
  return details?.code === '0A000' && typeof details.message === 'string' && details.message.includes('cached plan must not change result type');
}
