import type { SqlMigrationSet } from '@tieuchi/shared/event-store';

/** Persisted identifier of the audit trail projection (checkpoints, `projection_versions`, admin routes). */
export const auditTrailProjectionId = 'audit-trail';

/** Queries read `audit.audit_events`, a view on the live version's table (`audit_v<n>.audit_events`). */
export const auditSchema = 'audit';
export const auditEventsTable = 'audit_events';
/** Bump to have every process rebuild the trail at start (the old version serves until the new one is live). */
export const auditTrailVersion = 1;

/**
 * One row per event of the global feed, in feed order. `position` is the row's place in the feed
 * (1, 2, 3 … with no gaps, so a deleted row breaks the chain); `checkpoint` is the event's own.
 * Times are kept as the ISO text the events carry, so the hashed content reads back byte for byte.
 */
export const auditTrailMigrations: SqlMigrationSet = {
  component: 'audit-trail',
  migrations: [
    {
      version: 1,
      name: 'audit events',
      sql: (schema) => `
        CREATE TABLE ${schema}.audit_events (
          position bigint PRIMARY KEY,
          checkpoint text NOT NULL,
          event_id text NOT NULL UNIQUE,
          stream text NOT NULL,
          stream_version integer NOT NULL,
          type text NOT NULL,
          actor text NOT NULL,
          occurred_at text NOT NULL,
          recorded_at text NOT NULL,
          correlation_id text NOT NULL,
          causation_id text NOT NULL,
          summary text NOT NULL,
          before jsonb NOT NULL,
          after jsonb NOT NULL,
          reason text,
          previous_hash text NOT NULL,
          hash text NOT NULL
        );
        CREATE INDEX audit_events_stream ON ${schema}.audit_events (stream, position);`,
    },
    {
      version: 2,
      name: 'latest value of every subject',
      // What a change starts from when its event does not carry it: one key lookup, instead of a
      // backwards search of the stream's rows that grows with the stream.
      sql: (schema) => `
        CREATE TABLE ${schema}.audit_latest_values (
          stream text NOT NULL,
          subject text NOT NULL,
          value jsonb NOT NULL,
          PRIMARY KEY (stream, subject)
        );
        INSERT INTO ${schema}.audit_latest_values (stream, subject, value)
        SELECT DISTINCT ON (e.stream, kv.key) e.stream, kv.key, kv.value
        FROM ${schema}.audit_events e, jsonb_each(e.after) AS kv
        ORDER BY e.stream, kv.key, e.position DESC;`,
    },
    {
      version: 3,
      name: 'latest values read from the stream',
      // The projection keeps the values of the streams it works on in memory and reads a stream's
      // rows only when it does not have them; keeping this table up to date cost more than that.
      sql: (schema) => `DROP TABLE ${schema}.audit_latest_values;`,
    },
    {
      version: 4,
      name: 'no index on event ids',
      // It took half of every batch's insert (a random entry checked and placed per row) and no query
      // reads by event id: the runner's checkpoint, moved in the batch's transaction, is what keeps
      // an event from being recorded twice, and the handler refuses a batch holding the last row's event.
      sql: (schema) => `ALTER TABLE ${schema}.audit_events DROP CONSTRAINT audit_events_event_id_key;`,
    },
  ],
};
