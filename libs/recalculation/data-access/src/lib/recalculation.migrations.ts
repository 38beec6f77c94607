import type { SqlMigrationSet } from '@tieuchi/shared/event-store';

/** Schema of the dispatcher's checkpoint and of the run read model: they commit together. */
export const RECALCULATION_SCHEMA = 'recalculation';

export const recalculationMigrations: SqlMigrationSet = {
  component: 'recalculation',
  migrations: [
    {
      version: 1,
      name: 'assessments per period, runs and their jobs',
      sql: (schema) => `
        CREATE TABLE ${schema}.period_assessments (
          stream_name text PRIMARY KEY,
          period_id text NOT NULL,
          unit_code text NOT NULL,
          tier text NOT NULL,
          status text NOT NULL
        );
        CREATE INDEX period_assessments_period ON ${schema}.period_assessments (period_id, status);
        CREATE TABLE ${schema}.period_status (
          period_id text PRIMARY KEY,
          published boolean NOT NULL DEFAULT false
        );
        CREATE TABLE ${schema}.runs (
          run_id text PRIMARY KEY,
          period_id text NOT NULL,
          framework_id text NOT NULL,
          from_version integer NOT NULL,
          to_version integer NOT NULL,
          decision_ref text,
          cause text NOT NULL,
          source_event_id text NOT NULL UNIQUE,
          provisional boolean NOT NULL,
          total integer NOT NULL,
          created_at timestamptz NOT NULL
        );
        CREATE TABLE ${schema}.run_jobs (
          job_id text PRIMARY KEY,
          run_id text NOT NULL,
          stream_name text NOT NULL,
          status text NOT NULL CHECK (status IN ('queued', 'done', 'failed')),
          outcome text,
          error text,
          attempts integer NOT NULL DEFAULT 0,
          job jsonb,
          updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX run_jobs_run ON ${schema}.run_jobs (run_id, status);`,
    },
    {
      version: 2,
      name: 'scoring inputs kept per assessment',
      // Null for an assessment the dispatcher passed before this version: its jobs fold the stream.
      sql: (schema) => `
        ALTER TABLE ${schema}.period_assessments ADD COLUMN stream_version bigint, ADD COLUMN inputs jsonb;`,
    },
    {
      version: 3,
      name: 'answers kept apart from the other scoring inputs',
      // Most events (statuses, recalculations) leave the answers as they are: apart, they are
      // neither read nor rewritten for those.
      sql: (schema) => `
        ALTER TABLE ${schema}.period_assessments ADD COLUMN answers jsonb;
        UPDATE ${schema}.period_assessments SET answers = inputs->'answers', inputs = inputs - 'answers' WHERE inputs IS NOT NULL;`,
    },
  ],
};
