import { assertSqlIdentifier, type SqlClient } from './sql-client';

/** One forward-only step. `sql` receives the quoted schema name and returns the statements. */
export interface SqlMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: (schema: string) => string;
}

/** A named, ordered list of migrations (`event-store`, `projections`, a read model's own). */
export interface SqlMigrationSet {
  readonly component: string;
  readonly migrations: readonly SqlMigration[];
}

/**
 * Applies the missing migrations of `set` in `schema`, creating the schema when missing. Runs in
 * one transaction under an advisory lock, so processes starting together apply each step once;
 * the same SQL serves PGlite, where the lock is trivially free.
 */
export async function applyMigrations(client: SqlClient, schema: string, set: SqlMigrationSet): Promise<number[]> {
  assertSqlIdentifier(schema, 'schema');
  return client.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`tieuchi:migrations:${schema}`]);
    // Ask the catalog itself whether the schema exists, now that the lock is held. The session's
    // catalog cache may still hold "no such schema" from an earlier statement on this pooled
    // connection (a DROP SCHEMA IF EXISTS), and waiting for an advisory lock does not refresh it:
    // CREATE SCHEMA IF NOT EXISTS would then collide with the schema the lock's previous holder
    // created (23505 on pg_namespace). Reading pg_namespace locks it, which takes in those changes.
    const existing = await tx.query<{ found: boolean }>('SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1) AS found', [schema]);
    await tx.exec(`
      ${existing.rows[0]?.found === true ? '' : `CREATE SCHEMA ${schema};`}
      CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
        component text NOT NULL,
        version integer NOT NULL,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (component, version)
      );`);
    const applied = await tx.query<{ version: number }>(
      `SELECT version FROM ${schema}.schema_migrations WHERE component = $1`,
      [set.component],
    );
    const done = new Set(applied.rows.map((row) => Number(row.version)));
    const newlyApplied: number[] = [];
    for (const migration of [...set.migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql(schema));
      await tx.query(`INSERT INTO ${schema}.schema_migrations (component, version, name) VALUES ($1, $2, $3)`, [
        set.component,
        migration.version,
        migration.name,
      ]);
      newlyApplied.push(migration.version);
    }
    return newlyApplied;
  });
}
