import { Inject, Injectable, Optional } from '@nestjs/common';
import { ACCOUNTS_PROJECTION_ID, accountsProjectionHandler, accountsReadModelMigrations } from '@tieuchi/accounts/data-access';
import { EVENT_STORE, ManagedProjection, type ProjectionHostOptions, READ_MODEL_DB, READ_MODEL_SCHEMA } from '@tieuchi/shared/application';
import { type EventStore, INTERACTIVE_GATHER_MS, type SqlClient } from '@tieuchi/shared/event-store';

export const ACCOUNTS_READ_MODEL_SCHEMA = READ_MODEL_SCHEMA;
export const ACCOUNTS_FEATURE_OPTIONS = Symbol('ACCOUNTS_FEATURE_OPTIONS');

/** Keeps read_model.accounts (the admin's list) current. */
@Injectable()
export class AccountsProjection extends ManagedProjection {
  constructor(
    @Inject(EVENT_STORE) source: EventStore,
    @Inject(READ_MODEL_DB) database: SqlClient,
    @Optional() @Inject(ACCOUNTS_FEATURE_OPTIONS) options?: ProjectionHostOptions,
  ) {
    super(options ?? { runProjections: true }, source, database);
  }

  protected runnerOptions() {
    return {
      projectionId: ACCOUNTS_PROJECTION_ID,
      migrations: [accountsReadModelMigrations],
      handler: accountsProjectionHandler(ACCOUNTS_READ_MODEL_SCHEMA),
      pollIntervalMs: 250,
      // Catching up, most of the feed is other contexts' events: a transaction per ten thousand, not per thousand.
      catchUpBatchSize: 10_000,
      gatherMs: INTERACTIVE_GATHER_MS,
    };
  }
}
