import { PostgresSqlClient } from './postgres-sql-client';
import type { SqlClient } from './sql-client';
import { SqlEventStore, type SqlEventStoreOptions } from './sql-event-store';

export type PostgresEventStoreOptions = Omit<SqlEventStoreOptions, 'ownsClient'> &
  (
    | {
        /** e.g. AppConfig.databaseUrl */
        readonly connectionString: string;
        readonly maxConnections?: number;
      }
    | {
        /** Share a client (and its pool) with read models; it stays open when the store closes. */
        readonly client: SqlClient;
      }
  );

/** The `postgres` adapter: node-postgres pool, schema created and migrated on start. */
export async function createPostgresEventStore(options: PostgresEventStoreOptions): Promise<SqlEventStore> {
  if ('client' in options) return SqlEventStore.create(options.client, { ...options, ownsClient: false });
  const client = new PostgresSqlClient({ connectionString: options.connectionString, maxConnections: options.maxConnections });
  try {
    return await SqlEventStore.create(client, { ...options, ownsClient: true });
  } catch (error) {
    await client.close();
    throw error;
  }
}
