import { eventUpcasters } from '@tieuchi/assessment/data-access';
import { type DynamicModule, Module } from '@nestjs/common';
import { AssessmentFeatureModule } from '@tieuchi/assessment/feature';
import { AssessmentProcessesModule } from '@tieuchi/assessment/processes';
import { FrameworkFeatureModule } from '@tieuchi/framework/feature';
import { UnitFeatureModule, UnitsProjectionModule } from '@tieuchi/unit/feature';
import { PeriodFeatureModule } from '@tieuchi/period/feature';
import { AssessmentViewsModule } from '@tieuchi/assessment/feature';
import { PublicationRollModule, RankingFeatureModule } from '@tieuchi/ranking/feature';
import { RecalculationFeatureModule } from '@tieuchi/recalculation/feature';
import { AuditFeatureModule } from '@tieuchi/audit/feature';
import { AccountsFeatureModule } from '@tieuchi/accounts/feature';
import { ApplicationModule, type Clock, EvidenceStorageModule, ObservabilityModule, PersistenceModule } from '@tieuchi/shared/application';
import { logTransport } from '@tieuchi/shared/observability';
import { AuthModule } from '@tieuchi/shared/auth';
import { type AppConfig, runsWorkerInProcess } from '@tieuchi/shared/config';
import { accessLogOptions } from '@tieuchi/shared/http';
import { LoggerModule } from 'nestjs-pino';
import { HealthModule } from './health/health.module';

export interface AppModuleOptions {
  readonly config: AppConfig;
  /** Tests isolate their events in a schema of their own. */
  readonly eventStoreSchema?: string;
  readonly clock?: Clock;
}

/**
 * The HTTP application: every feature module, behind authentication, over the chosen stores. It
 * also runs the worker's projections and processes when RUN_WORKER says so (by default only in
 * embedded mode: one PGlite, one process); in production apps/worker runs them beside it.
 */
@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const { config } = options;
    const host = { runProjections: runsWorkerInProcess(config) };
    return {
      module: AppModule,
      imports: [
        // The same id is written into every event's metadata.correlationId.
        LoggerModule.forRoot({ pinoHttp: { ...accessLogOptions(config.logLevel), transport: logTransport(config.logFormat) } }),
        PersistenceModule.forRoot({ config, eventStoreSchema: options.eventStoreSchema, clock: options.clock, upcasters: eventUpcasters() }),
        EvidenceStorageModule,
        ApplicationModule,
        ObservabilityModule,
        AuthModule.forRoot({ config }),
        AccountsFeatureModule.forRoot(host),
        HealthModule,
        AssessmentFeatureModule,
        FrameworkFeatureModule,
        UnitFeatureModule,
        UnitsProjectionModule.forRoot(host),
        PeriodFeatureModule.forRoot({ publicationRoll: PublicationRollModule }),
        AssessmentProcessesModule.forRoot(host),
        AssessmentViewsModule.forRoot(host),
        RankingFeatureModule.forRoot(host),
        AuditFeatureModule.forRoot(host),
        RecalculationFeatureModule.forRoot(host),
      ],
    };
  }
}
