import { PgliteSqlClient } from './pglite-sql-client';
import type { SqlClient } from './sql-client';
import { SqlEventStore, type SqlEventStoreOptions } from './sql-event-store';

export type PgliteEventStoreOptions = Omit<SqlEventStoreOptions, 'ownsClient'> &
  (
    | {
        /** A directory for a file-backed database (e.g. AppConfig.dataDir); omitted = in memory. */
        readonly dataDir?: string;
      }
    | {
        /** Share one PGlite with read models (embedded mode); it stays open when the store closes. */
        readonly client: SqlClient;
      }
  );

/** The `pglite` adapter: PostgreSQL in-process (WebAssembly), one connection, same SQL as `postgres`. */
export async function createPgliteEventStore(options: PgliteEventStoreOptions = {}): Promise<SqlEventStore> {
  if ('client' in options) return SqlEventStore.create(options.client, { ...options, ownsClient: false });
  const client = await PgliteSqlClient.create({ dataDir: options.dataDir });
  try {
    return await SqlEventStore.create(client, { ...options, ownsClient: true });
  } catch (error) {
    await client.close();
    throw error;
  }
}
