import type { SqlMigrationSet } from '@tieuchi/shared/event-store';

/** Persisted id of the projection that keeps these tables; its checkpoint row is keyed on it. */
export const ASSESSMENT_SUMMARY_PROJECTION_ID = 'assessment-summary.v1';

/**
 * The assessment read model (schema `read_model`): one row per assessment, one per criterion, one
 * per part with its total, rescaled score and level, and the periods the history view needs.
 * Instants are ISO-8601 text as the events carry them, so they sort and compare as written.
 */
export const assessmentViewsMigrations: SqlMigrationSet = {
  component: 'assessment-views',
  migrations: [
    {
      version: 1,
      name: 'assessment summaries, criteria, part scores, periods',
      sql: (schema) => `
        CREATE TABLE ${schema}.assessment_summaries (
          period_id text NOT NULL,
          unit_code text NOT NULL,
          stream_name text NOT NULL UNIQUE,
          tier text NOT NULL,
          framework_id text NOT NULL,
          framework_version integer NOT NULL,
          status text NOT NULL,
          revision integer NOT NULL DEFAULT 0,
          stream_version integer NOT NULL,
          started_by text NOT NULL,
          started_at text NOT NULL,
          first_submitted_at text,
          submitted_by text,
          submitted_at text,
          review_started_by text,
          review_started_at text,
          reviewed_by text,
          reviewed_at text,
          approved_by text,
          approved_at text,
          published_at text,
          submitters jsonb NOT NULL DEFAULT '[]'::jsonb,
          reviewers jsonb NOT NULL DEFAULT '[]'::jsonb,
          last_comment text,
          flagged_criteria jsonb NOT NULL DEFAULT '[]'::jsonb,
          updated_at text NOT NULL,
          PRIMARY KEY (period_id, unit_code)
        );
        CREATE INDEX assessment_summaries_unit ON ${schema}.assessment_summaries (unit_code);
        CREATE INDEX assessment_summaries_queue ON ${schema}.assessment_summaries (status, submitted_at);

        CREATE TABLE ${schema}.assessment_criteria (
          period_id text NOT NULL,
          unit_code text NOT NULL,
          criterion_code text NOT NULL,
          self_answer jsonb,
          self_points double precision,
          evidence_refs jsonb NOT NULL DEFAULT '[]'::jsonb,
          explanation text,
          scored_by text,
          scored_at text,
          review_decision text,
          reviewed_answer jsonb,
          reviewed_points double precision,
          reason text,
          reviewed_by text,
          reviewed_at text,
          PRIMARY KEY (period_id, unit_code, criterion_code)
        );

        CREATE TABLE ${schema}.assessment_part_scores (
          period_id text NOT NULL,
          unit_code text NOT NULL,
          part_code text NOT NULL,
          tier text NOT NULL,
          max_points double precision NOT NULL,
          total double precision NOT NULL,
          excluded_points double precision NOT NULL,
          score double precision NOT NULL,
          level text,
          unanswered integer NOT NULL,
          PRIMARY KEY (period_id, unit_code, part_code)
        );

        CREATE TABLE ${schema}.assessment_periods (
          period_id text PRIMARY KEY,
          province_code text NOT NULL,
          year integer NOT NULL,
          status text NOT NULL,
          decision_number text,
          decision_date text
        );`,
    },
    {
      version: 2,
      name: 'effective answers per assessment',
      // Part scores are recomputed from these: aggregating ~100 criterion rows per assessment would
      // be most of the database's work when a recalculation run re-scores a national period.
      sql: (schema) => `
        CREATE TABLE ${schema}.assessment_answers (
          period_id text NOT NULL,
          unit_code text NOT NULL,
          answers jsonb NOT NULL,
          PRIMARY KEY (period_id, unit_code)
        );
        INSERT INTO ${schema}.assessment_answers (period_id, unit_code, answers)
        SELECT period_id, unit_code, jsonb_object_agg(criterion_code, COALESCE(reviewed_answer, self_answer))
        FROM ${schema}.assessment_criteria WHERE COALESCE(reviewed_answer, self_answer) IS NOT NULL
        GROUP BY period_id, unit_code;`,
    },
    {
      version: 3,
      name: 'evidence records instead of evidence strings',
      // Rows written before evidence files held plain strings: they become reference records, as the events' upcaster reads them.
      sql: (schema) => `
        ALTER TABLE ${schema}.assessment_criteria RENAME COLUMN evidence_refs TO evidence;
        UPDATE ${schema}.assessment_criteria SET evidence = (
          SELECT COALESCE(jsonb_agg(CASE WHEN jsonb_typeof(e) = 'string' THEN jsonb_build_object('kind', 'reference', 'reference', e) ELSE e END), '[]'::jsonb)
          FROM jsonb_array_elements(evidence) AS e)
        WHERE evidence <> '[]'::jsonb;`,
    },
    {
      version: 4,
      name: 'the assessment facts kept whole',
      // With status, tier, framework, revision and the answers, a summary holds an assessment's facts
      // (evolveAssessmentFacts), so that a batch folds on from them.
      sql: (schema) => `
        ALTER TABLE ${schema}.assessment_summaries ADD COLUMN recalculated_by jsonb NOT NULL DEFAULT '[]'::jsonb;
        ALTER TABLE ${schema}.assessment_summaries ADD COLUMN recalculated_parts jsonb;`,
    },
  ],
};
