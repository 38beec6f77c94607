import { hash } from 'node:crypto';

/** What a row of the audit trail says; its hash covers exactly these fields. */
export interface AuditEntryContent {
  readonly position: number;
  readonly checkpoint: string;
  readonly eventId: string;
  readonly stream: string;
  readonly version: number;
  readonly type: string;
  readonly actor: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly summary: string;
  /** Subject → value before the event (null when it had none), e.g. `{"criterion:X.1": 2.5}`. */
  readonly before: Readonly<Record<string, unknown>>;
  readonly after: Readonly<Record<string, unknown>>;
  readonly reason: string | null;
}

export interface AuditEntry extends AuditEntryContent {
  readonly previousHash: string;
  readonly hash: string;
}

/** The hash the first row chains to. */
export const genesisHash = '';

/**
 * JSON with object keys sorted at every level, so equal content always hashes the same. Its output
 * is what every stored hash covers: it must never change, only get faster (a catch-up hashes every event).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(record).sort()) {
    const field = record[key];
    if (field === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(field)}`;
  }
  return `${out}}`;
}

/** The content's fields in the order canonicalJson sorts them, each with its JSON key written once. */
const contentFields = (
  ['actor', 'after', 'before', 'causationId', 'checkpoint', 'correlationId', 'eventId', 'occurredAt', 'position', 'reason', 'recordedAt', 'stream', 'summary', 'type', 'version'] as const
).map((field) => ({ field, key: `${JSON.stringify(field)}:` }));

/** canonicalJson of a row's content (its other fields left out), without sorting its keys again for every row. */
export function canonicalContent(content: AuditEntryContent): string {
  let out = '{';
  for (const { field, key } of contentFields) {
    const value = content[field];
    if (value === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${key}${canonicalJson(value)}`;
  }
  return `${out}}`;
}

/** hash = sha256(previous row's hash + canonical JSON of this row's content), hex. */
export function chainHash(previousHash: string, content: AuditEntryContent): string {
  return hash('sha256', previousHash + canonicalContent(content), 'hex');
}

export type ChainVerification =
  | { readonly ok: true; readonly rows: number }
  | { readonly ok: false; readonly firstBrokenAt: number; readonly expected: string; readonly found: string; readonly rows: number };

/**
 * Walks the chain page by page. Each row is checked against the stored hash of the row before it,
 * so the first row whose content (or predecessor) was altered, removed or inserted is the one named.
 */
export class AuditChainVerifier {
  private previousHash = genesisHash;
  private expectedPosition = 1;
  private checked = 0;
  private broken: ChainVerification | null = null;

  /** Feeds the next rows in position order; returns false once a broken link is found. */
  check(rows: readonly AuditEntry[]): boolean {
    for (const row of rows) {
      if (this.broken) return false;
      const expected = row.position === this.expectedPosition ? chainHash(this.previousHash, row) : chainHash(this.previousHash, { ...row, position: this.expectedPosition });
      this.checked += 1;
      if (expected !== row.hash) {
        this.broken = { ok: false, firstBrokenAt: row.position, expected, found: row.hash, rows: this.checked };
        return false;
      }
      this.previousHash = row.hash;
      this.expectedPosition = row.position + 1;
    }
    return true;
  }

  result(): ChainVerification {
    return this.broken ?? { ok: true, rows: this.checked };
  }
}
