import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ACCOUNTS_SECRETS_SCHEMA, accountSecretsMigrations } from '@tieuchi/accounts/data-access';
import { READ_MODEL_DB } from '@tieuchi/shared/application';
import { applyMigrations, type SqlClient } from '@tieuchi/shared/event-store';
import { digest } from './secrets';

export type SecretKind = 'session' | 'api_token' | 'activation';

export interface StoredSecret {
  readonly login: string;
  readonly kind: SecretKind;
  /** The session id, token id or link id that events and the API name it by. */
  readonly reference: string;
  readonly csrfToken: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

interface SecretRow {
  login: string;
  kind: SecretKind;
  reference: string;
  csrf_token: string | null;
  created_at: Date | string;
  expires_at: Date | string;
}

const table = `${ACCOUNTS_SECRETS_SCHEMA}.secrets`;
const credentials = `${ACCOUNTS_SECRETS_SCHEMA}.credentials`;

function toSecret(row: SecretRow): StoredSecret {
  return { login: row.login, kind: row.kind, reference: row.reference, csrfToken: row.csrf_token, createdAt: new Date(row.created_at), expiresAt: new Date(row.expires_at) };
}

/** Password hashes and the digests of sessions, API tokens and activation links (schema `accounts`). */
@Injectable()
export class AccountSecretsStore implements OnModuleInit {
  constructor(@Inject(READ_MODEL_DB) private readonly database: SqlClient) {}

  async onModuleInit(): Promise<void> {
    await applyMigrations(this.database, ACCOUNTS_SECRETS_SCHEMA, accountSecretsMigrations);
  }

  async passwordHash(login: string): Promise<string | undefined> {
    const result = await this.database.query<{ password_hash: string }>(`SELECT password_hash FROM ${credentials} WHERE login = $1`, [login]);
    return result.rows[0]?.password_hash;
  }

  async setPasswordHash(login: string, hash: string): Promise<void> {
    await this.database.query(
      `INSERT INTO ${credentials} (login, password_hash, changed_at) VALUES ($1, $2, now())
       ON CONFLICT (login) DO UPDATE SET password_hash = EXCLUDED.password_hash, changed_at = now()`,
      [login, hash],
    );
  }

  async save(secret: string, value: Omit<StoredSecret, 'createdAt'> & { readonly createdAt?: Date }): Promise<void> {
    await this.database.query(
      `INSERT INTO ${table} (secret_hash, kind, login, reference, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [digest(secret), value.kind, value.login, value.reference, value.csrfToken, (value.createdAt ?? new Date()).toISOString(), value.expiresAt.toISOString()],
    );
  }

  /** A live secret of that kind: not ended, not expired. */
  async find(secret: string, kind: SecretKind, now: Date): Promise<StoredSecret | undefined> {
    const result = await this.database.query<SecretRow>(
      `SELECT login, kind, reference, csrf_token, created_at, expires_at FROM ${table}
       WHERE secret_hash = $1 AND kind = $2 AND ended_at IS NULL AND expires_at > $3`,
      [digest(secret), kind, now.toISOString()],
    );
    const row = result.rows[0];
    return row ? toSecret(row) : undefined;
  }

  /** Ends a live secret and returns it, in one statement: two concurrent uses cannot both succeed. */
  async consume(secret: string, kind: SecretKind, now: Date): Promise<StoredSecret | undefined> {
    const result = await this.database.query<SecretRow>(
      `UPDATE ${table} SET ended_at = $3 WHERE secret_hash = $1 AND kind = $2 AND ended_at IS NULL AND expires_at > $3
       RETURNING login, kind, reference, csrf_token, created_at, expires_at`,
      [digest(secret), kind, now.toISOString()],
    );
    const row = result.rows[0];
    return row ? toSecret(row) : undefined;
  }

  async endByReference(login: string, kind: SecretKind, reference: string, now: Date): Promise<void> {
    await this.database.query(`UPDATE ${table} SET ended_at = $4 WHERE login = $1 AND kind = $2 AND reference = $3 AND ended_at IS NULL`, [login, kind, reference, now.toISOString()]);
  }

  async endAll(login: string, kinds: readonly SecretKind[], now: Date): Promise<void> {
    await this.database.query(`UPDATE ${table} SET ended_at = $3 WHERE login = $1 AND kind = ANY($2::text::text[]) AND ended_at IS NULL`, [
      login,
      `{${kinds.join(',')}}`,
      now.toISOString(),
    ]);
  }
}
