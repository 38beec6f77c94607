import { Inject, Injectable, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '@tieuchi/shared/config';
import type { EventStore, SqlClient } from '@tieuchi/shared/event-store';
import { addProjectionSource, serveMetrics } from '@tieuchi/shared/observability';
import type { Server } from 'node:http';
import { readProjectionPositions } from './projection-positions';
import { APP_CONFIG, EVENT_STORE, READ_MODEL_DB } from './tokens';

@Injectable()
class ObservabilityLifecycle implements OnModuleInit, OnApplicationShutdown {
  private removeSource: () => void = () => undefined;
  private server: Server | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_DB) private readonly database: SqlClient,
  ) {}

  async onModuleInit(): Promise<void> {
    this.removeSource = addProjectionSource(() => readProjectionPositions(this.eventStore, this.database));
  }

  /** For a process without an HTTP server (apps/worker): /metrics on METRICS_PORT. */
  async serveOnMetricsPort(): Promise<void> {
    if (this.config.metricsPort === undefined) return;
    this.server = await serveMetrics(this.config.metricsPort, this.config.metricsToken);
    new Logger('Metrics').log(`metrics at http://0.0.0.0:${this.config.metricsPort}/metrics${this.config.metricsToken ? '' : ' (no METRICS_TOKEN: answers 404)'}`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.removeSource();
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Projection positions and lag for /metrics (every process); the worker also serves /metrics itself. */
@Module({ providers: [ObservabilityLifecycle], exports: [ObservabilityLifecycle] })
export class ObservabilityModule {}

export { ObservabilityLifecycle };
