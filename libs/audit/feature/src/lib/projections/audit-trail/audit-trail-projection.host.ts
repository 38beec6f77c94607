import { Inject, Injectable, Optional } from '@nestjs/common';
import { EVENT_STORE, ManagedRebuildableProjection, type ProjectionHostOptions, READ_MODEL_DB } from '@tieuchi/shared/application';
import { BACKGROUND_GATHER_MS, type EventStore, ProjectionRegistry, type SqlClient } from '@tieuchi/shared/event-store';
import { auditTrailProjection, auditTrailRunnerOptions } from './audit-trail.projection';

export const AUDIT_FEATURE_OPTIONS = Symbol('AUDIT_FEATURE_OPTIONS');

/** The audit trail, rebuildable beside its live version from the admin projection routes. */
@Injectable()
export class AuditTrailProjectionHost extends ManagedRebuildableProjection {
  constructor(
    @Inject(EVENT_STORE) source: EventStore,
    @Inject(READ_MODEL_DB) database: SqlClient,
    registry: ProjectionRegistry,
    @Optional() @Inject(AUDIT_FEATURE_OPTIONS) options?: ProjectionHostOptions,
  ) {
    super(options ?? { runProjections: true }, registry, { definition: auditTrailProjection, source, database, ...auditTrailRunnerOptions, pollIntervalMs: 100, gatherMs: BACKGROUND_GATHER_MS });
  }
}
