import type { SqlMigrationSet } from '@tieuchi/shared/event-store';

export const PROCESS_SCHEMA = 'process_managers';

/**
 * `tracked_assessments`: every assessment's period, unit and status, folded from the feed.
 * `assessment_publications_due`: the publications a period decision calls for, written in the same
 * transaction as the checkpoint and deleted once the assessment's stream records them.
 */
export const publishAssessmentsWithPeriodMigrations: SqlMigrationSet = {
  component: 'publish-assessments-with-period',
  migrations: [
    {
      version: 1,
      name: 'tracked assessments and publications due',
      sql: (schema) => `
        CREATE TABLE ${schema}.tracked_assessments (
          stream_name text PRIMARY KEY,
          period_id text NOT NULL,
          unit_code text NOT NULL,
          status text NOT NULL
        );
        CREATE INDEX tracked_assessments_period_status ON ${schema}.tracked_assessments (period_id, status);
        CREATE TABLE ${schema}.assessment_publications_due (
          source_event_id text NOT NULL,
          period_id text NOT NULL,
          unit_code text NOT NULL,
          decision_number text NOT NULL,
          decision_date text NOT NULL,
          correlation_id text NOT NULL,
          due_since timestamptz NOT NULL DEFAULT now(),
          attempts integer NOT NULL DEFAULT 0,
          last_error text,
          gave_up_at timestamptz,
          PRIMARY KEY (source_event_id, unit_code)
        );`,
    },
  ],
};
