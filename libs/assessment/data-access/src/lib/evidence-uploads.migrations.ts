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
    {
      version: 2,
      name: 'record an upload in one statement',
      // An upload is recorded in one round trip. The locks are taken first: the assessment's
      // serializes the check against its limit, the hash's the record against the removal of an
      // expired upload of the same bytes (every path taking both takes them in this order). Each
      // statement of a PL/pgSQL function sees what committed before it started, so the sum below
      // includes every upload that held the assessment's lock before this one. Bytes the assessment
      // already has count once. Answers the bytes in use before this upload and whether it was recorded.
      sql: (schema) => `
        CREATE FUNCTION ${schema}.record_upload(
          upload_id uuid, upload_period_id text, upload_unit_code text, upload_name text, upload_size bigint, upload_media_type text,
          upload_sha256 text, upload_by text, upload_at timestamptz, max_assessment_bytes bigint, assessment_lock text, hash_lock text)
        RETURNS TABLE (used_bytes bigint, recorded boolean) LANGUAGE plpgsql AS $$
        DECLARE
          has_file boolean;
        BEGIN
          PERFORM pg_advisory_xact_lock(hashtextextended(assessment_lock, 0)), pg_advisory_xact_lock(hashtextextended(hash_lock, 0));
          SELECT COALESCE(SUM(files.size), 0), COALESCE(BOOL_OR(files.sha256 = upload_sha256), false) INTO used_bytes, has_file
          FROM (SELECT DISTINCT ON (u.sha256) u.sha256, u.size FROM ${schema}.uploads u WHERE u.period_id = upload_period_id AND u.unit_code = upload_unit_code) AS files;
          recorded := has_file OR used_bytes + upload_size <= max_assessment_bytes;
          IF recorded THEN
            INSERT INTO ${schema}.uploads (id, period_id, unit_code, name, size, media_type, sha256, uploaded_by, uploaded_at)
            VALUES (upload_id, upload_period_id, upload_unit_code, upload_name, upload_size, upload_media_type, upload_sha256, upload_by, upload_at);
          END IF;
          RETURN NEXT;
        END
        $$;`,
    },
  ],
};
