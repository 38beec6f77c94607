import { Inject, Injectable } from '@nestjs/common';
import { AuditChainVerifier, auditEventsTable, auditSchema, type AuditEntry, type ChainVerification } from '@tieuchi/audit/data-access';
import { READ_MODEL_DB } from '@tieuchi/shared/application';
import type { SqlClient, SqlParameter } from '@tieuchi/shared/event-store';

interface AuditRow {
  position: string | number;
  checkpoint: string;
  event_id: string;
  stream: string;
  stream_version: number;
  type: string;
  actor: string;
  occurred_at: string;
  recorded_at: string;
  correlation_id: string;
  causation_id: string;
  summary: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  reason: string | null;
  previous_hash: string;
  hash: string;
}

export interface AuditPage {
  readonly events: AuditEntry[];
  /** Pass as `after` for the next page; null when this page is the last one so far. */
  readonly next: number | null;
}

const columns = `position, checkpoint, event_id, stream, stream_version, type, actor, occurred_at, recorded_at,
  correlation_id, causation_id, summary, before, after, reason, previous_hash, hash`;
const table = `${auditSchema}.${auditEventsTable}`;
const verifyPageSize = 1000;

/** Reads the live version of the audit trail through its view. */
@Injectable()
export class AuditTrailQuery {
  constructor(@Inject(READ_MODEL_DB) private readonly database: SqlClient) {}

  async page(filter: { stream?: string; after: number; limit: number }): Promise<AuditPage> {
    const params: SqlParameter[] = [filter.after, filter.limit + 1];
    const streamClause = filter.stream === undefined ? '' : `AND stream = $${params.push(filter.stream)}`;
    const result = await this.database.query<AuditRow>(
      `SELECT ${columns} FROM ${table} WHERE position > $1 ${streamClause} ORDER BY position LIMIT $2`,
      params,
    );
    const events = result.rows.slice(0, filter.limit).map(toEntry);
    return { events, next: result.rows.length > filter.limit ? (events.at(-1)?.position ?? null) : null };
  }

  async verify(): Promise<ChainVerification> {
    const verifier = new AuditChainVerifier();
    let after = 0;
    for (;;) {
      const result = await this.database.query<AuditRow>(`SELECT ${columns} FROM ${table} WHERE position > $1 ORDER BY position LIMIT $2`, [after, verifyPageSize]);
      const rows = result.rows.map(toEntry);
      if (!verifier.check(rows) || rows.length < verifyPageSize) return verifier.result();
      after = rows.at(-1)?.position ?? after;
    }
  }
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    position: Number(row.position),
    checkpoint: row.checkpoint,
    eventId: row.event_id,
    stream: row.stream,
    version: Number(row.stream_version),
    type: row.type,
    actor: row.actor,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    summary: row.summary,
    before: row.before,
    after: row.after,
    reason: row.reason,
    previousHash: row.previous_hash,
    hash: row.hash,
  };
}
