import type { SqlMigrationSet } from '@tieuchi/shared/event-store';

/**
 * Secrets live in tables of their own, never in the event store: events are immutable and readable
 * through the audit trail, and a password hash or a session key must be erasable and unreadable.
 */
export const ACCOUNTS_SECRETS_SCHEMA = 'accounts';

export const accountSecretsMigrations: SqlMigrationSet = {
  component: 'account-secrets',
  migrations: [
    {
      version: 1,
      name: 'credentials and secrets',
      sql: (schema) => `
        CREATE TABLE ${schema}.credentials (
          login text PRIMARY KEY,
          password_hash text NOT NULL,
          changed_at timestamptz NOT NULL DEFAULT now()
        );
        -- Sessions, personal API tokens and activation links: only the SHA-256 of the secret is kept.
        CREATE TABLE ${schema}.secrets (
          secret_hash text PRIMARY KEY,
          kind text NOT NULL CHECK (kind IN ('session', 'api_token', 'activation')),
          login text NOT NULL,
          reference text NOT NULL,
          csrf_token text,
          created_at timestamptz NOT NULL,
          expires_at timestamptz NOT NULL,
          ended_at timestamptz
        );
        CREATE INDEX secrets_login ON ${schema}.secrets (login, kind);
      `,
    },
  ],
};

/** Persisted id of the projection keeping the accounts list. */
export const ACCOUNTS_PROJECTION_ID = 'accounts.v1';

export const accountsReadModelMigrations: SqlMigrationSet = {
  component: 'accounts',
  migrations: [
    {
      version: 1,
      name: 'accounts list',
      sql: (schema) => `
        CREATE TABLE ${schema}.accounts (
          login text PRIMARY KEY,
          name text NOT NULL,
          status text NOT NULL,
          roles text[] NOT NULL,
          unit_code text,
          province_code text,
          national boolean NOT NULL,
          grants jsonb NOT NULL,
          last_sign_in_at timestamptz,
          invited_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL,
          state jsonb NOT NULL
        );
        CREATE INDEX accounts_province ON ${schema}.accounts (province_code, status);
        CREATE INDEX accounts_unit ON ${schema}.accounts (unit_code);
        CREATE INDEX accounts_roles ON ${schema}.accounts USING gin (roles);
      `,
    },
  ],
};
