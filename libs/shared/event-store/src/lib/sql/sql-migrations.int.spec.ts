import { useTestSchema } from '@tieuchi/shared/testing';
import { PostgresSqlClient } from './postgres-sql-client';
import { applyMigrations, type SqlMigrationSet } from './sql-migrations';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SQL migrations on PostgreSQL', () => {
  const schema = useTestSchema('migrations');

  it('applies a set once when another process created the schema while this one waited for the lock', async () => {
    const target = `${schema().name}_race`;
    const marker = `migration-race-${target}`;
    // The first process's only step holds the migration lock long enough for the second to queue behind it.
    const set: SqlMigrationSet = {
      component: 'race',
      migrations: [{ version: 1, name: 'things', sql: (s) => `/* ${marker} */ SELECT pg_sleep(0.4); CREATE TABLE ${s}.things (id integer PRIMARY KEY);` }],
    };
    const first = new PostgresSqlClient({ connectionString: schema().connectionString, maxConnections: 1 });
    const second = new PostgresSqlClient({ connectionString: schema().connectionString, maxConnections: 1 });
    try {
      // The second process has already dropped a leftover of the schema, as a projection rebuild
      // does before building a version. PostgreSQL remembers in the session's catalog cache that the
      // name was missing, and waiting for an advisory lock does not refresh that cache.
      await second.transaction((tx) => tx.exec(`DROP SCHEMA IF EXISTS ${target} CASCADE`));

      const firstRun = applyMigrations(first, target, set);
      // Only once the first holds the lock (it is inside its step) does the second start.
      let firstHoldsLock = false;
      const deadline = Date.now() + 10_000;
      while (!firstHoldsLock && Date.now() < deadline) {
        const active = await second.query<{ count: string }>(
          `SELECT count(*)::text AS count FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1`,
          [`%${marker}%pg_sleep%`],
        );
        firstHoldsLock = active.rows[0]?.count !== '0';
        if (!firstHoldsLock) await sleep(10);
      }
      expect(firstHoldsLock).toBe(true);
      const secondRun = applyMigrations(second, target, set);

      const [firstApplied, secondApplied] = await Promise.all([firstRun, secondRun]);
      expect(firstApplied).toEqual([1]);
      expect(secondApplied).toEqual([]);
      const applied = await second.query<{ count: string }>(`SELECT count(*)::text AS count FROM ${target}.schema_migrations WHERE component = 'race'`);
      expect(applied.rows[0]?.count).toBe('1');
    } finally {
      await first.exec(`DROP SCHEMA IF EXISTS ${target} CASCADE`).catch(() => undefined);
      await Promise.all([first.close(), second.close()]);
    }
  }, 30_000);
});
