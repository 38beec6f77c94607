import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { applyMigrations, type EventStore, ProjectionRunner, type ProjectionRunnerOptions, type SqlClient } from '@tieuchi/shared/event-store';

/** Whether a host runs a module's projections (the worker, or the API in embedded mode) or only reads them. */
export interface ProjectionHostOptions {
  readonly runProjections: boolean;
}

export const READ_MODEL_SCHEMA = 'read_model';

/**
 * A projection runner started on application bootstrap and stopped when the module is destroyed
 * (before the persistence module closes the connections it uses). A host that does not run the
 * projection still applies its migrations, so its queries find the tables.
 */
export abstract class ManagedProjection implements OnApplicationBootstrap, OnModuleDestroy {
  private runner: ProjectionRunner | null = null;
  private readonly logger: Logger;

  protected constructor(
    private readonly options: ProjectionHostOptions,
    protected readonly source: EventStore,
    protected readonly database: SqlClient,
  ) {
    this.logger = new Logger(this.constructor.name);
  }

  /** The runner's options; its schema defaults to READ_MODEL_SCHEMA. */
  protected abstract runnerOptions(): Omit<ProjectionRunnerOptions, 'source' | 'database' | 'onError'>;

  async onApplicationBootstrap(): Promise<void> {
    const options = this.runnerOptions();
    const schema = options.schema ?? READ_MODEL_SCHEMA;
    if (!this.options.runProjections) {
      for (const set of options.migrations ?? []) await applyMigrations(this.database, schema, set);
      return;
    }
    this.runner = new ProjectionRunner({
      ...options,
      source: this.source,
      database: this.database,
      schema,
      onError: (error, context) => this.logger.error({ err: error, ...context }, `projection ${context.projectionId} failed a batch`),
    });
    await this.runner.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner?.stop();
    this.runner = null;
  }

  get state(): ProjectionRunner['state'] | 'not_run' {
    return this.runner?.state ?? 'not_run';
  }

  /** Resolves once this host's runner has committed everything up to `checkpoint`. */
  async waitFor(checkpoint: string, timeoutMs?: number): Promise<void> {
    if (!this.runner) throw new Error(`${this.constructor.name} is not run by this host`);
    await this.runner.waitFor(checkpoint, timeoutMs);
  }
}
