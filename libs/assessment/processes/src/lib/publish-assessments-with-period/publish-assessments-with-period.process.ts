import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import {
  type AssessmentActor,
  AssessmentErrorCode,
  type AssessmentContext,
  type AssessmentEvent,
  type AssessmentState,
  type AssessmentStatus,
  decideAssessment,
  evolveAssessment,
  initialAssessmentState,
  isAssessmentEvent,
  statusAfter,
} from '@tieuchi/assessment/domain';
import { assessmentStreamName } from '@tieuchi/assessment/data-access';
import { AssessmentContextLoader } from '@tieuchi/assessment/feature';
import type { PeriodCorrected, PeriodPublished } from '@tieuchi/period/domain';
import { appealWindowEndsAt, periodWindow } from '@tieuchi/period/domain';
import { CommandExecutor, CONCURRENT_WRITE, EVENT_STORE, ManagedProjection, type ProjectionHostOptions, READ_MODEL_DB } from '@tieuchi/shared/application';
import { BACKGROUND_GATHER_MS, type EventStore, type RecordedEvent, type SqlClient, type SqlExecutor } from '@tieuchi/shared/event-store';
import { DomainError, isDomainError } from '@tieuchi/shared/kernel';
import { PROCESS_SCHEMA, publishAssessmentsWithPeriodMigrations } from './publish-assessments-with-period.tables';

export const PERIOD_PUBLISHER_ACTOR = 'system:period-publisher';

export const ASSESSMENT_PROCESSES_OPTIONS = Symbol('ASSESSMENT_PROCESSES_OPTIONS');

// The process carries out the administrator's publishing decision, acting as the system.
const actor: AssessmentActor = { id: PERIOD_PUBLISHER_ACTOR, roles: ['system'], unitCodes: [] };

/** An assessment event of an assessment stream. */
const isTrackedEvent = (event: RecordedEvent): boolean => event.streamName.startsWith('assessment-') && isAssessmentEvent(event);

type PeriodDecisionEvent = PeriodPublished | PeriodCorrected;

/** What the process keeps of an assessment: where it belongs and its status. */
interface TrackedAssessment {
  readonly periodId: string;
  readonly unitCode: string;
  readonly status: AssessmentStatus;
}

function isPeriodDecision(event: RecordedEvent): boolean {
  return event.streamName.startsWith('period-') && (event.type === 'PeriodPublished' || event.type === 'PeriodCorrected');
}

interface DueRow {
  source_event_id: string;
  period_id: string;
  unit_code: string;
  decision_number: string;
  decision_date: string;
  correlation_id: string;
  attempts: number;
}

const maxAttempts = 10;

/**
 * ARCHITECTURE.md §3: an approved assessment is published with its period. On PeriodPublished (or a
 * correcting PeriodCorrected) it records a publication due for each assessment approved at that
 * point of the feed, in the checkpoint's transaction, so a crash loses nothing.
 * The commands run after that commit: in embedded mode an append inside the batch's transaction
 * would wait on PGlite's single connection forever. A due row goes only once the stream records the
 * publication, and the Idempotency-Key (decision event id + unit) makes a replay append nothing.
 */
@Injectable()
export class PublishAssessmentsWithPeriodProcess extends ManagedProjection {
  static readonly projectionId = 'publish-assessments-with-period';
  private readonly logger = new Logger('PublishAssessmentsWithPeriod');

  constructor(
    @Inject(EVENT_STORE) source: EventStore,
    @Inject(READ_MODEL_DB) database: SqlClient,
    private readonly executor: CommandExecutor,
    private readonly contexts: AssessmentContextLoader,
    @Optional() @Inject(ASSESSMENT_PROCESSES_OPTIONS) options?: ProjectionHostOptions,
  ) {
    super(options ?? { runProjections: true }, source, database);
  }

  protected runnerOptions() {
    return {
      projectionId: PublishAssessmentsWithPeriodProcess.projectionId,
      schema: PROCESS_SCHEMA,
      migrations: [publishAssessmentsWithPeriodMigrations],
      handler: (events: readonly RecordedEvent[], tx: SqlExecutor) => this.apply(events, tx),
      // Catching up, a batch writes each tracked status once: a transaction per ten thousand events, not per thousand.
      catchUpBatchSize: 10_000,
      gatherMs: BACKGROUND_GATHER_MS,
    };
  }

  /** Runs the publications due: those a batch recorded, those left by a crash, and a slow retry of the ones that failed transiently. */
  protected override async settle(stopping: () => boolean): Promise<void> {
    while (!stopping()) {
      const { rows } = await this.database.query<DueRow>(
        `SELECT source_event_id, period_id, unit_code, decision_number, decision_date, correlation_id, attempts
         FROM ${PROCESS_SCHEMA}.assessment_publications_due WHERE gave_up_at IS NULL
         ORDER BY due_since, source_event_id, unit_code LIMIT 50`,
      );
      if (rows.length === 0) return;
      for (const row of rows) {
        if (stopping()) return;
        if (!(await this.publishDue(row))) return;
      }
    }
  }

  private async apply(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const tracked = await this.trackedOf(events, tx);
    const moved = new Set<string>();
    let due = false;
    for (const event of events) {
      if (isTrackedEvent(event)) {
        const assessment = { type: event.type, data: event.data } as AssessmentEvent;
        const before = tracked.get(event.streamName);
        // The status as the assessment's fold moves it; events of an assessment never started change nothing.
        const after: TrackedAssessment | undefined =
          assessment.type === 'AssessmentStarted'
            ? { periodId: assessment.data.periodId, unitCode: assessment.data.unitCode, status: statusAfter(assessment, null) as AssessmentStatus }
            : before && { ...before, status: statusAfter(assessment, before.status) ?? before.status };
        if (after && (after.status !== before?.status || assessment.type === 'AssessmentStarted')) {
          tracked.set(event.streamName, after);
          moved.add(event.streamName);
        }
      } else if (isPeriodDecision(event)) {
        // A decision publishes what is approved at its point of the feed: what came before it is written first.
        await this.writeTracked(tracked, moved, tx);
        due = (await this.schedule(event, tx)) || due;
      }
    }
    await this.writeTracked(tracked, moved, tx);
    const last = events.at(-1)?.checkpoint;
    // Settled once the runner commits this batch: the due rows are visible by then.
    if (due && last !== undefined) this.settleAfter(last);
  }

  /** The tracked status of every assessment the batch names, in one read. */
  private async trackedOf(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<Map<string, TrackedAssessment>> {
    const streams = [...new Set(events.filter(isTrackedEvent).map((event) => event.streamName))];
    const tracked = new Map<string, TrackedAssessment>();
    if (streams.length === 0) return tracked;
    const { rows } = await tx.query<{ stream_name: string; period_id: string; unit_code: string; status: AssessmentStatus }>(
      `SELECT stream_name, period_id, unit_code, status FROM ${PROCESS_SCHEMA}.tracked_assessments WHERE stream_name IN (SELECT jsonb_array_elements_text($1::text::jsonb))`,
      [JSON.stringify(streams)],
    );
    for (const row of rows) tracked.set(row.stream_name, { periodId: row.period_id, unitCode: row.unit_code, status: row.status });
    return tracked;
  }

  /** Writes the statuses that moved, in one statement. */
  private async writeTracked(tracked: ReadonlyMap<string, TrackedAssessment>, moved: Set<string>, tx: SqlExecutor): Promise<void> {
    if (moved.size === 0) return;
    const rows = [...moved].flatMap((stream) => {
      const row = tracked.get(stream);
      return row ? [{ stream_name: stream, period_id: row.periodId, unit_code: row.unitCode, status: row.status }] : [];
    });
    moved.clear();
    await tx.query(
      `INSERT INTO ${PROCESS_SCHEMA}.tracked_assessments (stream_name, period_id, unit_code, status)
       SELECT x.stream_name, x.period_id, x.unit_code, x.status FROM jsonb_to_recordset($1::text::jsonb) AS x(stream_name text, period_id text, unit_code text, status text)
       ON CONFLICT (stream_name) DO UPDATE SET period_id = EXCLUDED.period_id, unit_code = EXCLUDED.unit_code, status = EXCLUDED.status`,
      [JSON.stringify(rows)],
    );
  }

  /** Records a publication due for every assessment of the period approved at this point of the feed. */
  private async schedule(event: RecordedEvent, tx: SqlExecutor): Promise<boolean> {
    const decision = { type: event.type, data: event.data } as PeriodDecisionEvent;
    const inserted = await tx.query(
      `INSERT INTO ${PROCESS_SCHEMA}.assessment_publications_due
         (source_event_id, period_id, unit_code, decision_number, decision_date, correlation_id)
       SELECT $1, period_id, unit_code, $3, $4, $5 FROM ${PROCESS_SCHEMA}.tracked_assessments
       WHERE period_id = $2 AND status = 'approved'
       ON CONFLICT DO NOTHING`,
      [event.id, decision.data.periodId, decision.data.decisionNumber, decision.data.decisionDate, event.metadata.correlationId],
    );
    return inserted.rowCount > 0;
  }

  /**
   * An appeal sent at the moment of publication records the publication itself, and may land
   * between this process's read and its decision or append: read the stream again once, and find
   * it published (a refusal then is a real one).
   */
  private async publishReadingAgainAfterARace(row: DueRow): Promise<void> {
    try {
      await this.publish(row);
    } catch (error) {
      if (!(isDomainError(error) && (error.code === CONCURRENT_WRITE || error.code === AssessmentErrorCode.wrongState))) throw error;
      await this.publish(row);
    }
  }

  /** False when the publication failed transiently and settling should pause until the next retry. */
  private async publishDue(row: DueRow): Promise<boolean> {
    const key = [row.source_event_id, row.unit_code];
    try {
      await this.publishReadingAgainAfterARace(row);
      await this.database.query(`DELETE FROM ${PROCESS_SCHEMA}.assessment_publications_due WHERE source_event_id = $1 AND unit_code = $2`, key);
      return true;
    } catch (error) {
      // A refusal (not found, wrong state …) will not change on retry; a conflict or an outage may.
      const permanent = isDomainError(error) && error.category !== 'conflict' && error.category !== 'internal';
      const giveUp = permanent || row.attempts + 1 >= maxAttempts;
      this.logger.error({ err: error, periodId: row.period_id, unitCode: row.unit_code, giveUp }, 'publishing an approved assessment failed');
      await this.database.query(
        `UPDATE ${PROCESS_SCHEMA}.assessment_publications_due
         SET attempts = attempts + 1, last_error = $3, gave_up_at = CASE WHEN $4::boolean THEN now() END
         WHERE source_event_id = $1 AND unit_code = $2`,
        [...key, error instanceof Error ? error.message : String(error), giveUp],
      );
      return giveUp;
    }
  }

  private async publish(row: DueRow): Promise<void> {
    const streamName = assessmentStreamName(row.period_id, row.unit_code);
    const { state } = await this.executor.load<AssessmentState, AssessmentEvent>(streamName, initialAssessmentState, evolveAssessment);
    // Already published (a replay after a crash, another instance was faster, or an appeal sent at
    // the moment of publication recorded it first): nothing to do.
    if (state.status !== 'approved') {
      if (state.status === 'not_started' || state.publication === null) this.logger.warn({ periodId: row.period_id, unitCode: row.unit_code, status: state.status }, 'no longer approved; not published');
      return;
    }
    const period = await this.contexts.loadPeriod(row.period_id);
    if (period.status === 'not_opened') throw new DomainError('PERIOD.NOT_FOUND', 'not_found', `There is no period "${row.period_id}".`);
    const framework = await this.contexts.loadFramework(period.framework.id, period.framework.version);
    const context: AssessmentContext = { actor, framework, appealWindowEndsAt: appealWindowEndsAt(period), period: periodWindow(period) };
    await this.executor.execute<AssessmentState, AssessmentEvent>(
      {
        streamName,
        initialState: initialAssessmentState,
        evolve: evolveAssessment,
        decide: (current, metadata) =>
          decideAssessment(
            { type: 'PublishAssessment', data: { periodId: row.period_id, decisionNumber: row.decision_number, decisionDate: row.decision_date }, metadata },
            current,
            context,
          ),
      },
      { actor: PERIOD_PUBLISHER_ACTOR, correlationId: row.correlation_id, idempotencyKey: `${row.source_event_id}:${row.unit_code}` },
    );
  }
}
