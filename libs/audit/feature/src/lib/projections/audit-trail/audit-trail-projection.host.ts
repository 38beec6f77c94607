import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_STORE, READ_MODEL_DB } from '@tieuchi/shared/application';
import { type EventStore, ProjectionRegistry, RebuildableProjection, type SqlClient } from '@tieuchi/shared/event-store';
import { auditTrailProjection } from './audit-trail.projection';

/**
 * Runs the audit trail in this process (the API hosts projections until apps/worker does) and
 * registers it for the admin rebuild routes.
 */
@Injectable()
export class AuditTrailProjectionHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AuditTrailProjection');
  readonly projection: RebuildableProjection;

  constructor(
    @Inject(EVENT_STORE) source: EventStore,
    @Inject(READ_MODEL_DB) database: SqlClient,
    registry: ProjectionRegistry,
  ) {
    this.projection = new RebuildableProjection({
      definition: auditTrailProjection,
      source,
      database,
      pollIntervalMs: 100,
      onError: (error, context) => this.logger.error({ err: error, ...context }, 'audit trail projection failed a batch'),
    });
    registry.register(this.projection);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.projection.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.projection.stop();
  }
}
