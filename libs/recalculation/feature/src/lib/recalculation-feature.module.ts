import {
  type DynamicModule,
  Inject,
  Injectable,
  Logger,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  RequestMethod,
} from '@nestjs/common';
import { APP_CONFIG, CLOCK, type Clock, EVENT_STORE, READ_MODEL_DB } from '@tieuchi/shared/application';
import type { AppConfig } from '@tieuchi/shared/config';
import type { EventStore, SqlClient } from '@tieuchi/shared/event-store';
import { resolve } from 'node:path';
import { QUEUE_BOARD_PATH, QueueBoardMiddleware } from './admin/queue-board.middleware';
import { ListRecalculationRunsController } from './queries/list-recalculation-runs/list-recalculation-runs.controller';
import { RetryRecalculationRunController } from './commands/retry-recalculation-run/retry-recalculation-run.controller';
import { GetRecalculationRunController } from './queries/get-recalculation-run/get-recalculation-run.controller';
import { WhatIfAmendmentController } from './queries/what-if-amendment/what-if-amendment.controller';
import { createJobQueue, RecalculationRuntime } from './recalculation.runtime';
import { RunFailureUnits } from './queries/run-failure-units';
import { RECALCULATION_RUNTIME } from './recalculation.tokens';

/** What identifies the store the jobs belong to: the database (without credentials) or the PGlite folder. */
export function storeIdentityOf(config: AppConfig): string {
  if (config.eventStore === 'pglite') return `pglite:${resolve(config.dataDir)}`;
  const url = new URL(config.databaseUrl);
  return `${config.eventStore}:${url.hostname}:${url.port}${url.pathname}`;
}

@Injectable()
class RecalculationLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Recalculation');

  constructor(@Inject(RECALCULATION_RUNTIME) private readonly runtime: RecalculationRuntime) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runtime.start();
  }

  // Before the persistence module closes the database at application shutdown.
  async onModuleDestroy(): Promise<void> {
    await this.runtime.stop().catch((error: unknown) => this.logger.error(error));
  }
}

export interface RecalculationHostOptions {
  /** Run the dispatcher and take jobs in this process (the worker, or the API in embedded mode). */
  readonly runProjections: boolean;
}

/**
 * Recalculation after amendments: progress, retry and what-if routes; with `runProjections`, also
 * the dispatcher and the job worker (BullMQ when REDIS_URL is set, in-process otherwise).
 */
@Module({})
export class RecalculationFeatureModule implements NestModule {
  /** bull-board for administrators (an Express router, so outside the controllers: see QueueBoardMiddleware). */
  configure(consumer: MiddlewareConsumer): void {
    const path = QUEUE_BOARD_PATH.slice(1);
    consumer.apply(QueueBoardMiddleware).forRoutes({ path, method: RequestMethod.ALL }, { path: `${path}/*path`, method: RequestMethod.ALL });
  }

  static forRoot(host: RecalculationHostOptions): DynamicModule {
    return {
      module: RecalculationFeatureModule,
      controllers: [ListRecalculationRunsController, GetRecalculationRunController, RetryRecalculationRunController, WhatIfAmendmentController],
      providers: [
        {
          provide: RECALCULATION_RUNTIME,
          inject: [APP_CONFIG, EVENT_STORE, READ_MODEL_DB, CLOCK],
          useFactory: (config: AppConfig, eventStore: EventStore, database: SqlClient, clock: Clock) => {
            return new RecalculationRuntime({
              eventStore,
              database,
              clock,
              queue: createJobQueue({ redisUrl: config.redisUrl, storeIdentity: storeIdentityOf(config) }, { concurrency: config.recalculationConcurrency }),
              dispatcher: host.runProjections,
              worker: host.runProjections,
            });
          },
        },
        RecalculationLifecycle,
        RunFailureUnits,
      ],
      exports: [RECALCULATION_RUNTIME],
    };
  }
}
