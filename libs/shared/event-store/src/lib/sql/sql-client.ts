import { DomainError } from '@tieuchi/shared/kernel';

/**
 * The little the event store and the projection runner need from a SQL database, so the same SQL
 * runs on node-postgres and on PGlite.
 */
export interface SqlResult<TRow> {
  readonly rows: TRow[];
  /** Rows returned, inserted, updated or deleted by the statement. */
  readonly rowCount: number;
}

export type SqlParameter = string | number | boolean | null;

export interface SqlExecutor {
  /** One statement with `$1`-style parameters. Pass JSON as text and cast it in SQL (`$1::text::jsonb`). */
  query<TRow extends object = Record<string, unknown>>(text: string, params?: readonly SqlParameter[]): Promise<SqlResult<TRow>>;
  /** Several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

/** An exclusive lock held until released or until the connection holding it is lost. */
export interface SqlLock {
  /** True once the connection holding the lock has gone: the holder must stop writing. */
  readonly lost: boolean;
  release(): Promise<void>;
}

export interface SqlClient extends SqlExecutor {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** LISTEN on a channel (lower-case identifier); returns the function that stops listening. */
  listen(channel: string, onNotification: () => void): Promise<() => Promise<void>>;
  /**
   * Takes the lock named `key` without waiting, or returns null when another holder has it.
   * PostgreSQL: a session advisory lock on a dedicated connection (held without an open
   * transaction, so it does not hold back the readers' xmin fence). PGlite: an in-process lock.
   */
  tryLock(key: string): Promise<SqlLock | null>;
  /** Which of these lock names some holder has now, in any process on the database (PGlite: in this one). */
  heldLocks(keys: readonly string[]): Promise<Set<string>>;
  close(): Promise<void>;
}

const identifierPattern = /^[a-z_][a-z0-9_]{0,39}$/;

/** Schema and channel names are spliced into SQL, so only plain lower-case identifiers are accepted. */
export function assertSqlIdentifier(value: string, what: string): string {
  if (!identifierPattern.test(value)) {
    throw new DomainError('EVENT_STORE.INVALID_IDENTIFIER', 'validation', `${what} must match ${identifierPattern.source}, got "${value}"`, what);
  }
  return value;
}
