import { type EventStore, SqlEventStore, type SqlClient } from '@tieuchi/shared/event-store';
import type { ProjectionPosition } from '@tieuchi/shared/observability';

interface PositionRow {
  projection: string;
  schema: string;
  position: string;
  lag_events: string;
  lag_seconds: number | null;
}

/**
 * Where every projection and subscription stands against the head of a SQL event store, read from
 * their checkpoint tables (`projection_checkpoints` in every read-model schema, the store's
 * `subscription_checkpoints`). Lag in events is the head's position minus the checkpoint's: the
 * sequence may skip a value per rolled-back append, so it can overstate, never understate.
 */
export async function readProjectionPositions(eventStore: EventStore, database: SqlClient): Promise<ProjectionPosition[]> {
  if (!(eventStore instanceof SqlEventStore)) return [];
  const tables = await database.query<{ schema: string }>(
    `SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'projection_checkpoints' ORDER BY 1`,
  );
  const store = eventStore.schema;
  const sources = [
    ...tables.rows.map(({ schema }) => `SELECT projection_id AS projection, '${schema}' AS schema, checkpoint FROM ${schema}.projection_checkpoints`),
    `SELECT processor_id AS projection, '${store}' AS schema, checkpoint FROM ${store}.subscription_checkpoints`,
  ];
  const { rows } = await database.query<PositionRow>(
    `WITH head AS (SELECT global_position, recorded_at FROM ${store}.events ORDER BY global_position DESC LIMIT 1),
          checkpoints AS (
            SELECT projection, schema, COALESCE(NULLIF(split_part(checkpoint, ':', 2), ''), '0')::bigint AS position
            FROM (${sources.join(' UNION ALL ')}) AS c
          )
     SELECT c.projection, c.schema, c.position::text AS position,
            GREATEST(COALESCE((SELECT global_position FROM head), 0) - c.position, 0)::text AS lag_events,
            EXTRACT(EPOCH FROM (SELECT recorded_at FROM head) - COALESCE(e.recorded_at, (SELECT recorded_at FROM head)))::float8 AS lag_seconds
     FROM checkpoints c LEFT JOIN ${store}.events e ON e.global_position = c.position`,
  );
  return rows.map((row) => ({
    projection: row.projection,
    schema: row.schema,
    position: Number(row.position),
    lagEvents: Number(row.lag_events),
    lagSeconds: row.lag_seconds === null ? 0 : Math.max(0, Number(row.lag_seconds)),
  }));
}
