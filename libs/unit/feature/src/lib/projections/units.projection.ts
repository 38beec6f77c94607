import { Inject, Injectable, Optional } from '@nestjs/common';
import { EVENT_STORE, ManagedProjection, type ProjectionHostOptions, READ_MODEL_DB, READ_MODEL_SCHEMA } from '@tieuchi/shared/application';
import { type EventStore, INTERACTIVE_GATHER_MS, type SqlClient } from '@tieuchi/shared/event-store';
import { UNITS_PROJECTION_ID, unitsProjectionHandler, unitsReadModelMigrations } from '@tieuchi/unit/data-access';

export const UNITS_READ_MODEL_SCHEMA = READ_MODEL_SCHEMA;
export const UNITS_FEATURE_OPTIONS = Symbol('UNITS_FEATURE_OPTIONS');

/** Keeps read_model.units (the admin's list) current. */
@Injectable()
export class UnitsProjection extends ManagedProjection {
  constructor(
    @Inject(EVENT_STORE) source: EventStore,
    @Inject(READ_MODEL_DB) database: SqlClient,
    @Optional() @Inject(UNITS_FEATURE_OPTIONS) options?: ProjectionHostOptions,
  ) {
    super(options ?? { runProjections: true }, source, database);
  }

  protected runnerOptions() {
    return {
      projectionId: UNITS_PROJECTION_ID,
      migrations: [unitsReadModelMigrations],
      handler: unitsProjectionHandler(UNITS_READ_MODEL_SCHEMA),
      pollIntervalMs: 250,
      // Catching up, most of the feed is other contexts' events: a transaction per ten thousand, not per thousand.
      catchUpBatchSize: 10_000,
      gatherMs: INTERACTIVE_GATHER_MS,
    };
  }
}
