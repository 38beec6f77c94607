import { type EventStore, SqlEventStore, type SqlClient } from '@tieuchi/shared/event-store';
import type { ProjectionPosition } from '@tieuchi/shared/observability';

/** Where one projection runner stands: its checkpoint and, when the store can tell, how far behind the head it is. */
export interface ProjectionStanding {
  readonly projection: string;
  /** The schema holding its checkpoint (a rebuildable projection's versions each have one: `<base>_v<n>`). */
  readonly schema: string;
  readonly checkpoint: string | null;
  /** The global position the checkpoint names (0 before the first event); null when the store is not SQL. */
  readonly position: number | null;
  readonly lagEvents: number | null;
  readonly lagSeconds: number | null;
}

interface StandingRow {
  projection: string;
  schema: string;
  checkpoint: string | null;
  position: string | null;
  lag_events: string | null;
  lag_seconds: number | null;
}

/**
 * Every projection runner's checkpoint, read from the `projection_checkpoints` table of every
 * schema (and the SQL store's `subscription_checkpoints` when asked), so any process sees the
 * runners of every other. Against a SQL event store, lag in events is the head's position minus
 * the checkpoint's: the sequence may skip a value per rolled-back append, so it can overstate,
 * never understate.
 */
export async function readProjectionStandings(eventStore: EventStore, database: SqlClient, options: { subscriptions?: boolean } = {}): Promise<ProjectionStanding[]> {
  const tables = await database.query<{ schema: string }>(
    `SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'projection_checkpoints' ORDER BY 1`,
  );
  const sql = eventStore instanceof SqlEventStore ? eventStore : null;
  const sources = tables.rows.map(({ schema }) => `SELECT projection_id AS projection, '${schema}' AS schema, checkpoint FROM ${schema}.projection_checkpoints`);
  if (sql && options.subscriptions) sources.push(`SELECT processor_id AS projection, '${sql.schema}' AS schema, checkpoint FROM ${sql.schema}.subscription_checkpoints`);
  if (sources.length === 0) return [];
  const all = sources.join(' UNION ALL ');
  const { rows } = sql
    ? await database.query<StandingRow>(
        `WITH head AS (SELECT global_position, recorded_at FROM ${sql.schema}.events ORDER BY global_position DESC LIMIT 1),
              checkpoints AS (
                SELECT projection, schema, checkpoint, COALESCE(NULLIF(split_part(checkpoint, ':', 2), ''), '0')::bigint AS position FROM (${all}) AS c
              )
         SELECT c.projection, c.schema, c.checkpoint, c.position::text AS position,
                GREATEST(COALESCE((SELECT global_position FROM head), 0) - c.position, 0)::text AS lag_events,
                EXTRACT(EPOCH FROM (SELECT recorded_at FROM head) - COALESCE(e.recorded_at, (SELECT recorded_at FROM head)))::float8 AS lag_seconds
         FROM checkpoints c LEFT JOIN ${sql.schema}.events e ON e.global_position = c.position
         ORDER BY c.projection, c.schema`,
      )
    : await database.query<StandingRow>(`SELECT projection, schema, checkpoint, NULL AS position, NULL AS lag_events, NULL AS lag_seconds FROM (${all}) AS c ORDER BY projection, schema`);
  return rows.map((row) => ({
    projection: row.projection,
    schema: row.schema,
    checkpoint: row.checkpoint,
    position: row.position === null ? null : Number(row.position),
    lagEvents: row.lag_events === null ? null : Number(row.lag_events),
    lagSeconds: row.lag_events === null ? null : Math.max(0, Number(row.lag_seconds ?? 0)),
  }));
}

/** Every projection's and subscription's position and lag against the head of a SQL event store, for /metrics. */
export async function readProjectionPositions(eventStore: EventStore, database: SqlClient): Promise<ProjectionPosition[]> {
  if (!(eventStore instanceof SqlEventStore)) return [];
  return (await readProjectionStandings(eventStore, database, { subscriptions: true })).map((row) => ({
    projection: row.projection,
    schema: row.schema,
    position: row.position ?? 0,
    lagEvents: row.lagEvents ?? 0,
    lagSeconds: row.lagSeconds ?? 0,
  }));
}
