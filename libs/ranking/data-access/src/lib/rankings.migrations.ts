import type { SqlMigrationSet } from '@tieuchi/shared/event-store';

/** Persisted id of the projection that keeps these tables. */
export const RANKINGS_PROJECTION_ID = 'rankings.v1';

/**
 * Edition 0 is the working ranking: provisional before publication, and after it the provisional
 * corrected ranking (recalculations, revised appeals) until a correction decision freezes it.
 * Edition n ≥ 1 is the one fixed by the n-th decision.
 */
export const WORKING_EDITION = 0;

/**
 * NOTIFY channel on which the rankings projection announces, in the transaction that writes it, a
 * new official edition (a publication or a correction): readers that hold "which editions exist"
 * in memory drop it when the transaction commits.
 */
export const RANKING_EDITIONS_CHANNEL = 'tieuchi_ranking_editions';

/**
 * The ranking read model (schema `read_model`). The projection keeps its own copy of what it
 * ranks (periods, units, merges, part scores) so that it can be rebuilt on its own. Each
 * publication or correction freezes a new edition; earlier ones stay readable.
 */
export const rankingsMigrations: SqlMigrationSet = {
  component: 'rankings',
  migrations: [
    {
      version: 1,
      name: 'rankings',
      sql: (schema) => `
        CREATE TABLE ${schema}.ranking_periods (
          period_id text PRIMARY KEY,
          province_code text NOT NULL,
          year integer NOT NULL,
          framework_id text NOT NULL,
          framework_version integer NOT NULL,
          decisions integer NOT NULL DEFAULT 0
        );
        CREATE INDEX ranking_periods_province_year ON ${schema}.ranking_periods (province_code, year);

        CREATE TABLE ${schema}.ranking_units (
          unit_code text PRIMARY KEY,
          name text NOT NULL,
          tier text NOT NULL
        );

        CREATE TABLE ${schema}.ranking_merges (
          successor_code text NOT NULL,
          effective_date text NOT NULL,
          predecessor_codes jsonb NOT NULL,
          comparison_rule text NOT NULL,
          PRIMARY KEY (successor_code, effective_date)
        );

        CREATE TABLE ${schema}.ranking_assessments (
          stream_name text PRIMARY KEY,
          period_id text NOT NULL,
          unit_code text NOT NULL,
          tier text NOT NULL,
          status text NOT NULL,
          framework_id text NOT NULL,
          framework_version integer NOT NULL,
          answers jsonb NOT NULL DEFAULT '{}'::jsonb
        );

        CREATE TABLE ${schema}.ranking_part_scores (
          period_id text NOT NULL,
          unit_code text NOT NULL,
          tier text NOT NULL,
          part_code text NOT NULL,
          score double precision NOT NULL,
          level text,
          PRIMARY KEY (period_id, unit_code, part_code)
        );

        CREATE TABLE ${schema}.ranking_tables (
          period_id text NOT NULL,
          edition integer NOT NULL,
          tier text NOT NULL,
          part_code text NOT NULL,
          decision_number text,
          decision_date text,
          counts jsonb NOT NULL,
          PRIMARY KEY (period_id, edition, tier, part_code)
        );

        CREATE TABLE ${schema}.ranking_rows (
          period_id text NOT NULL,
          edition integer NOT NULL,
          tier text NOT NULL,
          part_code text NOT NULL,
          position integer NOT NULL,
          rank integer,
          unit_code text NOT NULL,
          unit_name text NOT NULL,
          score double precision NOT NULL,
          level text,
          previous_score double precision,
          previous_source text,
          change double precision,
          PRIMARY KEY (period_id, edition, tier, part_code, position)
        );`,
    },
    {
      version: 2,
      name: 'recalculated scores and pending corrections',
      // recalculated: the parts of the assessment's latest ScoresRecalculated, until an answer changes again.
      // correction_pending: the working ranking of a published period has moved away from the official edition.
      sql: (schema) => `
        ALTER TABLE ${schema}.ranking_assessments ADD COLUMN recalculated jsonb;
        ALTER TABLE ${schema}.ranking_periods ADD COLUMN correction_pending boolean NOT NULL DEFAULT false;`,
    },
    {
      version: 3,
      name: 'the previous-year decision a ranking compares with',
      // compared_with: { periodId, decision: { number, date } } of the previous year's official edition
      // the changes were taken against (R-PREVIOUS-OFFICIAL); null when there was none.
      sql: (schema) => `ALTER TABLE ${schema}.ranking_tables ADD COLUMN compared_with jsonb;`,
    },
    {
      version: 4,
      name: 'the assessment facts kept whole',
      // A row holds an assessment's facts (evolveAssessmentFacts), so that a batch folds on from them;
      // recalculated holds the parts of the last recalculation while no answer followed it.
      sql: (schema) => `
        ALTER TABLE ${schema}.ranking_assessments ADD COLUMN revision integer NOT NULL DEFAULT 0;
        ALTER TABLE ${schema}.ranking_assessments ADD COLUMN recalculated_by jsonb NOT NULL DEFAULT '[]'::jsonb;`,
    },
    {
      version: 5,
      name: 'units by province and the units a publication excluded',
      // ranking_units learns each unit's parent and lifetime, which the rows written so far lack:
      // the tables are emptied and the projection replays the feed from its start to fill them.
      // ranking_exclusions: the units a publication named as not assessed, with its reasons.
      sql: (schema) => `
        ALTER TABLE ${schema}.ranking_units ADD COLUMN parent_code text, ADD COLUMN began_on text, ADD COLUMN ended_on text;
        CREATE INDEX ranking_units_parent ON ${schema}.ranking_units (parent_code);
        CREATE TABLE ${schema}.ranking_exclusions (
          period_id text NOT NULL,
          unit_code text NOT NULL,
          unit_name text NOT NULL,
          tier text NOT NULL,
          reason text NOT NULL,
          PRIMARY KEY (period_id, unit_code)
        );
        TRUNCATE ${schema}.ranking_periods, ${schema}.ranking_units, ${schema}.ranking_merges, ${schema}.ranking_assessments,
          ${schema}.ranking_part_scores, ${schema}.ranking_tables, ${schema}.ranking_rows;
        -- On a new database the checkpoints table comes later, with the projection runner: nothing to reset then.
        DO $$ BEGIN
          IF to_regclass('${schema}.projection_checkpoints') IS NOT NULL THEN
            DELETE FROM ${schema}.projection_checkpoints WHERE projection_id = '${RANKINGS_PROJECTION_ID}';
          END IF;
        END $$;`,
    },
    {
      version: 6,
      name: 'years imported from published decisions',
      // imported: a year the province published before tieuchi (PastResultsImported), kept as a
      // period imported-{province}-{year} with one official edition and no assessments.
      sql: (schema) => `ALTER TABLE ${schema}.ranking_periods ADD COLUMN imported boolean NOT NULL DEFAULT false;`,
    },
    {
      version: 7,
      name: 'periods whose working ranking waits for the head',
      // ranking_pending: touched while the projection was catching up; re-ranked once it reaches the head.
      sql: (schema) => `ALTER TABLE ${schema}.ranking_periods ADD COLUMN ranking_pending boolean NOT NULL DEFAULT false;`,
    },
  ],
};

/** The period a province's imported year is kept as in the rankings read model. */
export const importedPeriodId = (provinceCode: string, year: number): string => `imported-${provinceCode}-${year}`;
