import {
  auditEventsTable,
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

/** How many subject values the handler keeps between batches (the streams used least recently go first). */
const defaultKeptValues = 200_000;

/**
 * Rows per INSERT: a larger batch goes in several, each written by PostgreSQL while the handler
 * builds the next rows (a rebuild otherwise spends its time in one process, then in the other).
 */
const defaultRowsPerInsert = 1_000;

/**
 * Appends one chained row per event. A change's starting value, when the event lacks it, is the
 * subject's value in the stream's latest earlier row: this batch's, else the one kept from earlier
 * batches, else read from the table (a whole stream at once). What is kept is trusted only while the
 * table ends on the row this handler wrote last; a rolled-back batch or another writer clears it.
 */
export function auditTrailHandler(schema: string, options: { keptValues?: number; rowsPerInsert?: number } = {}): ProjectionHandler {
  const table = `${schema}.${auditEventsTable}`;
  const rowsPerInsert = options.rowsPerInsert ?? defaultRowsPerInsert;
  const kept = new StreamValues(options.keptValues ?? defaultKeptValues);
  let wroteLast: { position: number; hash: string } | null = null;
  return async (events, tx) => {
    const last = await tx.query<{ position: string; hash: string; event_id: string }>(`SELECT position, hash, event_id FROM ${table} ORDER BY position DESC LIMIT 1`);
    const lastEventId = last.rows[0]?.event_id;
    if (lastEventId !== undefined && events.some((event) => event.id === lastEventId)) {
      throw new Error(`The audit trail already records event ${lastEventId}: the batch was applied before`);
    }
    let position = Number(last.rows[0]?.position ?? 0);
    let previousHash = last.rows[0]?.hash ?? genesisHash;
    if (wroteLast === null || wroteLast.position !== position || wroteLast.hash !== previousHash) kept.clear();
    wroteLast = null;

    const described = events.map((event) => describeEvent(event));
    // A stream's first event has nothing before it; any other stream not kept is read whole.
    const unknown = new Set<string>();
    described.forEach(({ changes }, index) => {
      const event = events[index] as (typeof events)[number];
      if (kept.has(event.streamName) || unknown.has(event.streamName)) return;
      if (event.version === 0) kept.add(event.streamName, new Map());
      else if (changes.some((change) => change.from === undefined)) unknown.add(event.streamName);
    });
    for (const [stream, values] of await storedValues(tx, table, [...unknown])) kept.add(stream, values);

    // Stream → subject → its value after this batch's latest row of the stream.
    const latest = new Map<string, Map<string, unknown>>();
    let inserting: Promise<unknown> = Promise.resolve();
    let rows: unknown[][] = [];
    for (const [index, event] of events.entries()) {
      const { changes, reason } = described[index] as ReturnType<typeof describeEvent>;
      const values = kept.get(event.streamName);
      let inBatch = latest.get(event.streamName);
      if (inBatch === undefined && changes.length > 0) latest.set(event.streamName, (inBatch = new Map()));
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      const resolved: { subject: string; from: unknown; to: unknown }[] = [];
      for (const change of changes) {
        const from = change.from !== undefined ? change.from : inBatch?.has(change.subject) ? inBatch.get(change.subject) : (values?.get(change.subject) ?? null);
        const to: unknown = typeof change.to === 'function' ? (change.to as (from: unknown) => unknown)(from) : change.to;
        before[change.subject] = from ?? null;
        after[change.subject] = to ?? null;
        inBatch?.set(change.subject, to ?? null);
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
      rows.push([
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
        before,
        after,
        content.reason,
        previousHash,
        hash,
      ]);
      previousHash = hash;
      if (rows.length === rowsPerInsert || index === events.length - 1) {
        // One statement at a time on the connection: the previous one is done by now, or nearly.
        await inserting;
        inserting = insertRows(tx, table, rows);
        // Awaited before the next one is sent; until then its failure must not count as unhandled.
        inserting.catch(() => undefined);
        rows = [];
        // Lets the connection send it before the next rows are built.
        if (index < events.length - 1) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await inserting;
    // Kept as the table gives them back, so a later batch summarizes them exactly as if it had read them.
    for (const [stream, subjects] of latest) for (const [subject, value] of subjects) kept.set(stream, subject, asStoredInJsonb(value));
    kept.trim();
    wroteLast = { position, hash: previousHash };
  };
}

/**
 * One INSERT of a JSON array, each row an array in the columns' order (a third less to send and parse
 * than objects naming every field), so PostgreSQL never plans thousands of parameters.
 */
function insertRows(tx: SqlExecutor, table: string, rows: readonly unknown[][]): Promise<unknown> {
  return tx.query(
    `INSERT INTO ${table} (position, checkpoint, event_id, stream, stream_version, type, actor, occurred_at, recorded_at,
       correlation_id, causation_id, summary, before, after, reason, previous_hash, hash)
     SELECT (r->>0)::bigint, r->>1, r->>2, r->>3, (r->>4)::integer, r->>5, r->>6, r->>7, r->>8,
       r->>9, r->>10, r->>11, r->12, r->13, r->>14, r->>15, r->>16
     FROM jsonb_array_elements($1::text::jsonb) AS r`,
    [JSON.stringify(rows)],
  );
}

/** Every subject's latest value in each of the given streams, from the stream's rows. */
async function storedValues(tx: SqlExecutor, table: string, streams: readonly string[]): Promise<Map<string, Map<string, unknown>>> {
  const found = new Map<string, Map<string, unknown>>(streams.map((stream) => [stream, new Map()]));
  if (streams.length === 0) return found;
  // One index range per stream: joined to a set the planner cannot size, the table would be scanned whole.
  const result = await tx.query<{ stream: string; subject: string; value: unknown }>(
    `SELECT s.stream, v.subject, v.value FROM jsonb_array_elements_text($1::text::jsonb) AS s(stream)
     CROSS JOIN LATERAL (
       SELECT DISTINCT ON (kv.key) kv.key AS subject, kv.value FROM ${table} e, jsonb_each(e.after) AS kv
       WHERE e.stream = s.stream ORDER BY kv.key, e.position DESC
     ) v`,
    [JSON.stringify(streams)],
  );
  for (const row of result.rows) found.get(row.stream)?.set(row.subject, row.value ?? null);
  return found;
}

/** A value as PostgreSQL's jsonb gives it back: object keys shortest first, then by their UTF-8 bytes. */
export function asStoredInJsonb(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item: unknown) => (item === undefined ? null : asStoredInJsonb(item)));
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .map((key) => ({ key, bytes: Buffer.from(key) }))
    .sort((a, b) => a.bytes.length - b.bytes.length || Buffer.compare(a.bytes, b.bytes));
  const stored: Record<string, unknown> = {};
  for (const { key } of keys) stored[key] = asStoredInJsonb(record[key]);
  return stored;
}

/**
 * The latest value of every subject of the streams used most recently, bounded by the number of
 * values: a stream is kept whole or not at all, so a subject it lacks had no value.
 */
class StreamValues {
  private readonly streams = new Map<string, Map<string, unknown>>();
  private size = 0;
  private newest: string | null = null;

  constructor(private readonly maxValues: number) {}

  has(stream: string): boolean {
    return this.streams.has(stream);
  }

  /** Marks the stream used most recently (a stream's events mostly come one after another: then nothing moves). */
  get(stream: string): Map<string, unknown> | undefined {
    const values = this.streams.get(stream);
    if (values === undefined || stream === this.newest) return values;
    this.streams.delete(stream);
    this.streams.set(stream, values);
    this.newest = stream;
    return values;
  }

  add(stream: string, values: Map<string, unknown>): void {
    this.size += values.size - (this.streams.get(stream)?.size ?? 0);
    this.streams.delete(stream);
    this.streams.set(stream, values);
    this.newest = stream;
  }

  set(stream: string, subject: string, value: unknown): void {
    const values = this.get(stream);
    if (values === undefined) return;
    if (!values.has(subject)) this.size += 1;
    values.set(subject, value);
  }

  /** Lets go of the streams used least recently until the values fit. */
  trim(): void {
    for (const [stream, values] of this.streams) {
      if (this.size <= this.maxValues) return;
      this.streams.delete(stream);
      this.size -= values.size;
    }
  }

  clear(): void {
    this.streams.clear();
    this.size = 0;
  }
}

/**
 * Its runners' batches: at most 1,000 events live; 10,000 while behind (a catch-up from empty, a
 * rebuild), so a national history takes a tenth of the statements and transactions.
 */
export const auditTrailRunnerOptions = { batchSize: 1_000, catchUpBatchSize: 10_000 } as const;

/** The audit trail as a rebuildable projection: tables in `audit_v<n>`, queries on the `audit` views. */
export const auditTrailProjection: RebuildableProjectionDefinition = {
  projectionId: auditTrailProjectionId,
  version: auditTrailVersion,
  baseSchema: auditSchema,
  tables: [auditEventsTable],
  migrations: [auditTrailMigrations],
  handler: (schema) => auditTrailHandler(schema),
};
