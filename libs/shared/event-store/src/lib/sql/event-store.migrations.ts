import type { SqlMigrationSet } from './sql-migrations';

/**
 * The event store schema, following ARCHITECTURE.md §2.1: the sequence gives positions at insert
 * time, the xid8 transaction id lets readers fence off transactions that have not finished, and
 * readers order by (transaction_id, global_position). `streams` holds each stream's version so
 * optimistic concurrency is a single conditional row update that concurrent writers queue on.
 */
export const eventStoreMigrations: SqlMigrationSet = {
  component: 'event-store',
  migrations: [
    {
      version: 1,
      name: 'events, streams, subscription checkpoints',
      sql: (schema) => `
        CREATE TABLE ${schema}.streams (
          stream_name text PRIMARY KEY,
          version integer NOT NULL
        );
        CREATE SEQUENCE ${schema}.events_global_position_seq AS bigint;
        CREATE TABLE ${schema}.events (
          global_position bigint NOT NULL DEFAULT nextval('${schema}.events_global_position_seq') PRIMARY KEY,
          transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
          stream_name text NOT NULL,
          version integer NOT NULL,
          event_id uuid NOT NULL,
          type text NOT NULL,
          data jsonb NOT NULL,
          metadata jsonb NOT NULL,
          recorded_at timestamptz NOT NULL DEFAULT now(),
          CONSTRAINT events_event_id_key UNIQUE (event_id),
          CONSTRAINT events_stream_version_key UNIQUE (stream_name, version)
        );
        ALTER SEQUENCE ${schema}.events_global_position_seq OWNED BY ${schema}.events.global_position;
        CREATE INDEX events_transaction_position_idx ON ${schema}.events (transaction_id, global_position);
        CREATE TABLE ${schema}.subscription_checkpoints (
          processor_id text PRIMARY KEY,
          checkpoint text,
          updated_at timestamptz NOT NULL DEFAULT now()
        );`,
    },
  ],
};

