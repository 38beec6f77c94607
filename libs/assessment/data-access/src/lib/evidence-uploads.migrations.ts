import type { SqlMigrationSet } from '@tieuchi/shared/event-store';

/** Schema of the evidence upload records (write side: not a projection, never rebuilt). */
export const EVIDENCE_SCHEMA = 'evidence';

/**
 * One row per upload: who uploaded which bytes under which name for which assessment. The bytes
 * themselves are in the evidence storage under `sha256`. `attached_at` is set when a criterion's
 * score names the upload, before the event is appended, so an upload in an event is never cleaned up.
 */
export const evidenceUploadsMigrations: SqlMigrationSet = {
  component: 'evidence-uploads',
  migrations: [
    {
      version: 1,
      name: 'evidence uploads',
      sql: (schema) => `
        CREATE TABLE ${schema}.uploads (
          id uuid PRIMARY KEY,
          period_id text NOT NULL,
          unit_code text NOT NULL,
          name text NOT NULL,
          size bigint NOT NULL,
          media_type text NOT NULL,
          sha256 text NOT NULL,
          uploaded_by text NOT NULL,
          uploaded_at timestamptz NOT NULL,
          attached_at timestamptz
        );
        CREATE INDEX uploads_assessment ON ${schema}.uploads (period_id, unit_code);
        CREATE INDEX uploads_sha256 ON ${schema}.uploads (sha256);
        CREATE INDEX uploads_unattached ON ${schema}.uploads (uploaded_at) WHERE attached_at IS NULL;`,
    },
  ],
};
