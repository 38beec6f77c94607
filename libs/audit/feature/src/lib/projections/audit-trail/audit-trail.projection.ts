import {
  auditEventsTable,
  auditSchema,
  auditTrailMigrations,
  auditTrailProjectionId,
  auditTrailVersion,
  canonicalJson,
  chainHash,
  describeEvent,
  genesisHash,
  summarize,
  type AuditEntryContent,
} from '@tieuchi/audit/data-access';
import type { ProjectionHandler, RebuildableProjectionDefinition, SqlExecutor } from '@tieuchi/shared/event-store';

/**
 * Appends one chained row per event. The value a change started from, when the event does not
 * carry it, is the subject's value in the latest earlier row of the same stream.
 */
export function auditTrailHandler(schema: string): ProjectionHandler {
  const table = `${schema}.${auditEventsTable}`;
  return async (events, tx) => {
    const last = await tx.query<{ position: string; hash: string }>(`SELECT position, hash FROM ${table} ORDER BY position DESC LIMIT 1`);
    let position = Number(last.rows[0]?.position ?? 0);
    let previousHash = last.rows[0]?.hash ?? genesisHash;
    const latest = new Map<string, unknown>();
    for (const event of events) {
      const { changes, reason } = describeEvent(event);
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      const resolved: { subject: string; from: unknown; to: unknown }[] = [];
      for (const change of changes) {
        const key = `${event.streamName}\u0000${change.subject}`;
        const from = change.from !== undefined ? change.from : latest.has(key) ? latest.get(key) : await previousValue(tx, table, event.streamName, change.subject);
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
      await tx.query(
        `INSERT INTO ${table} (position, checkpoint, event_id, stream, stream_version, type, actor, occurred_at, recorded_at,
           correlation_id, causation_id, summary, before, after, reason, previous_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::text::jsonb, $14::text::jsonb, $15, $16, $17)`,
        [
          content.position,
          content.checkpoint,
          content.eventId,
          content.stream,
          content.version,
          content.type,
          content.actor,
          content.occurredAt,
          content.recordedAt,
          content.correlationId,
          content.causationId,
          content.summary,
          canonicalJson(before),
          canonicalJson(after),
          content.reason,
          previousHash,
          hash,
        ],
      );
      previousHash = hash;
    }
  };
}

async function previousValue(tx: SqlExecutor, table: string, stream: string, subject: string): Promise<unknown> {
  const result = await tx.query<{ value: unknown }>(
    `SELECT after -> $2 AS value FROM ${table} WHERE stream = $1 AND jsonb_exists(after, $2) ORDER BY position DESC LIMIT 1`,
    [stream, subject],
  );
  return result.rows[0]?.value ?? null;
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
