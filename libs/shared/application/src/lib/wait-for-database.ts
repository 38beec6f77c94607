import { isUnavailableError } from '@tieuchi/shared/kernel';
import { Client } from 'pg';

export interface WaitForDatabaseOptions {
  /** First delay between attempts; doubled after each failure up to maxDelayMs. */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Told why each attempt failed and when the next one comes. */
  readonly onRetry: (reason: string, attempt: number, delayMs: number) => void;
  /** Gives up (throws the last error) after this long; default: never. */
  readonly timeoutMs?: number;
}

/**
 * Waits with exponential backoff until PostgreSQL answers: services started together often come
 * up before their database, and waiting (saying why) beats a restart loop. A wrong password or
 * missing database is waited on too: an operator may be fixing it.
 */
export async function waitForDatabase(connectionString: string, options: WaitForDatabaseOptions): Promise<void> {
  const started = Date.now();
  let delay = options.initialDelayMs ?? 500;
  for (let attempt = 1; ; attempt += 1) {
    const client = new Client({ connectionString, connectionTimeoutMillis: 5_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (options.timeoutMs !== undefined && Date.now() - started + delay > options.timeoutMs) throw error;
      options.onRetry(describe(error, connectionString), attempt, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, options.maxDelayMs ?? 10_000);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

function describe(error: unknown, connectionString: string): string {
  const where = safeAddress(connectionString);
  const message = error instanceof Error ? error.message || error.name : String(error);
  const code = (error as { code?: unknown }).code;
  const kind = isUnavailableError(error) ? 'unreachable' : 'refused the connection';
  return `PostgreSQL at ${where} ${kind}: ${message}${typeof code === 'string' ? ` (${code})` : ''}`;
}

// The address without credentials, for logs.
function safeAddress(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'the configured address';
  }
}
