import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, Optional } from '@nestjs/common';
import { ACCOUNTS_PROJECTION_ID, accountsProjectionHandler, accountsReadModelMigrations } from '@tieuchi/accounts/data-access';
import { EVENT_STORE, type ProjectionHostOptions, READ_MODEL_DB, READ_MODEL_SCHEMA } from '@tieuchi/shared/application';
import { applyMigrations, type EventStore, INTERACTIVE_GATHER_MS, ProjectionRunner, type SqlClient } from '@tieuchi/shared/event-store';

export const ACCOUNTS_READ_MODEL_SCHEMA = READ_MODEL_SCHEMA;
export const ACCOUNTS_FEATURE_OPTIONS = Symbol('ACCOUNTS_FEATURE_OPTIONS');

/** Keeps read_model.accounts (the admin's list) current; a host that does not run it still migrates, so queries find the table. */
@Injectable()
export class AccountsProjection implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AccountsProjection');
  private runner: ProjectionRunner | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly source: EventStore,
    @Inject(READ_MODEL_DB) private readonly database: SqlClient,
    @Optional() @Inject(ACCOUNTS_FEATURE_OPTIONS) private readonly options?: ProjectionHostOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options?.runProjections === false) {
      await applyMigrations(this.database, ACCOUNTS_READ_MODEL_SCHEMA, accountsReadModelMigrations);
      return;
    }
    this.runner = new ProjectionRunner({
      projectionId: ACCOUNTS_PROJECTION_ID,
      source: this.source,
      database: this.database,
      schema: ACCOUNTS_READ_MODEL_SCHEMA,
      migrations: [accountsReadModelMigrations],
      handler: accountsProjectionHandler(ACCOUNTS_READ_MODEL_SCHEMA),
      pollIntervalMs: 250,
      gatherMs: INTERACTIVE_GATHER_MS,
      onError: (error, context) => this.logger.error({ err: error, ...context }, `projection ${context.projectionId} failed a batch`),
    });
    await this.runner.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner?.stop();
    this.runner = null;
  }

  async waitFor(checkpoint: string, timeoutMs?: number): Promise<void> {
    if (this.runner) await this.runner.waitFor(checkpoint, timeoutMs);
  }
}
