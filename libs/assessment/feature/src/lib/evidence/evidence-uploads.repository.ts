import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EvidenceFile, EvidenceRecord } from '@tieuchi/assessment/domain';
import { EVIDENCE_SCHEMA as E, evidenceUploadsMigrations } from '@tieuchi/assessment/data-access';
import { READ_MODEL_DB } from '@tieuchi/shared/application';
import { applyMigrations, type SqlClient } from '@tieuchi/shared/event-store';
import { evidenceError, EvidenceErrorCode, formatBytes, type IngestedEvidence } from '@tieuchi/shared/evidence-storage';
import { DomainError } from '@tieuchi/shared/kernel';
import { randomUUID } from 'node:crypto';

export interface EvidenceUpload extends IngestedEvidence {
  readonly id: string;
  readonly periodId: string;
  readonly unitCode: string;
  readonly uploadedBy: string;
  readonly uploadedAt: string;
  readonly attachedAt: string | null;
}

interface UploadRow {
  id: string;
  period_id: string;
  unit_code: string;
  name: string;
  size: string | number;
  media_type: string;
  sha256: string;
  uploaded_by: string;
  uploaded_at: string | Date;
  attached_at: string | Date | null;
}

const iso = (value: string | Date): string => (value instanceof Date ? value.toISOString() : new Date(value).toISOString());

function toUpload(row: UploadRow): EvidenceUpload {
  return {
    id: row.id,
    periodId: row.period_id,
    unitCode: row.unit_code,
    name: row.name,
    size: Number(row.size),
    mediaType: row.media_type,
    sha256: row.sha256,
    uploadedBy: row.uploaded_by,
    uploadedAt: iso(row.uploaded_at),
    attachedAt: row.attached_at === null ? null : iso(row.attached_at),
  };
}

/** One file as an answer names it: the same bytes uploaded under two names are two files. */
export const evidenceFileKey = (sha256: string, name: string): string => `${sha256}\u0000${name}`;

/** Hashes serialize an upload's record against the removal of an expired copy of the same bytes. */
const lockOf = (sha256: string): string => `tieuchi:evidence:${sha256}`;
/** An assessment's lock serializes its uploads' check against the per-assessment limit. */
const assessmentLockOf = (periodId: string, unitCode: string): string => `tieuchi:evidence-assessment:${periodId}:${unitCode}`;

/** The upload records (schema `evidence`): which bytes were uploaded for which assessment, and whether a score names them. */
@Injectable()
export class EvidenceUploads implements OnModuleInit {
  constructor(@Inject(READ_MODEL_DB) private readonly database: SqlClient) {}

  async onModuleInit(): Promise<void> {
    await applyMigrations(this.database, E, evidenceUploadsMigrations);
  }

  /** Bytes of all distinct files uploaded for one assessment. */
  async usedBytes(periodId: string, unitCode: string): Promise<number> {
    const result = await this.database.query<{ used: string | null }>(
      `SELECT SUM(size) AS used FROM (SELECT DISTINCT ON (sha256) size FROM ${E}.uploads WHERE period_id = $1 AND unit_code = $2) AS files`,
      [periodId, unitCode],
    );
    return Number(result.rows[0]?.used ?? 0);
  }

  /**
   * Records an upload if the assessment still fits `maxAssessmentBytes`, in one statement that
   * takes the assessment's lock (concurrent uploads) and the hash's (a concurrent cleanup of the same
   * bytes). Called before the bytes are stored: a cleanup that runs after it sees this record and
   * keeps them, one that ran before it has removed them already and `put` stores them again.
   */
  async record(periodId: string, unitCode: string, file: IngestedEvidence, uploadedBy: string, at: Date, maxAssessmentBytes: number): Promise<EvidenceUpload> {
    const upload: EvidenceUpload = { id: randomUUID(), periodId, unitCode, ...file, uploadedBy, uploadedAt: at.toISOString(), attachedAt: null };
    const result = await this.database.query<{ used_bytes: string | number; recorded: boolean }>(`SELECT used_bytes, recorded FROM ${E}.record_upload($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, [
      upload.id,
      periodId,
      unitCode,
      file.name,
      file.size,
      file.mediaType,
      file.sha256,
      uploadedBy,
      upload.uploadedAt,
      maxAssessmentBytes,
      assessmentLockOf(periodId, unitCode),
      lockOf(file.sha256),
    ]);
    const row = result.rows[0];
    if (!row?.recorded) {
      const used = Number(row?.used_bytes ?? 0);
      throw evidenceError(EvidenceErrorCode.assessmentLimit, 'validation', `Phiếu đã dùng ${formatBytes(used)} trong ${formatBytes(maxAssessmentBytes)} dành cho minh chứng; tệp này không còn đủ chỗ`, {
        remainingBytes: Math.max(0, maxAssessmentBytes - used),
      });
    }
    return upload;
  }

  /**
   * The evidence records of uploads named by a score, in the order given, marked attached first:
   * an upload that an appended event may name is never cleaned up. An id that is not an upload of
   * this assessment is refused with the field named.
   */
  async attach(periodId: string, unitCode: string, ids: readonly string[], field: string, at: Date, positions?: readonly number[]): Promise<EvidenceFile[]> {
    if (ids.length === 0) return [];
    const result = await this.database.query<UploadRow>(
      `UPDATE ${E}.uploads SET attached_at = COALESCE(attached_at, $4)
       WHERE period_id = $1 AND unit_code = $2 AND id IN (SELECT value::uuid FROM jsonb_array_elements_text($3::text::jsonb)) RETURNING *`,
      [periodId, unitCode, JSON.stringify(ids), at.toISOString()],
    );
    const byId = new Map(result.rows.map((row) => [row.id, toUpload(row)]));
    return ids.map((id, index) => {
      const upload = byId.get(id);
      if (!upload) {
        throw new DomainError('EVIDENCE.UNKNOWN_UPLOAD', 'validation', `Không có tệp minh chứng ${id} đã tải lên cho phiếu này`, `${field}.${positions?.[index] ?? index}.id`, { id });
      }
      return { kind: 'file', name: upload.name, size: upload.size, mediaType: upload.mediaType, sha256: upload.sha256 };
    });
  }

  /**
   * The evidence records an answer names: uploaded files (attached by `attach`) and references in
   * words, in the order given. `field` names the list in errors (`evidence`, `items.3.evidence`).
   */
  async resolve(periodId: string, unitCode: string, items: readonly { id?: string; reference?: string }[], field: string, at: Date): Promise<EvidenceRecord[]> {
    items.forEach((item, index) => {
      if ((item.id === undefined) === (item.reference === undefined)) {
        throw new DomainError('EVIDENCE.ID_OR_REFERENCE', 'validation', 'Mỗi minh chứng là một tệp đã tải lên (id) hoặc một tài liệu ghi bằng chữ (reference), không cả hai', `${field}.${index}`);
      }
    });
    const named = items.flatMap((item, index) => (item.id === undefined ? [] : [{ id: item.id, index }]));
    const files = await this.attach(periodId, unitCode, named.map((item) => item.id), field, at, named.map((item) => item.index));
    let next = 0;
    return items.map((item, index): EvidenceRecord => {
      if (item.id === undefined) return { kind: 'reference', reference: item.reference ?? '' };
      const file = files[next];
      next += 1;
      if (!file) throw new DomainError('EVIDENCE.UNKNOWN_UPLOAD', 'validation', `Không có tệp minh chứng ${item.id}`, `${field}.${index}.id`);
      return file;
    });
  }

  /**
   * The upload id that names each attached file again in a later save, keyed by `evidenceFileKey`:
   * a form re-saved with these ids keeps the files it showed (attached uploads first, newest first).
   */
  async uploadIdsFor(periodId: string, unitCode: string): Promise<Map<string, string>> {
    const result = await this.database.query<{ id: string; name: string; sha256: string }>(
      `SELECT id, name, sha256 FROM ${E}.uploads WHERE period_id = $1 AND unit_code = $2 ORDER BY attached_at IS NULL, uploaded_at DESC`,
      [periodId, unitCode],
    );
    const ids = new Map<string, string>();
    for (const row of result.rows) {
      const key = evidenceFileKey(row.sha256, row.name);
      if (!ids.has(key)) ids.set(key, row.id);
    }
    return ids;
  }

  /** The latest upload of these bytes for this assessment (its media type and name answer a download). */
  async findForAssessment(periodId: string, unitCode: string, sha256: string): Promise<EvidenceUpload | null> {
    const result = await this.database.query<UploadRow>(
      `SELECT * FROM ${E}.uploads WHERE period_id = $1 AND unit_code = $2 AND sha256 = $3 ORDER BY attached_at IS NULL, uploaded_at DESC LIMIT 1`,
      [periodId, unitCode, sha256],
    );
    return result.rows[0] ? toUpload(result.rows[0]) : null;
  }

  /**
   * Deletes upload records never attached to anything and older than `before`, one hash at a time
   * under its lock; `removeBytes` is called for a hash no other record still needs. Returns how
   * many records went.
   */
  async removeUnattached(before: Date, removeBytes: (sha256: string) => Promise<void>, limit = 1_000): Promise<number> {
    const expired = await this.database.query<{ sha256: string }>(
      `SELECT DISTINCT sha256 FROM ${E}.uploads WHERE attached_at IS NULL AND uploaded_at < $1 LIMIT $2`,
      [before.toISOString(), limit],
    );
    let removed = 0;
    for (const { sha256 } of expired.rows) {
      removed += await this.database.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [lockOf(sha256)]);
        const deleted = await tx.query(`DELETE FROM ${E}.uploads WHERE sha256 = $1 AND attached_at IS NULL AND uploaded_at < $2 RETURNING id`, [sha256, before.toISOString()]);
        const kept = await tx.query(`SELECT 1 FROM ${E}.uploads WHERE sha256 = $1 LIMIT 1`, [sha256]);
        if (kept.rows.length === 0) await removeBytes(sha256);
        return deleted.rows.length;
      });
    }
    return removed;
  }
}
