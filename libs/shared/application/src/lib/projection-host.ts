import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  applyMigrations,
  type EventStore,
  type ProjectionErrorContext,
  ProjectionRegistry,
  ProjectionRunner,
  type ProjectionRunnerOptions,
  type ProjectionRunnerState,
  RebuildableProjection,
  type RebuildableProjectionOptions,
  type SqlClient,
} from '@tieuchi/shared/event-store';

/** Whether a host runs a module's projections (the worker, or the API in embedded mode) or only reads them. */
export interface ProjectionHostOptions {
  readonly runProjections: boolean;
}

export const READ_MODEL_SCHEMA = 'read_model';

/** What a host runs: a projection runner, or a rebuildable projection with its versions. */
export interface HostedProjection {
  readonly state: ProjectionRunnerState;
  /** The last checkpoint it committed, when it knows one: moving again tells that a restart cured it. */
  readonly checkpoint: string | null;
  start(): Promise<void>;
  stop(): Promise<void>;
  waitFor(checkpoint: string, timeoutMs?: number): Promise<void>;
}

export type ProjectionErrorReport = (error: unknown, context: ProjectionErrorContext) => void;

export interface ProjectionHostSettings {
  /** Names the host in its logs. */
  readonly name: string;
  /** False where another process runs the projection: start() then only applies `migrate`. */
  readonly run: boolean;
  /** Called once per start with the host's error report. */
  readonly create: (onError: ProjectionErrorReport) => HostedProjection;
  /** What a host that does not run the projection still applies, so its queries find the tables. */
  readonly migrate?: () => Promise<void>;
  /**
   * A process manager's work after its batches commit (the commands it sends, never inside a
   * batch: in embedded mode an append there would wait on PGlite's one connection). Run one at a
   * time at start, every `settleEveryMs` (retries) and after settleAfter(); waitFor includes it.
   */
  readonly settle?: (stopping: () => boolean) => Promise<void>;
  readonly settleEveryMs?: number;
  /** First delay before a projection that gave up (a handler bug, Redis down for long) starts again; doubled while it fails, up to 30 s. */
  readonly restartAfterMs?: number;
}

const maxRestartDelayMs = 30_000;
const defaultWaitTimeoutMs = 30_000;

/**
 * How a process runs one projection or process manager: started and stopped with the process,
 * restarted when it gives up, every failure logged, and waited for by checkpoint.
 */
export class ProjectionHost {
  private readonly logger: Logger;
  private projection: HostedProjection | null = null;
  private stopped = true;
  private supervisor: NodeJS.Timeout | null = null;
  private settleTimer: NodeJS.Timeout | null = null;
  private restarting: Promise<void> | null = null;
  private restarts = 0;
  private nextRestartAt = 0;
  private checkpointAtRestart: string | null = null;
  private settling: Promise<void> = Promise.resolve();

  constructor(private readonly settings: ProjectionHostSettings) {
    this.logger = new Logger(settings.name);
  }

  get state(): ProjectionRunnerState | 'not_run' {
    return this.projection?.state ?? 'not_run';
  }

  readonly reportError: ProjectionErrorReport = (error, context) =>
    this.logger.error({ err: error, ...context }, `projection ${context.projectionId} failed a batch`);

  async start(): Promise<void> {
    if (!this.settings.run) {
      await this.settings.migrate?.();
      return;
    }
    if (this.projection) return;
    const projection = this.settings.create(this.reportError);
    this.projection = projection;
    this.stopped = false;
    await projection.start();
    const restartAfterMs = this.settings.restartAfterMs ?? 1_000;
    this.supervisor = setInterval(() => this.supervise(projection, restartAfterMs), restartAfterMs);
    this.supervisor.unref();
    if (this.settings.settle) {
      void this.settle();
      this.settleTimer = setInterval(() => void this.settle(), this.settings.settleEveryMs ?? 5_000);
      this.settleTimer.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.supervisor) clearInterval(this.supervisor);
    if (this.settleTimer) clearInterval(this.settleTimer);
    this.supervisor = null;
    this.settleTimer = null;
    await this.restarting;
    await this.projection?.stop();
    await this.settling;
    this.projection = null;
  }

  /**
   * Resolves once everything up to `checkpoint` is projected (and settled, for a process manager).
   * A projection that gives up meanwhile is restarted: the wait goes on until its deadline.
   */
  async waitFor(checkpoint: string, timeoutMs = defaultWaitTimeoutMs): Promise<void> {
    const projection = this.projection;
    if (!projection) throw new Error(`${this.settings.name} is not run by this host`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await projection.waitFor(checkpoint, Math.max(1, deadline - Date.now()));
        break;
      } catch (error) {
        if (this.stopped || Date.now() >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    await this.settle();
  }

  /** Settles once the projection has committed `checkpoint`: for a batch that left work to do. */
  settleAfter(checkpoint: string): void {
    this.projection?.waitFor(checkpoint).then(
      () => this.settle(),
      () => undefined,
    );
  }

  /** Runs the settle work one run at a time; the promise is the run that covers this call. */
  private settle(): Promise<void> {
    const settle = this.settings.settle;
    if (!settle) return Promise.resolve();
    const next = this.settling
      .then(() => (this.stopped ? undefined : settle(() => this.stopped)))
      .catch((error: unknown) => this.logger.error({ err: error }, 'settling failed'));
    this.settling = next;
    return next;
  }

  private supervise(projection: HostedProjection, restartAfterMs: number): void {
    if (this.stopped || this.restarting) return;
    if (projection.state !== 'failed') {
      if (this.restarts > 0 && projection.checkpoint !== this.checkpointAtRestart) this.restarts = 0;
      return;
    }
    if (Date.now() < this.nextRestartAt) return;
    this.nextRestartAt = Date.now() + Math.min(restartAfterMs * 2 ** this.restarts, maxRestartDelayMs);
    this.restarts += 1;
    this.checkpointAtRestart = projection.checkpoint;
    this.logger.warn({ restarts: this.restarts }, 'restarting a projection that gave up');
    this.restarting = projection
      .stop()
      .then(() => (this.stopped ? undefined : projection.start()))
      .catch((error: unknown) => this.logger.error({ err: error }, 'restart failed'))
      .finally(() => {
        this.restarting = null;
      });
  }
}

export type HostedRunnerOptions = Omit<ProjectionRunnerOptions, 'source' | 'database' | 'onError'>;

/** How a host creates and migrates a projection runner; its schema defaults to READ_MODEL_SCHEMA. */
export function runnerHosting(source: EventStore, database: SqlClient, runner: () => HostedRunnerOptions): Required<Pick<ProjectionHostSettings, 'create' | 'migrate'>> {
  return {
    create: (onError) => {
      const options = runner();
      return new ProjectionRunner({ ...options, source, database, schema: options.schema ?? READ_MODEL_SCHEMA, onError });
    },
    migrate: async () => {
      const options = runner();
      for (const set of options.migrations ?? []) await applyMigrations(database, options.schema ?? READ_MODEL_SCHEMA, set);
    },
  };
}

/** A rebuildable projection as a host runs it: its own sync restarts the runners of its versions. */
function hostedRebuildable(projection: RebuildableProjection): HostedProjection {
  let state: ProjectionRunnerState = 'idle';
  return {
    get state() {
      return state;
    },
    checkpoint: null,
    start: async () => {
      await projection.start();
      state = 'running';
    },
    stop: async () => {
      await projection.stop();
      state = 'stopped';
    },
    waitFor: (checkpoint, timeoutMs) => projection.waitForLive(checkpoint, timeoutMs),
  };
}

/**
 * A ProjectionHost started on application bootstrap and stopped when the module is destroyed
 * (before the persistence module closes the connections it uses).
 */
abstract class NestProjectionHost implements OnApplicationBootstrap, OnModuleDestroy {
  protected readonly host: ProjectionHost;

  protected constructor(options: ProjectionHostOptions, settings: Pick<ProjectionHostSettings, 'restartAfterMs' | 'settleEveryMs'> = {}) {
    this.host = new ProjectionHost({
      ...settings,
      name: this.constructor.name,
      run: options.runProjections,
      create: (onError) => this.createProjection(onError),
      migrate: () => this.migrate(),
      // Subclasses are constructed after this runs: their hooks are looked up when called.
      settle: this.settle ? (stopping) => this.settle?.(stopping) ?? Promise.resolve() : undefined,
    });
  }

  protected abstract createProjection(onError: ProjectionErrorReport): HostedProjection;

  protected abstract migrate(): Promise<void>;

  /** A process manager's work after its batches commit (see ProjectionHostSettings.settle). */
  protected settle?(stopping: () => boolean): Promise<void>;

  async onApplicationBootstrap(): Promise<void> {
    await this.host.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.host.stop();
  }

  get state(): ProjectionRunnerState | 'not_run' {
    return this.host.state;
  }

  /** Resolves once this host has committed (and settled) everything up to `checkpoint`. */
  waitFor(checkpoint: string, timeoutMs?: number): Promise<void> {
    return this.host.waitFor(checkpoint, timeoutMs);
  }
}

/** A projection runner hosted by the module that owns its read model, or a process manager (with `settle`). */
export abstract class ManagedProjection extends NestProjectionHost {
  protected constructor(
    options: ProjectionHostOptions,
    protected readonly source: EventStore,
    protected readonly database: SqlClient,
    settings?: Pick<ProjectionHostSettings, 'restartAfterMs' | 'settleEveryMs'>,
  ) {
    super(options, settings);
  }

  /** The runner's options; its schema defaults to READ_MODEL_SCHEMA. */
  protected abstract runnerOptions(): HostedRunnerOptions;

  protected createProjection(onError: ProjectionErrorReport): HostedProjection {
    return runnerHosting(this.source, this.database, () => this.runnerOptions()).create(onError);
  }

  protected migrate(): Promise<void> {
    return runnerHosting(this.source, this.database, () => this.runnerOptions()).migrate();
  }

  /** Settles once the runner has committed `checkpoint`: a process manager's batch that left work to do. */
  protected settleAfter(checkpoint: string): void {
    this.host.settleAfter(checkpoint);
  }
}

/**
 * A projection rebuilt beside its live version (RebuildableProjection), registered for the admin
 * projection routes in every host: a rebuild requested where it does not run is recorded in
 * `projection_versions`, which the running host follows.
 */
export abstract class ManagedRebuildableProjection extends NestProjectionHost {
  readonly projection: RebuildableProjection;

  protected constructor(
    options: ProjectionHostOptions,
    registry: ProjectionRegistry,
    projection: Omit<RebuildableProjectionOptions, 'onError'>,
  ) {
    super(options);
    this.projection = new RebuildableProjection({ ...projection, onError: this.host.reportError });
    registry.register(this.projection);
  }

  protected createProjection(): HostedProjection {
    return hostedRebuildable(this.projection);
  }

  // Its versioned schemas and views are made by the host that runs it.
  protected migrate(): Promise<void> {
    return Promise.resolve();
  }
}
