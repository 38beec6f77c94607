import { type DynamicModule, Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '@tieuchi/shared/config';
import {
  createPgliteEventStore,
  createPostgresEventStore,
  type EventStore,
  openKurrentDbEventStore,
  PgliteSqlClient,
  PostgresSqlClient,
  type SqlClient,
  type UpcasterRegistry,
} from '@tieuchi/shared/event-store';
import { mkdirSync } from 'node:fs';
import pino from 'pino';
import { waitForDatabase } from './wait-for-database';
import { APP_CONFIG, CLOCK, type Clock, EVENT_STORE, READ_MODEL_DB, systemClock } from './tokens';

export interface PersistenceOptions {
  readonly config: AppConfig;
  /** Schema of the event tables (tests isolate themselves with their own). */
  readonly eventStoreSchema?: string;
  readonly upcasters?: UpcasterRegistry;
  readonly clock?: Clock;
}

interface Persistence {
  readonly database: SqlClient;
  readonly eventStore: EventStore;
}

/**
 * Opens the read-model database and the event store chosen by configuration. In embedded mode
 * (pglite) both live in one PGlite under DATA_DIR, so nothing but this process is needed.
 */
export async function openPersistence(options: PersistenceOptions): Promise<Persistence> {
  const { config } = options;
  const storeOptions = { schema: options.eventStoreSchema, upcasters: options.upcasters };
  if (config.eventStore === 'pglite') {
    if (config.dataDir !== 'memory://') mkdirSync(config.dataDir, { recursive: true });
    const database = await PgliteSqlClient.create({ dataDir: config.dataDir, sharedBuffersMb: config.pgliteSharedBuffersMb, fsync: config.pgliteFsync });
    return { database, eventStore: await createPgliteEventStore({ client: database, ...storeOptions }) };
  }
  await waitForDatabase(config.databaseUrl, {
    // Straight to stderr: Nest buffers its own logs until the application has been created.
    onRetry: (reason, attempt, delayMs) => startupLog().warn({ attempt, retryInMs: delayMs }, `${reason}; waiting for it (attempt ${attempt}, next in ${delayMs} ms)`),
  });
  const database = new PostgresSqlClient({ connectionString: config.databaseUrl, maxConnections: config.databasePoolSize });
  if (config.eventStore === 'postgres') {
    return { database, eventStore: await createPostgresEventStore({ client: database, ...storeOptions }) };
  }
  if (!config.kurrentdbConnectionString) throw new Error('KURRENTDB_CONNECTION_STRING is required for EVENT_STORE=kurrentdb');
  return { database, eventStore: openKurrentDbEventStore(config.kurrentdbConnectionString, { upcasters: options.upcasters }) };
}

let startupLogger: pino.Logger | undefined;
function startupLog(): pino.Logger {
  startupLogger ??= pino({ name: 'Persistence' }, pino.destination(2));
  return startupLogger;
}

@Injectable()
class PersistenceShutdown implements OnApplicationShutdown {
  private readonly logger = new Logger('Persistence');

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_DB) private readonly database: SqlClient,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.eventStore.close().catch((error: unknown) => this.logger.error(error));
    await this.database.close().catch((error: unknown) => this.logger.error(error));
  }
}

@Global()
@Module({})
export class PersistenceModule {
  static forRoot(options: PersistenceOptions): DynamicModule {
    const opened = openPersistence(options);
    return {
      module: PersistenceModule,
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: EVENT_STORE, useFactory: async () => (await opened).eventStore },
        { provide: READ_MODEL_DB, useFactory: async () => (await opened).database },
        PersistenceShutdown,
      ],
      exports: [APP_CONFIG, CLOCK, EVENT_STORE, READ_MODEL_DB],
    };
  }
}
