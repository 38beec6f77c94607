import { eventUpcasters } from '@tieuchi/assessment/data-access';
import { type DynamicModule, Module } from '@nestjs/common';
import { AssessmentProcessesModule } from '@tieuchi/assessment/processes';
import { AssessmentViewsModule } from '@tieuchi/assessment/feature';
import { AuditFeatureModule } from '@tieuchi/audit/feature';
import { AccountsProjectionModule } from '@tieuchi/accounts/feature';
import { RankingFeatureModule } from '@tieuchi/ranking/feature';
import { RecalculationFeatureModule } from '@tieuchi/recalculation/feature';
import { UnitsProjectionModule } from '@tieuchi/unit/feature';
import { ApplicationModule, type Clock, EvidenceStorageModule, ObservabilityModule, PersistenceModule } from '@tieuchi/shared/application';
import { logTransport } from '@tieuchi/shared/observability';
import type { AppConfig } from '@tieuchi/shared/config';
import { LoggerModule } from 'nestjs-pino';

export interface WorkerModuleOptions {
  readonly config: AppConfig;
  /** Tests isolate their events in a schema of their own. */
  readonly eventStoreSchema?: string;
  readonly clock?: Clock;
}

/**
 * Everything that reads the event feed (ARCHITECTURE.md §2, "Processes"): the assessment summary,
 * rankings and audit trail projections, the period-publication process and the recalculation
 * dispatcher with its job processors, over the same stores as the API. Several workers may run: each projection has one active runner (advisory lock), the
 * others wait in standby and take over when it stops.
 */
@Module({})
export class WorkerModule {
  static forRoot(options: WorkerModuleOptions): DynamicModule {
    const { config } = options;
    const host = { runProjections: true };
    return {
      module: WorkerModule,
      imports: [
        LoggerModule.forRoot({ pinoHttp: { level: config.logLevel, transport: logTransport(config.logFormat) } }),
        PersistenceModule.forRoot({ config, eventStoreSchema: options.eventStoreSchema, clock: options.clock, upcasters: eventUpcasters() }),
        EvidenceStorageModule,
        ApplicationModule,
        ObservabilityModule,
        AssessmentProcessesModule.forRoot(host),
        AssessmentViewsModule.forRoot(host),
        RankingFeatureModule.forRoot(host),
        RecalculationFeatureModule.forRoot(host),
        AuditFeatureModule.forRoot(host),
        AccountsProjectionModule.forRoot(host),
        UnitsProjectionModule.forRoot(host),
      ],
    };
  }
}
