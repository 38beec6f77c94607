import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ProjectionRegistry } from '@tieuchi/shared/event-store';
import type { ProjectionHostOptions } from '@tieuchi/shared/application';
import { AuditTrailQuery } from './audit-trail.query';
import { RebuildProjectionController } from './commands/rebuild-projection/rebuild-projection.controller';
import { AUDIT_FEATURE_OPTIONS, AuditTrailProjectionHost } from './projections/audit-trail/audit-trail-projection.host';
import { AssessmentAuditController } from './queries/assessment-audit/assessment-audit.controller';
import { ListAuditEventsController } from './queries/list-audit-events/list-audit-events.controller';
import { ListProjectionsController } from './queries/list-projections/list-projections.controller';
import { ProjectionStatusController } from './queries/projection-status/projection-status.controller';
import { VerifyAuditTrailController } from './queries/verify-audit-trail/verify-audit-trail.controller';

/**
 * The audit trail (projection and queries) and the admin routes that rebuild projections. Global
 * so that other feature modules can inject ProjectionRegistry and register their own projections.
 * Imported as is, the host runs the projection; `forRoot({ runProjections: false })` leaves it to a worker.
 */
@Global()
@Module({
  controllers: [ListAuditEventsController, VerifyAuditTrailController, AssessmentAuditController, RebuildProjectionController, ProjectionStatusController, ListProjectionsController],
  providers: [{ provide: ProjectionRegistry, useValue: new ProjectionRegistry() }, AuditTrailQuery, AuditTrailProjectionHost],
  exports: [ProjectionRegistry, AuditTrailQuery],
})
export class AuditFeatureModule {
  static forRoot(options: ProjectionHostOptions): DynamicModule {
    return { module: AuditFeatureModule, providers: [{ provide: AUDIT_FEATURE_OPTIONS, useValue: options }] };
  }
}
