import { Inject, Injectable } from '@nestjs/common';
import { AuditChainVerifier, auditEventsTable, auditSchema, type AuditEntry, type ChainVerification } from '@tieuchi/audit/data-access';
import { EVIDENCE_STORAGE, READ_MODEL_DB } from '@tieuchi/shared/application';
import type { EvidenceStorage } from '@tieuchi/shared/evidence-storage';
import { DomainError } from '@tieuchi/shared/kernel';
import { createHash } from 'node:crypto';
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

/** An evidence file as the audit trail cites it. */
export interface CitedFile {
  readonly name: string;
  readonly sha256: string;
  readonly stream: string;
  readonly subject: string;
  /** The audit row that attached it. */
  readonly position: number;
}

export interface TamperedEvidence extends CitedFile {
  /** The SHA-256 of what is stored now; null when the file is gone. */
  readonly found: string | null;
}

export type AuditVerification = ChainVerification & { readonly evidenceFiles: number; readonly tamperedEvidence: readonly TamperedEvidence[] };

function collectFiles(row: AuditEntry, files: Map<string, CitedFile>): void {
  for (const [subject, value] of Object.entries(row.after)) {
    if (!subject.startsWith('evidence:') || !Array.isArray(value)) continue;
    for (const record of value as { kind?: unknown; name?: unknown; sha256?: unknown }[]) {
      if (record.kind !== 'file' || typeof record.sha256 !== 'string' || typeof record.name !== 'string') continue;
      if (!files.has(record.sha256)) files.set(record.sha256, { name: record.name, sha256: record.sha256, stream: row.stream, subject, position: row.position });
    }
  }
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

/**
 * The logins of a province's accounts: those it holds now (the accounts read model), and those
 * that ever held a grant in it, read from the trail's own grant subjects (`grant:admin @ province
 * 67`, `grant:unit_editor @ unit 660` with the unit's province), so a revoked or moved account's
 * history stays in the province's trail.
 */
function accountsOfProvince(province: string): string {
  return `SELECT login FROM read_model.accounts WHERE province_code = ${province}
          UNION
          SELECT substring(granted.stream from 9) FROM ${table} granted, jsonb_object_keys(granted.after) AS subject
           WHERE granted.stream LIKE 'account-%'
             AND (split_part(subject, ' @ province ', 2) = ${province} AND subject LIKE 'grant:%'
                  OR substring(subject from '^grant:[a-z_]+ @ unit (.+)$') IN (SELECT code FROM read_model.units WHERE province_code = ${province}))`;
}

/** Reads the live version of the audit trail through its view. */
@Injectable()
export class AuditTrailQuery {
  constructor(
    @Inject(READ_MODEL_DB) private readonly database: SqlClient,
    @Inject(EVIDENCE_STORAGE) private readonly storage: EvidenceStorage,
  ) {}

  /**
   * `provinceCode` narrows the page to one province's trail: its periods' streams, the
   * assessments in them, its imported past results, and the whole stream of every account of the
   * province (a province's staff read no other); absent, the whole trail (national staff).
   */
  async page(filter: { stream?: string; after: number; limit: number; provinceCode?: string }): Promise<AuditPage> {
    const params: SqlParameter[] = [filter.after, filter.limit + 1];
    const streamClause = filter.stream === undefined ? '' : `AND stream = $${params.push(filter.stream)}`;
    const province = filter.provinceCode === undefined ? null : `$${params.push(filter.provinceCode)}`;
    const provinceClause =
      province === null
        ? ''
        : `AND (coalesce(substring(stream from '^assessment-(.+)-[0-9]+$'), substring(stream from '^period-(.+)$')) IN
             (SELECT period_id FROM read_model.assessment_periods WHERE province_code = ${province})
             OR stream = 'past-results-' || ${province}
             OR (stream LIKE 'account-%' AND substring(stream from 9) IN (${accountsOfProvince(province)})))`;
    const result = await this.database.query<AuditRow>(
      `SELECT ${columns} FROM ${table} WHERE position > $1 ${streamClause} ${provinceClause} ORDER BY position LIMIT $2`,
      params,
    );
    const events = result.rows.slice(0, filter.limit).map(toEntry);
    return { events, next: result.rows.length > filter.limit ? (events.at(-1)?.position ?? null) : null };
  }

  /** The province a period belongs to, as the assessment read model knows it; null for none. */
  async periodProvince(periodId: string): Promise<string | null> {
    const { rows } = await this.database.query<{ province_code: string }>('SELECT province_code FROM read_model.assessment_periods WHERE period_id = $1', [periodId]);
    return rows[0]?.province_code ?? null;
  }

  /**
   * Recomputes the hash chain, then the SHA-256 of every evidence file the chain names: a stored
   * file changed or lost after it was attached is named with the criterion and stream that cite it.
   */
  async verify(): Promise<AuditVerification> {
    const verifier = new AuditChainVerifier();
    const files = new Map<string, CitedFile>();
    let after = 0;
    for (;;) {
      const result = await this.database.query<AuditRow>(`SELECT ${columns} FROM ${table} WHERE position > $1 ORDER BY position LIMIT $2`, [after, verifyPageSize]);
      const rows = result.rows.map(toEntry);
      const intact = verifier.check(rows);
      for (const row of rows) collectFiles(row, files);
      if (!intact || rows.length < verifyPageSize) break;
      after = rows.at(-1)?.position ?? after;
    }
    const chain = verifier.result();
    const tamperedEvidence: TamperedEvidence[] = [];
    for (const file of files.values()) {
      const found = await this.hashStored(file.sha256);
      if (found !== file.sha256) tamperedEvidence.push({ ...file, found });
    }
    return { ...chain, evidenceFiles: files.size, tamperedEvidence };
  }

  private async hashStored(sha256: string): Promise<string | null> {
    let stream;
    try {
      stream = await this.storage.open(sha256);
    } catch (error) {
      if (error instanceof DomainError && error.category === 'not_found') return null;
      throw error;
    }
    const hash = createHash('sha256');
    for await (const chunk of stream) hash.update(chunk as Buffer);
    return hash.digest('hex');
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
