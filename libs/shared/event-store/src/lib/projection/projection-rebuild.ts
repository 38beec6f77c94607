import { DomainError } from '@tieuchi/shared/kernel';
import type { EventStore } from '../event-store.port';
import { assertSqlIdentifier, type SqlClient, type SqlExecutor } from '../sql/sql-client';
import { applyMigrations, type SqlMigrationSet } from '../sql/sql-migrations';
import { type ProjectionHandler, type ProjectionErrorContext, ProjectionRunner } from './projection-runner';

/**
 * What a projection declares to be rebuildable without downtime. Its tables live in a schema per
 * version (`<baseSchema>_v<n>`); queries read them only through views of the same names in
 * `baseSchema`, which always point at the live version.
 */
export interface RebuildableProjectionDefinition {
  /** Persisted identifier, also the id in `projection_versions` and in the admin routes. */
  readonly projectionId: string;
  /** Lowest version the code accepts: a live version below it is rebuilt at start. */
  readonly version: number;
  /** Schema of the query views; version n writes into `<baseSchema>_v<n>`. At most 35 characters. */
  readonly baseSchema: string;
  /** The tables queries read; each gets a view `<baseSchema>.<table>`. */
  readonly tables: readonly string[];
  /** The tables of one version, applied in its own schema. */
  readonly migrations: readonly SqlMigrationSet[];
  /** The handler writing into the given versioned schema. */
  readonly handler: (schema: string) => ProjectionHandler;
}

export interface RebuildableProjectionOptions {
  readonly definition: RebuildableProjectionDefinition;
  readonly source: EventStore;
  readonly database: SqlClient;
  readonly batchSize?: number;
  /** Events per batch while a version's runner is behind (ProjectionRunnerOptions.catchUpBatchSize): a rebuild starts behind. */
  readonly catchUpBatchSize?: number;
  readonly pollIntervalMs?: number;
  readonly gatherMs?: number;
  /** How often every process re-reads `projection_versions` to follow a switch made elsewhere. Default 2000 ms. */
  readonly syncIntervalMs?: number;
  readonly onError?: (error: unknown, context: ProjectionErrorContext) => void;
}

export interface ProjectionVersionStatus {
  readonly projectionId: string;
  readonly liveVersion: number;
  readonly liveCheckpoint: string | null;
  /** `building` while a new version is being built beside the live one. */
  readonly state: 'live' | 'building';
  readonly building: { readonly version: number; readonly checkpoint: string | null; readonly startedAt: string } | null;
  readonly lastSwitchedAt: string | null;
}

/** Schema of the `projection_versions` table that every rebuildable projection shares. */
export const projectionVersionsSchema = 'read_model';

export const projectionVersionsMigrations: SqlMigrationSet = {
  component: 'projection-versions',
  migrations: [
    {
      version: 1,
      name: 'projection versions',
      sql: (schema) => `
        CREATE TABLE ${schema}.projection_versions (
          projection_id text PRIMARY KEY,
          live_version integer NOT NULL,
          building_version integer,
          build_started_at timestamptz,
          switched_at timestamptz,
          updated_at timestamptz NOT NULL DEFAULT now()
        );`,
    },
  ],
};

export class UnknownProjectionError extends DomainError {
  static readonly code = 'PROJECTION.NOT_FOUND';

  constructor(projectionId: string) {
    super(UnknownProjectionError.code, 'not_found', `There is no rebuildable projection "${projectionId}".`, 'projectionId');
  }
}

interface VersionsRow {
  live_version: number;
  building_version: number | null;
  build_started_at: Date | string | null;
  switched_at: Date | string | null;
}

/**
 * Runs a projection under versioned schemas and rebuilds it beside the live version: a second
 * runner fills `<base>_v<n+1>` from the start of the feed while version n keeps serving. Once it
 * has caught up, one transaction moves `live_version` (compare-and-set) and re-points the views,
 * holding the live checkpoint row FOR UPDATE so readers never see the projection go backwards;
 * PostgreSQL re-resolves a replaced view, so readers see either version, never an error. Every
 * process polls `projection_versions`, so standbys elsewhere switch too.
 */
export class RebuildableProjection {
  private readonly definition: RebuildableProjectionDefinition;
  private readonly runners = new Map<number, ProjectionRunner>();
  private timer: NodeJS.Timeout | null = null;
  private syncing: Promise<void> = Promise.resolve();
  private started = false;

  constructor(private readonly options: RebuildableProjectionOptions) {
    this.definition = options.definition;
    assertSqlIdentifier(this.definition.baseSchema, 'baseSchema');
    assertSqlIdentifier(this.schemaOf(this.definition.version), 'baseSchema');
    for (const table of this.definition.tables) assertSqlIdentifier(table, 'table');
  }

  get projectionId(): string {
    return this.definition.projectionId;
  }

  schemaOf(version: number): string {
    return `${this.definition.baseSchema}_v${version}`;
  }

  /** Resolves once the live version (whichever it is by then) has projected everything up to `checkpoint`. */
  async waitForLive(checkpoint: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { liveCheckpoint } = await this.status();
      if (liveCheckpoint !== null && this.options.source.compareCheckpoints(liveCheckpoint, checkpoint) >= 0) return;
      if (Date.now() > deadline) throw new Error(`Projection "${this.projectionId}" did not reach ${checkpoint} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.options.pollIntervalMs ?? 100, 100)));
    }
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await applyMigrations(this.options.database, projectionVersionsSchema, projectionVersionsMigrations);
    await applyMigrations(this.options.database, this.definition.baseSchema, { component: `${this.projectionId}-views`, migrations: [] });
    const created = await this.options.database.query(
      `INSERT INTO ${projectionVersionsSchema}.projection_versions (projection_id, live_version) VALUES ($1, $2)
       ON CONFLICT (projection_id) DO NOTHING`,
      [this.projectionId, this.definition.version],
    );
    if (created.rowCount === 1) {
      await this.migrateVersion(this.definition.version);
      await this.options.database.transaction((tx) => this.pointViews(tx, this.definition.version));
    }
    const row = await this.versions();
    if (row.live_version < this.definition.version && row.building_version === null) await this.requestRebuild();
    await this.sync();
    this.timer = setInterval(() => void this.sync(), this.options.syncIntervalMs ?? 2000);
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.syncing;
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
    this.runners.clear();
  }

  /** Starts building the next version; when one is already being built, answers its status. */
  async requestRebuild(): Promise<ProjectionVersionStatus> {
    const next = await this.options.database.transaction(async (tx) => {
      const rows = await tx.query<VersionsRow>(
        `SELECT live_version, building_version FROM ${projectionVersionsSchema}.projection_versions WHERE projection_id = $1 FOR UPDATE`,
        [this.projectionId],
      );
      const row = rows.rows[0];
      if (!row) throw new UnknownProjectionError(this.projectionId);
      if (row.building_version !== null) return null;
      const version = Math.max(row.live_version + 1, this.definition.version);
      // A leftover of an earlier attempt must not pass for progress.
      await tx.exec(`DROP SCHEMA IF EXISTS ${this.schemaOf(version)} CASCADE`);
      await tx.query(
        `UPDATE ${projectionVersionsSchema}.projection_versions
         SET building_version = $2, build_started_at = now(), updated_at = now() WHERE projection_id = $1`,
        [this.projectionId, version],
      );
      return version;
    });
    if (next !== null) await this.migrateVersion(next);
    if (this.started) await this.sync();
    return this.status();
  }

  async status(): Promise<ProjectionVersionStatus> {
    const row = await this.versions();
    const building = row.building_version;
    return {
      projectionId: this.projectionId,
      liveVersion: row.live_version,
      liveCheckpoint: await this.checkpointOf(this.options.database, row.live_version),
      state: building === null ? 'live' : 'building',
      building:
        building === null
          ? null
          : { version: building, checkpoint: await this.checkpointOf(this.options.database, building), startedAt: isoOf(row.build_started_at) ?? '' },
      lastSwitchedAt: isoOf(row.switched_at),
    };
  }

  /** Re-reads `projection_versions`, runs the live and building versions, switches when the build has caught up. */
  sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.syncOnce()).catch((error: unknown) =>
      this.options.onError?.(error, { projectionId: this.projectionId, attempt: 1, willRetry: true }),
    );
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    if (!this.started) return;
    let row = await this.versions();
    if (row.building_version !== null && this.runners.get(row.building_version)?.state === 'running') {
      if (await this.trySwitch(row.live_version, row.building_version)) row = await this.versions();
    }
    // A live version older than the code's cannot be fed any more (its handler is gone): it serves
    // frozen until the version being built replaces it.
    const wanted = new Set([
      ...(row.live_version >= this.definition.version ? [row.live_version] : []),
      ...(row.building_version === null ? [] : [row.building_version]),
    ]);
    for (const [version, runner] of this.runners) {
      if (wanted.has(version) && runner.state !== 'failed' && runner.state !== 'stopped') continue;
      this.runners.delete(version);
      await runner.stop();
    }
    for (const version of wanted) {
      if (this.runners.has(version)) continue;
      const runner = this.runnerFor(version);
      this.runners.set(version, runner);
      await runner.start();
    }
  }

  private async trySwitch(liveVersion: number, buildingVersion: number): Promise<boolean> {
    const { database, source } = this.options;
    // Ready once the build is not behind the live version. Waiting for it to reach the head of the
    // feed instead starves the switch under a steady stream of appends: there is nearly always one
    // event it has not projected yet. This first look takes no lock; the transaction checks again.
    const built = await this.checkpointOf(database, buildingVersion);
    const live = await this.checkpointOf(database, liveVersion);
    if (live !== null && (built === null || source.compareCheckpoints(built, live) < 0)) return false;
    const switched = await database.transaction(async (tx) => {
      const live = await tx.query<{ checkpoint: string | null }>(
        `SELECT checkpoint FROM ${this.schemaOf(liveVersion)}.projection_checkpoints WHERE projection_id = $1 FOR UPDATE`,
        [this.projectionId],
      );
      const liveCheckpoint = live.rows[0]?.checkpoint ?? null;
      const current = await this.checkpointOf(tx, buildingVersion);
      if (liveCheckpoint !== null && (current === null || source.compareCheckpoints(current, liveCheckpoint) < 0)) return false;
      const moved = await tx.query(
        `UPDATE ${projectionVersionsSchema}.projection_versions
         SET live_version = $3, building_version = NULL, switched_at = now(), updated_at = now()
         WHERE projection_id = $1 AND live_version = $2 AND building_version = $3`,
        [this.projectionId, liveVersion, buildingVersion],
      );
      if (moved.rowCount !== 1) return false;
      await this.pointViews(tx, buildingVersion);
      return true;
    });
    if (!switched) return false;
    const old = this.runners.get(liveVersion);
    this.runners.delete(liveVersion);
    await old?.stop();
    await database.exec(`DROP SCHEMA IF EXISTS ${this.schemaOf(liveVersion)} CASCADE`);
    return true;
  }

  private async pointViews(tx: SqlExecutor, version: number): Promise<void> {
    const base = this.definition.baseSchema;
    for (const table of this.definition.tables) {
      await tx.exec(`DROP VIEW IF EXISTS ${base}.${table}; CREATE VIEW ${base}.${table} AS SELECT * FROM ${this.schemaOf(version)}.${table};`);
    }
  }

  private async migrateVersion(version: number): Promise<void> {
    for (const set of this.definition.migrations) await applyMigrations(this.options.database, this.schemaOf(version), set);
  }

  private runnerFor(version: number): ProjectionRunner {
    const schema = this.schemaOf(version);
    return new ProjectionRunner({
      projectionId: this.projectionId,
      source: this.options.source,
      database: this.options.database,
      schema,
      migrations: this.definition.migrations,
      handler: this.definition.handler(schema),
      ...(this.options.batchSize !== undefined ? { batchSize: this.options.batchSize } : {}),
      ...(this.options.catchUpBatchSize !== undefined ? { catchUpBatchSize: this.options.catchUpBatchSize } : {}),
      ...(this.options.pollIntervalMs !== undefined ? { pollIntervalMs: this.options.pollIntervalMs } : {}),
      ...(this.options.gatherMs !== undefined ? { gatherMs: this.options.gatherMs } : {}),
      ...(this.options.onError ? { onError: this.options.onError } : {}),
    });
  }

  private async versions(): Promise<VersionsRow> {
    const result = await this.options.database.query<VersionsRow>(
      `SELECT live_version, building_version, build_started_at, switched_at
       FROM ${projectionVersionsSchema}.projection_versions WHERE projection_id = $1`,
      [this.projectionId],
    );
    const row = result.rows[0];
    if (!row) throw new UnknownProjectionError(this.projectionId);
    return { ...row, live_version: Number(row.live_version), building_version: row.building_version === null ? null : Number(row.building_version) };
  }

  private async checkpointOf(executor: SqlExecutor, version: number): Promise<string | null> {
    const exists = await executor.query<{ found: string | null }>(`SELECT to_regclass($1)::text AS found`, [`${this.schemaOf(version)}.projection_checkpoints`]);
    if (!exists.rows[0]?.found) return null;
    const result = await executor.query<{ checkpoint: string | null }>(
      `SELECT checkpoint FROM ${this.schemaOf(version)}.projection_checkpoints WHERE projection_id = $1`,
      [this.projectionId],
    );
    return result.rows[0]?.checkpoint ?? null;
  }
}

/** The rebuildable projections of a process, so an admin route can name them by id. */
export class ProjectionRegistry {
  private readonly projections = new Map<string, RebuildableProjection>();

  register(projection: RebuildableProjection): void {
    this.projections.set(projection.projectionId, projection);
  }

  get(projectionId: string): RebuildableProjection {
    const found = this.projections.get(projectionId);
    if (!found) throw new UnknownProjectionError(projectionId);
    return found;
  }

  ids(): string[] {
    return [...this.projections.keys()].sort();
  }
}

function isoOf(value: Date | string | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
