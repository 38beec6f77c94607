import {
  auditEventsTable,
  auditLatestValuesTable,
  auditSchema,
  auditTrailMigrations,
  auditTrailProjectionId,
  auditTrailVersion,
  chainHash,
  describeEvent,
  genesisHash,
  summarize,
  type AuditEntryContent,
} from '@tieuchi/audit/data-access';
import type { ProjectionHandler, RebuildableProjectionDefinition, SqlExecutor } from '@tieuchi/shared/event-store';

/**
 * Appends one chained row per event. A change's starting value, when the event lacks it, is the
 * subject's value in the stream's latest earlier row (this batch first, else one query on the
 * table). Rows go in one INSERT of a JSON array, so PostgreSQL never plans thousands of parameters.
 */
export function auditTrailHandler(schema: string): ProjectionHandler {
  const table = `${schema}.${auditEventsTable}`;
  return async (events, tx) => {
    const described = events.map((event) => describeEvent(event));
    const lookups = new Map<string, { stream: string; subject: string }>();
    const mentioned = new Set<string>();
    described.forEach(({ changes }, index) => {
      const stream = (events[index] as (typeof events)[number]).streamName;
      for (const change of changes) {
        const key = `${stream}\u0000${change.subject}`;
        if (mentioned.has(key)) continue;
        mentioned.add(key);
        if (change.from === undefined) lookups.set(key, { stream, subject: change.subject });
      }
    });
    const stored = await previousValues(tx, schema, [...lookups.values()]);

    const last = await tx.query<{ position: string; hash: string }>(`SELECT position, hash FROM ${table} ORDER BY position DESC LIMIT 1`);
    let position = Number(last.rows[0]?.position ?? 0);
    let previousHash = last.rows[0]?.hash ?? genesisHash;
    const latest = new Map<string, unknown>();
    const rows: Record<string, unknown>[] = [];
    events.forEach((event, index) => {
      const { changes, reason } = described[index] as ReturnType<typeof describeEvent>;
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      const resolved: { subject: string; from: unknown; to: unknown }[] = [];
      for (const change of changes) {
        const key = `${event.streamName}\u0000${change.subject}`;
        const from = change.from !== undefined ? change.from : latest.has(key) ? latest.get(key) : (stored.get(key) ?? null);
        const to: unknown = typeof change.to === 'function' ? (change.to as (from: unknown) => unknown)(from) : change.to;
        before[change.subject] = from ?? null;
        after[change.subject] = to ?? null;
        latest.set(key, to ?? null);
        resolved.push({ subject: change.subject, from: from ?? null, to: to ?? null });
      }
      position += 1;
      const content: AuditEntryContent = {
        position,
        checkpoint: event.checkpoint,
        eventId: event.id,
        stream: event.streamName,
        version: event.version,
        type: event.type,
        actor: event.metadata.actor,
        occurredAt: event.metadata.occurredAt,
        recordedAt: event.recordedAt,
        correlationId: event.metadata.correlationId,
        causationId: event.metadata.causationId,
        summary: summarize(event.type, resolved, reason),
        before,
        after,
        reason,
      };
      const hash = chainHash(previousHash, content);
      rows.push({
        position: content.position,
        checkpoint: content.checkpoint,
        event_id: content.eventId,
        stream: content.stream,
        stream_version: content.version,
        type: content.type,
        actor: content.actor,
        occurred_at: content.occurredAt,
        recorded_at: content.recordedAt,
        correlation_id: content.correlationId,
        causation_id: content.causationId,
        summary: content.summary,
        before,
        after,
        reason: content.reason,
        previous_hash: previousHash,
        hash,
      });
      previousHash = hash;
    });
    if (rows.length > 0) {
      await tx.query(
        `INSERT INTO ${table} (position, checkpoint, event_id, stream, stream_version, type, actor, occurred_at, recorded_at,
           correlation_id, causation_id, summary, before, after, reason, previous_hash, hash)
         SELECT x.position, x.checkpoint, x.event_id, x.stream, x.stream_version, x.type, x.actor, x.occurred_at, x.recorded_at,
           x.correlation_id, x.causation_id, x.summary, x.before, x.after, x.reason, x.previous_hash, x.hash
         FROM jsonb_to_recordset($1::text::jsonb) AS x(position bigint, checkpoint text, event_id text, stream text, stream_version integer, type text,
           actor text, occurred_at text, recorded_at text, correlation_id text, causation_id text, summary text, before jsonb, after jsonb,
           reason text, previous_hash text, hash text)`,
        [JSON.stringify(rows)],
      );
    }
    await keepLatestValues(tx, schema, latest);
  };
}

/** The latest stored value of each (stream, subject), keyed `stream\u0000subject`; null when no row has it. */
async function previousValues(tx: SqlExecutor, schema: string, keys: readonly { stream: string; subject: string }[]): Promise<Map<string, unknown>> {
  const values = new Map<string, unknown>();
  if (keys.length === 0) return values;
  // One key lookup each: joined to a set the planner cannot size, the table would be scanned whole per batch.
  const result = await tx.query<{ stream: string; subject: string; value: unknown }>(
    `SELECT k.stream, k.subject, v.value FROM jsonb_to_recordset($1::text::jsonb) AS k(stream text, subject text)
     CROSS JOIN LATERAL (SELECT l.value FROM ${schema}.${auditLatestValuesTable} l WHERE l.stream = k.stream AND l.subject = k.subject) v`,
    [JSON.stringify(keys)],
  );
  for (const row of result.rows) values.set(`${row.stream}\u0000${row.subject}`, row.value ?? null);
  return values;
}

/** Keeps the latest value of every subject the batch changed. */
async function keepLatestValues(tx: SqlExecutor, schema: string, latest: ReadonlyMap<string, unknown>): Promise<void> {
  if (latest.size === 0) return;
  const rows = [...latest].map(([key, value]) => {
    const [stream, subject] = key.split('\u0000') as [string, string];
    return { stream, subject, value };
  });
  await tx.query(
    `INSERT INTO ${schema}.${auditLatestValuesTable} (stream, subject, value)
     SELECT x.stream, x.subject, COALESCE(x.value, 'null'::jsonb) FROM jsonb_to_recordset($1::text::jsonb) AS x(stream text, subject text, value jsonb)
     ON CONFLICT (stream, subject) DO UPDATE SET value = EXCLUDED.value`,
    [JSON.stringify(rows)],
  );
}

/** The audit trail as a rebuildable projection: tables in `audit_v<n>`, queries on the `audit` views. */
export const auditTrailProjection: RebuildableProjectionDefinition = {
  projectionId: auditTrailProjectionId,
  version: auditTrailVersion,
  baseSchema: auditSchema,
  tables: [auditEventsTable],
  migrations: [auditTrailMigrations],
  handler: auditTrailHandler,
};
