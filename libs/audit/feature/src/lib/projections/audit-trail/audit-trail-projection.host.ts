import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import { EVENT_STORE, type ProjectionHostOptions, READ_MODEL_DB } from '@tieuchi/shared/application';
import { BACKGROUND_GATHER_MS, type EventStore, ProjectionRegistry, RebuildableProjection, type SqlClient } from '@tieuchi/shared/event-store';
import { auditTrailProjection } from './audit-trail.projection';

export const AUDIT_FEATURE_OPTIONS = Symbol('AUDIT_FEATURE_OPTIONS');

/**
 * Runs the audit trail in this process when it hosts projections, and registers it for the admin
 * rebuild routes either way: a rebuild requested here is recorded in `projection_versions`, which
 * the hosting worker follows.
 */
@Injectable()
export class AuditTrailProjectionHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AuditTrailProjection');
  readonly projection: RebuildableProjection;

  constructor(
    @Inject(EVENT_STORE) source: EventStore,
    @Inject(READ_MODEL_DB) database: SqlClient,
    registry: ProjectionRegistry,
    @Optional() @Inject(AUDIT_FEATURE_OPTIONS) private readonly options: ProjectionHostOptions = { runProjections: true },
  ) {
    this.projection = new RebuildableProjection({
      definition: auditTrailProjection,
      source,
      database,
      pollIntervalMs: 100,
      gatherMs: BACKGROUND_GATHER_MS,
      onError: (error, context) => this.logger.error({ err: error, ...context }, 'audit trail projection failed a batch'),
    });
    registry.register(this.projection);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.runProjections) return;
    await this.projection.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.projection.stop();
  }
}
