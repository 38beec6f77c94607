import { auditTrailProjection, auditTrailRunnerOptions } from '@tieuchi/audit/feature';
import { createPostgresEventStore, PostgresSqlClient, type ProjectionHandler, RebuildableProjection } from '@tieuchi/shared/event-store';
import { testDatabaseUrl } from '@tieuchi/shared/testing';
import { loadavg } from 'node:os';
import { cpuSecondsBetween, cpuSecondsByPid } from './process-cpu';

/**
 * The audit trail alone, built from an empty schema on a database bench:rebuild kept (its audit
 * schemas are dropped first), timed with the time spent in each statement: for profiling the
 * handler, e.g. under `node --cpu-prof`. Usage: audit-trail-rebuild.profile.ts <database> [events] [--raw] [--catch-up-batch=<n>]
 * (--raw: the raw ordered read of the same events first, as bench:rebuild's baseline; --catch-up-batch:
 * events per batch while behind instead of the host's).
 */
async function main(): Promise<void> {
  const raw = process.argv.includes('--raw');
  const batchArg = process.argv.find((arg) => arg.startsWith('--catch-up-batch='));
  const catchUpBatchSize = batchArg ? Number(batchArg.slice('--catch-up-batch='.length)) : auditTrailRunnerOptions.catchUpBatchSize;
  const [name, limitArg] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  if (!name || !/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error('usage: audit-trail-rebuild.profile.ts <database> [events]');
  const limit = limitArg ? Number(limitArg) : Number.POSITIVE_INFINITY;
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  const sql = new PostgresSqlClient({ connectionString: url.toString(), maxConnections: 4 });
  const store = await createPostgresEventStore({ client: sql });
  const { rows } = await sql.query<{ n: string }>('SELECT count(*)::text AS n FROM event_store.events');
  const total = Math.min(Number(rows[0]?.n ?? 0), limit);
  const schemas = await sql.query<{ name: string }>(`SELECT nspname AS name FROM pg_namespace WHERE nspname = 'audit' OR nspname LIKE 'audit\\_v%'`);
  for (const { name: schema } of schemas.rows) await sql.query(`DROP SCHEMA "${schema}" CASCADE`);
  await sql.query(`DELETE FROM read_model.projection_versions WHERE projection_id = 'audit-trail'`).catch(() => undefined);

  if (raw) {
    const at = performance.now();
    let checkpoint: string | null = null;
    let read = 0;
    for (;;) {
      const page = await store.readAll(checkpoint, 1_000);
      read += page.events.length;
      if (page.events.length === 0 || page.checkpoint === null || read >= total) break;
      checkpoint = page.checkpoint;
    }
    process.stdout.write(`raw ordered read of ${read} events in ${((performance.now() - at) / 1000).toFixed(1)} s\n`);
  }
  let handlerMs = 0;
  const statements = new Map<string, number>();
  let handled = 0;
  const definition = {
    ...auditTrailProjection,
    handler: (schema: string): ProjectionHandler => {
      const inner = auditTrailProjection.handler(schema);
      return async (events, tx) => {
        const started = performance.now();
        const timedTx: typeof tx = {
          exec: (script) => tx.exec(script),
          query: async (text, params) => {
            const at = performance.now();
            try {
              return await tx.query(text, params);
            } finally {
              const key = text.replace(/\s+/g, ' ').trim().slice(0, 60);
              statements.set(key, (statements.get(key) ?? 0) + performance.now() - at);
            }
          },
        };
        await inner(events, timedTx);
        handlerMs += performance.now() - started;
        handled += events.length;
      };
    },
  };
  const projection = new RebuildableProjection({ definition, source: store, database: sql, ...auditTrailRunnerOptions, catchUpBatchSize, pollIntervalMs: 50, syncIntervalMs: 200 });
  process.stderr.write(`load ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${total} events, ${catchUpBatchSize} a batch while behind\n`);
  const backendsBefore = cpuSecondsByPid('postgres');
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await projection.start();
  let lastLog = started;
  while (handled < total) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      process.stderr.write(`${handled} events, ${((lastLog - started) / 1000).toFixed(1)} s, handler ${(handlerMs / 1000).toFixed(1)} s\n`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  // This database's backends only: the machine is shared with other databases' work.
  const ours = await sql.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
  const backendsAfter = new Map([...cpuSecondsByPid('postgres')].filter(([pid]) => ours.rows.some((row) => row.pid === pid)));
  await projection.stop();
  process.stdout.write(
    `audit trail from empty: ${handled} events in ${seconds.toFixed(1)} s (${Math.round(handled / seconds)} /s), handler ${(handlerMs / 1000).toFixed(1)} s; load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
  process.stdout.write(
    `CPU: this process ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, its database backends ${cpuSecondsBetween(backendsBefore, backendsAfter).toFixed(1)} s\n`,
  );
  for (const [key, ms] of [...statements].sort((a, b) => b[1] - a[1])) process.stdout.write(`${(ms / 1000).toFixed(1).padStart(7)} s  ${key}\n`);
  await store.close();
  await sql.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
