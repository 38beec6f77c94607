import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, Optional } from '@nestjs/common';
import { EVENT_STORE, type ProjectionHostOptions, READ_MODEL_DB, READ_MODEL_SCHEMA } from '@tieuchi/shared/application';
import { applyMigrations, type EventStore, INTERACTIVE_GATHER_MS, ProjectionRunner, type SqlClient } from '@tieuchi/shared/event-store';
import { UNITS_PROJECTION_ID, unitsProjectionHandler, unitsReadModelMigrations } from '@tieuchi/unit/data-access';

export const UNITS_READ_MODEL_SCHEMA = READ_MODEL_SCHEMA;
export const UNITS_FEATURE_OPTIONS = Symbol('UNITS_FEATURE_OPTIONS');

/** Keeps read_model.units (the admin's list) current; a host that does not run it still migrates, so queries find the table. */
@Injectable()
export class UnitsProjection implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('UnitsProjection');
  private runner: ProjectionRunner | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly source: EventStore,
    @Inject(READ_MODEL_DB) private readonly database: SqlClient,
    @Optional() @Inject(UNITS_FEATURE_OPTIONS) private readonly options?: ProjectionHostOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options?.runProjections === false) {
      await applyMigrations(this.database, UNITS_READ_MODEL_SCHEMA, unitsReadModelMigrations);
      return;
    }
    this.runner = new ProjectionRunner({
      projectionId: UNITS_PROJECTION_ID,
      source: this.source,
      database: this.database,
      schema: UNITS_READ_MODEL_SCHEMA,
      migrations: [unitsReadModelMigrations],
      handler: unitsProjectionHandler(UNITS_READ_MODEL_SCHEMA),
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
}
