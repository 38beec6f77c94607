import { DomainError, isUnavailableError } from '@tieuchi/shared/kernel';
import { LockLostError } from '../event-store.errors';
import { isAppendNotifier, type AppendNotifier, type EventStore, type ReadAllResult, type RecordedEvent } from '../event-store.port';
import { CheckpointWaiters } from '../reader/checkpoint-waiters';
import { WakeSignal } from '../reader/wake-signal';
import { assertSqlIdentifier, type SqlClient, type SqlExecutor, type SqlLock } from '../sql/sql-client';
import { applyMigrations, type SqlMigrationSet } from '../sql/sql-migrations';
import { type FeedCursor, type FeedReader, sharedFeedOf } from './shared-feed';

/** Where a batch stands in the feed. */
export interface ProjectionBatch {
  /**
   * The batch was full, so more events follow at once. Work only the newest state needs (a
   * re-ranking) may wait for a batch where this is false, which the runner delivers, empty if need
   * be, when it reaches the head. Only true for a runner with `defersWhileCatchingUp`.
   */
  readonly catchingUp: boolean;
}

/**
 * Applies one batch to the read model. Write only through `tx`: the runner commits it together
 * with the new checkpoint, or rolls both back when the handler throws. A call without `batch` is a
 * batch at the head.
 */
export type ProjectionHandler = (events: readonly RecordedEvent[], tx: SqlExecutor, batch?: ProjectionBatch) => Promise<void>;

export interface ProjectionErrorContext {
  readonly projectionId: string;
  /** Failed attempts at the current batch so far. */
  readonly attempt: number;
  /** False when the runner gives up and stops. */
  readonly willRetry: boolean;
}

/**
 * How long a woken projection lets appends gather; a busy feed gets about one commit per gather.
 * 10 ms keeps views read right after a command (assessment summary) close behind; 100 ms suits
 * rankings, audit and processes, whose readers never wait on a command.
 */
export const INTERACTIVE_GATHER_MS = 10;
export const BACKGROUND_GATHER_MS = 100;

export interface ProjectionRunnerOptions {
  /** Persisted identifier of the projection; its checkpoint row and lock are keyed on it. */
  readonly projectionId: string;
  /** Any event store adapter: the runner only reads its global feed. */
  readonly source: EventStore;
  /** Where the feed is read; default a reader of the source's feed shared by every runner of the process (sharedFeedOf), one per tenure. */
  readonly feed?: FeedReader;
  /** The database holding the read model (PostgreSQL or PGlite). */
  readonly database: SqlClient;
  /** Schema of the read model and of `projection_checkpoints`; created when missing. Default `read_model`. */
  readonly schema?: string;
  /** The read model's own tables, applied at start before the first batch. */
  readonly migrations?: readonly SqlMigrationSet[];
  readonly handler: ProjectionHandler;
  /** Where a projection with no checkpoint row starts: after this checkpoint (default: the beginning). */
  readonly startAfter?: string | null;
  /** Events per batch at most: live, a batch holds what was appended meanwhile; catching up, a transaction per thousand events. Default 1,000. */
  readonly batchSize?: number;
  /**
   * Events per batch while the runner is behind (its last batch was full, or it has just started):
   * a handler that folds a batch in memory writes each row once per batch, so a rebuild takes fewer,
   * larger transactions. Default batchSize.
   */
  readonly catchUpBatchSize?: number;
  /**
   * The handler leaves work undone while `batch.catchingUp` and keeps it in the read model (so a
   * crash loses none): the runner then runs the handler with no events and `catchingUp: false` when
   * it finds nothing more to read after catching up, and once after it takes the lock. Default false.
   */
  readonly defersWhileCatchingUp?: boolean;
  readonly pollIntervalMs?: number;
  /**
   * After being woken, how long to let further appends gather before reading. Commands append one
   * by one, so without it a busy feed costs every projection a transaction per event. Default 10 ms
   * (INTERACTIVE_GATHER_MS); BACKGROUND_GATHER_MS for read models nobody reads back at once.
   */
  readonly gatherMs?: number;
  /** Attempts per batch before the runner stops (a handler bug should not spin forever). Default 3. */
  readonly maxAttempts?: number;
  /** Delay before the first retry, doubled for each further one. Default 1000 ms. */
  readonly retryDelayMs?: number;
  /** Wake-up hint; defaults to the source when it can notify (the SQL stores can). */
  readonly wakeUp?: AppendNotifier;
  /** Every failed attempt is reported here, including the last one. */
  readonly onError?: (error: unknown, context: ProjectionErrorContext) => void;
}

export type ProjectionRunnerState = 'idle' | 'standby' | 'running' | 'stopped' | 'failed';

/** Another writer moved the projection's checkpoint under this runner: it stops rather than double-apply. */
export class ProjectionCheckpointConflictError extends DomainError {
  static readonly code = 'PROJECTION.CHECKPOINT_CONFLICT';

  constructor(
    readonly projectionId: string,
    readonly expectedCheckpoint: string | null,
  ) {
    super(
      ProjectionCheckpointConflictError.code,
      'conflict',
      `Checkpoint of projection "${projectionId}" is no longer ${String(expectedCheckpoint)}`,
    );
    this.name = 'ProjectionCheckpointConflictError';
  }
}

/** Where projection runners keep their checkpoints, beside the read-model tables they cover. */
export const projectionMigrations: SqlMigrationSet = {
  component: 'projections',
  migrations: [
    {
      version: 1,
      name: 'projection checkpoints',
      sql: (schema) => `
        CREATE TABLE ${schema}.projection_checkpoints (
          projection_id text PRIMARY KEY,
          checkpoint text,
          updated_at timestamptz NOT NULL DEFAULT now()
        );`,
    },
  ],
};

const defaultWaitTimeoutMs = 30_000;

/** The lock one active runner of a projection holds: any process can ask the database who holds it (SqlClient.heldLocks). */
export function projectionLockKey(schema: string, projectionId: string): string {
  return `${schema}:projection:${projectionId}`;
}

/** The next batch, read while the current one is applied. */
interface Prefetch {
  readonly from: string;
  readonly size: number;
  readonly page: Promise<ReadAllResult>;
}

/**
 * Feeds a read model from the global feed (ARCHITECTURE.md §2.1, points 5 and 6): each batch
 * and its checkpoint commit in one transaction, the checkpoint moving only by compare-and-set,
 * so a crash can neither lose nor double-apply an event. One runner per projection id is active
 * (an advisory lock on PostgreSQL, an in-process lock on PGlite); the others wait in standby.
 */
export class ProjectionRunner {
  private readonly schema: string;
  private readonly waiters: CheckpointWaiters;
  private appended = new WakeSignal();
  private stopping = new WakeSignal();
  private stopRequested = false;
  private loop: Promise<void> | null = null;
  private currentState: ProjectionRunnerState = 'idle';
  private lastFailure: unknown = undefined;

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.schema = assertSqlIdentifier(options.schema ?? 'read_model', 'schema');
    this.waiters = new CheckpointWaiters((a, b) => options.source.compareCheckpoints(a, b));
  }

  get state(): ProjectionRunnerState {
    return this.currentState;
  }

  /** The error that stopped the runner, when its state is `failed`. */
  get failure(): unknown {
    return this.lastFailure;
  }

  /** The last committed checkpoint known to this runner (null before the first event). */
  get checkpoint(): string | null {
    return this.waiters.checkpoint;
  }

  /** Applies migrations, then runs in the background until stop() or a final failure. */
  async start(): Promise<void> {
    if (this.loop) throw new Error(`Projection "${this.options.projectionId}" is already started`);
    await applyMigrations(this.options.database, this.schema, projectionMigrations);
    for (const set of this.options.migrations ?? []) await applyMigrations(this.options.database, this.schema, set);
    this.stopRequested = false;
    this.appended = new WakeSignal();
    this.stopping = new WakeSignal();
    this.lastFailure = undefined;
    this.waiters.restart();
    this.currentState = 'standby';
    this.loop = this.run();
  }

  /** Finishes the current batch (commit or rollback), releases the lock and resolves. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    this.appended.wake();
    this.stopping.wake();
    await this.loop;
    this.loop = null;
  }

  /** Resolves once the read model has committed everything up to `checkpoint`. */
  waitFor(checkpoint: string, timeoutMs = defaultWaitTimeoutMs): Promise<void> {
    return this.waiters.waitFor(checkpoint, timeoutMs);
  }

  /**
   * Runs until stopped or until a failure that retrying cannot cure. Losing the database (a
   * restart, a failover) or the lock with it is not such a failure: the runner lets go, waits
   * with a growing delay (up to 10 s) and starts over from the committed checkpoint, taking the
   * lock again, so the read model catches up by itself once the database is back.
   */
  private async run(): Promise<void> {
    const { projectionId } = this.options;
    const wakeUp = this.options.wakeUp ?? (isAppendNotifier(this.options.source) ? this.options.source : undefined);
    const unsubscribe = wakeUp?.onAppended(() => this.appended.wake());
    let outage = 0;
    try {
      while (!this.stopRequested) {
        try {
          await this.runHoldingLock(() => (outage = 0));
          break;
        } catch (error) {
          if (!isUnavailableError(error) && !(error instanceof LockLostError)) throw error;
          outage += 1;
          this.options.onError?.(error, { projectionId, attempt: outage, willRetry: true });
          this.currentState = 'standby';
          await this.stopping.wait(Math.min((this.options.retryDelayMs ?? 1000) * 2 ** (outage - 1), 10_000));
        }
      }
      this.currentState = 'stopped';
      this.waiters.stop();
    } catch (error) {
      this.currentState = 'failed';
      this.lastFailure = error;
      this.waiters.stop(error);
    } finally {
      unsubscribe?.();
      if (this.currentState === 'standby' || this.currentState === 'running') {
        this.currentState = 'stopped';
        this.waiters.stop();
      }
    }
  }

  /** One tenure: takes the lock, applies batches until stopped; throws what ends it otherwise. */
  private async runHoldingLock(onRunning: () => void): Promise<void> {
    const { projectionId } = this.options;
    let lock: SqlLock | null = null;
    let ahead: Prefetch | null = null;
    const feed: Partial<FeedCursor> & FeedReader = this.options.feed ?? sharedFeedOf(this.options.source).reader();
    try {
      lock = await this.acquireLock();
      if (!lock) return;
      this.currentState = 'running';
      let checkpoint = await this.loadCheckpoint();
      // Deferred work a crash may have left is done at the head, as after any catch-up.
      let owesHead = this.options.defersWhileCatchingUp === true;
      if (!owesHead) this.waiters.advance(checkpoint);
      onRunning();
      let attempt = 0;
      let behind = true;
      while (!this.stopRequested) {
        if (lock.lost) throw new LockLostError(`projection:${projectionId}`);
        // A store may move the checkpoint past events it hides (KurrentDB's checkpoint streams):
        // committing that move, even with no event, keeps a long run of them from being read again.
        const size: number = behind ? this.catchUpBatchSize : this.batchSize;
        const { events, checkpoint: reached } = ahead?.from === checkpoint && ahead.size === size ? await ahead.page : await feed.readAll(checkpoint, size);
        ahead = null;
        // Nothing new: the runner sleeps, unless a handler that deferred work is owed a batch at the head.
        const idle = reached === null || reached === checkpoint;
        if (idle) behind = false;
        if (idle && !owesHead) {
          await this.waitForAppends();
          continue;
        }
        const next = idle ? checkpoint : reached;
        const full = !idle && events.length >= size;
        // Only a handler whose deferred work the runner will ask for at the head is told it may defer.
        const catchingUp = full && this.options.defersWhileCatchingUp === true;
        // While this batch is applied, the next one is read: the feed read and the database write overlap.
        if (full && next !== null) ahead = this.prefetch(feed, next, this.catchUpBatchSize);
        try {
          await this.commitBatch(events, checkpoint, next, catchingUp);
          checkpoint = next;
          attempt = 0;
          // A read model with deferred work is not complete at this checkpoint: waiters wait for the head batch.
          if (!catchingUp) this.waiters.advance(checkpoint);
          behind = full;
          owesHead = catchingUp;
          // A short batch read everything visible: the next read would come back empty, so sleep
          // until an append is signalled (one that came meanwhile ends the wait at once) or the poll.
          // A batch that ended on hidden events may have stopped short of the end: read on at once.
          if (!idle && events.length < size && events.at(-1)?.checkpoint === next) await this.waitForAppends();
        } catch (error) {
          // The database went away: not the batch's fault, so not one of its attempts.
          if (isUnavailableError(error) || lock.lost) throw lock.lost && !isUnavailableError(error) ? new LockLostError(`projection:${projectionId}`) : error;
          attempt += 1;
          const willRetry = attempt < (this.options.maxAttempts ?? 3) && !(error instanceof ProjectionCheckpointConflictError);
          this.options.onError?.(error, { projectionId, attempt, willRetry });
          if (!willRetry) throw error;
          await this.stopping.wait((this.options.retryDelayMs ?? 1000) * 2 ** (attempt - 1));
          checkpoint = await this.loadCheckpoint();
        }
      }
    } finally {
      // Nothing of this tenure reads on once it ends.
      await ahead?.page.catch(() => undefined);
      feed.close?.();
      await lock?.release().catch(() => undefined);
    }
  }

  /** A read started now and awaited later; its failure surfaces when awaited, never as an unhandled rejection. */
  private prefetch(feed: FeedReader, from: string, size: number): Prefetch {
    const page = feed.readAll(from, size);
    page.catch(() => undefined);
    return { from, size, page };
  }

  private async waitForAppends(): Promise<void> {
    await this.appended.wait(this.options.pollIntervalMs ?? 500);
    const gatherMs = this.options.gatherMs ?? INTERACTIVE_GATHER_MS;
    if (gatherMs > 0 && !this.stopRequested) await this.stopping.wait(gatherMs);
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 1_000;
  }

  private get catchUpBatchSize(): number {
    return Math.max(this.batchSize, this.options.catchUpBatchSize ?? this.batchSize);
  }

  private async acquireLock(): Promise<SqlLock | null> {
    const key = projectionLockKey(this.schema, this.options.projectionId);
    while (!this.stopRequested) {
      const lock = await this.options.database.tryLock(key);
      if (lock) return lock;
      await this.stopping.wait(this.options.pollIntervalMs ?? 500);
    }
    return null;
  }

  private async loadCheckpoint(): Promise<string | null> {
    await this.options.database.query(
      `INSERT INTO ${this.schema}.projection_checkpoints (projection_id, checkpoint) VALUES ($1, $2::text)
       ON CONFLICT (projection_id) DO NOTHING`,
      [this.options.projectionId, this.options.startAfter ?? null],
    );
    const result = await this.options.database.query<{ checkpoint: string | null }>(
      `SELECT checkpoint FROM ${this.schema}.projection_checkpoints WHERE projection_id = $1`,
      [this.options.projectionId],
    );
    return result.rows[0]?.checkpoint ?? null;
  }

  private async commitBatch(events: readonly RecordedEvent[], previous: string | null, next: string | null, catchingUp: boolean): Promise<void> {
    await this.options.database.transaction(async (tx) => {
      // A batch need not wait for the disk (a quarter of a catch-up's database time): should the server
      // lose its last commits, the read model and its checkpoint go back together and are applied again.
      await tx.exec('SET LOCAL synchronous_commit = off');
      if (events.length > 0 || this.options.defersWhileCatchingUp) await this.options.handler(events, tx, { catchingUp });
      const moved = await tx.query(
        `UPDATE ${this.schema}.projection_checkpoints SET checkpoint = $3, updated_at = now()
         WHERE projection_id = $1 AND checkpoint IS NOT DISTINCT FROM $2::text`,
        [this.options.projectionId, previous, next],
      );
      if (moved.rowCount !== 1) throw new ProjectionCheckpointConflictError(this.options.projectionId, previous);
    });
  }
}
