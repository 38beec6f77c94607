import type { KurrentDbClientLike } from './kurrentdb-client.port';
import type { KurrentDbEventStore, KurrentDbEventStoreOptions } from './kurrentdb-event-store';

/**
 * The KurrentDB adapter, loaded when it is chosen: its gRPC client and native bridge (~8 MB of
 * heap, 230 modules) stay out of the servers that run on PostgreSQL or PGlite.
 */
export function openKurrentDbEventStore(connection: string | KurrentDbClientLike, options?: KurrentDbEventStoreOptions): KurrentDbEventStore {
  const adapter = require('./kurrentdb-event-store') as typeof import('./kurrentdb-event-store');
  return new adapter.KurrentDbEventStore(connection, options);
}
