import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { applyMigrations, type SqlClient, type SqlMigrationSet } from '@tieuchi/shared/event-store';
import { READ_MODEL_DB } from './tokens';

/** A stored answer to a request, replayed when the same Idempotency-Key comes again. */
export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
  readonly etag: string | null;
}

export type IdempotencyClaim =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | { readonly kind: 'in_progress' }
  | { readonly kind: 'mismatch' };

const migrations: SqlMigrationSet = {
  component: 'idempotency',
  migrations: [
    {
      version: 1,
      name: 'idempotency keys',
      sql: (schema) => `
        CREATE TABLE ${schema}.idempotency_keys (
          principal text NOT NULL,
          key text NOT NULL,
          request_hash text NOT NULL,
          status integer,
          body text,
          etag text,
          created_at timestamptz NOT NULL DEFAULT now(),
          completed_at timestamptz,
          PRIMARY KEY (principal, key)
        );`,
    },
  ],
};

interface KeyRow {
  request_hash: string;
  status: number | null;
  body: string | null;
  etag: string | null;
}

/**
 * Remembers the first answer to each (principal, Idempotency-Key). Keys are scoped per principal
 * so one caller can never read another's stored answer.
 */
@Injectable()
export class IdempotencyStore implements OnModuleInit {
  static readonly schema = 'api';
  /** After this long an unanswered claim is taken to have died with its request. */
  static readonly staleClaimSeconds = 10;

  constructor(@Inject(READ_MODEL_DB) private readonly database: SqlClient) {}

  async onModuleInit(): Promise<void> {
    await applyMigrations(this.database, IdempotencyStore.schema, migrations);
  }

  /** Claims the key for this request, or says how an earlier request with the same key stands. */
  async claim(principal: string, key: string, requestHash: string): Promise<IdempotencyClaim> {
    const inserted = await this.database.query(
      `INSERT INTO api.idempotency_keys (principal, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [principal, key, requestHash],
    );
    if (inserted.rowCount === 1) return { kind: 'claimed' };
    const { rows } = await this.database.query<KeyRow>(
      `SELECT request_hash, status, body, etag FROM api.idempotency_keys WHERE principal = $1 AND key = $2`,
      [principal, key],
    );
    const row = rows[0];
    // The claim was released between our insert and select: the earlier attempt failed; retry it.
    if (!row) return this.claim(principal, key, requestHash);
    if (row.request_hash !== requestHash) return { kind: 'mismatch' };
    if (row.status === null) return (await this.takeOverStale(principal, key, requestHash)) ? { kind: 'claimed' } : { kind: 'in_progress' };
    return { kind: 'replay', response: { status: row.status, body: row.body === null ? null : JSON.parse(row.body), etag: row.etag } };
  }

  /**
   * A claim unanswered for longer than any request runs belongs to an attempt that died; without
   * this the key would answer 409 forever. The retry runs again: its event ids derive from the key,
   * so nothing is appended twice.
   */
  private async takeOverStale(principal: string, key: string, requestHash: string): Promise<boolean> {
    const taken = await this.database.query(
      `UPDATE api.idempotency_keys SET created_at = now() WHERE principal = $1 AND key = $2 AND request_hash = $3 AND status IS NULL AND created_at < now() - make_interval(secs => $4)`,
      [principal, key, requestHash, IdempotencyStore.staleClaimSeconds],
    );
    return taken.rowCount === 1;
  }

  async complete(principal: string, key: string, response: StoredResponse): Promise<void> {
    await this.database.query(
      `UPDATE api.idempotency_keys SET status = $3, body = $4, etag = $5, completed_at = now() WHERE principal = $1 AND key = $2`,
      [principal, key, response.status, JSON.stringify(response.body ?? null), response.etag],
    );
  }

  /** A failed attempt appended nothing: forget the key so the client can retry it. */
  async release(principal: string, key: string): Promise<void> {
    await this.database.query(`DELETE FROM api.idempotency_keys WHERE principal = $1 AND key = $2 AND status IS NULL`, [principal, key]);
  }
}
