import { openAccountsTooling } from '@tieuchi/accounts/feature';
import { loadConfig } from '@tieuchi/shared/config';
import { type PostgresServer, startPostgresServer } from '@tieuchi/shared/testing';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grantsOfPrincipal } from '../../apps/api/src/testing/test-accounts';
import { captureAnswers, manifestOf, projectionCheckpoints, projectionsAtHead, runOpsScript, withClient } from './backup-restore';
import { admin, provisionAccount, type ServiceProcess, startService, until } from './fault-harness';

/**
 * The restore drill (README, Backup and restore): the Đắk Nông 2018/2019 history on a PostgreSQL
 * server of the test's own, every query answer captured, a backup, a restore into an empty new
 * server, every projection rebuilt from the events, and every answer compared. Then the read
 * models dropped and rebuilt, compared again.
 */
describe('restore drill on PostgreSQL', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'tieuchi-drill-'));
  const servers: PostgresServer[] = [];
  const services: ServiceProcess[] = [];
  let source: PostgresServer;
  let before: Map<string, unknown>;
  let bearer: string;
  let projections: string[];

  const envOf = (server: PostgresServer, dataDir: string) => ({ EVENT_STORE: 'postgres', DATABASE_URL: server.url(), DATA_DIR: dataDir });
  const startApi = async (server: PostgresServer, dataDir: string, args: readonly string[] = []): Promise<ServiceProcess> => {
    const api = await startService('api', { EVENT_STORE: 'postgres', DATABASE_URL: server.url(), RUN_WORKER: 'true', DATA_DIR: dataDir }, args);
    services.push(api);
    await until(async () => (await api.request('GET', '/health/ready')).status === 200, 90_000, 'API ready');
    return api;
  };
  const caughtUp = (server: PostgresServer, expected: readonly string[]) => until(() => projectionsAtHead(server.url(), expected), 90_000, 'projections at the head of the feed', 250);

  beforeAll(async () => {
    source = await startPostgresServer();
    servers.push(source);
    const api = await startApi(source, join(scratch, 'source'), ['--demo']);
    await provisionAccount(source.url(), admin);
    bearer = await api.bearer(admin);
    await until(async () => (await api.request('GET', '/audit/verify', { bearer })).status === 200, 30_000, 'admin account active');
    await caughtUp(source, []);
    projections = [...(await projectionCheckpoints(source.url())).keys()].sort();
    before = await captureAnswers(api, bearer);
    await api.stop();
  }, 180_000);

  afterAll(async () => {
    for (const service of services) await service.stop();
    for (const server of servers) await server.destroy();
    rmSync(scratch, { recursive: true, force: true });
  }, 120_000);

  it('restores into an empty server, rebuilds every projection and answers every query exactly as before', async () => {
    const target = await startPostgresServer();
    servers.push(target);
    const started = performance.now();
    await runOpsScript('backup', ['--out', join(scratch, 'backup')], envOf(source, join(scratch, 'source')));
    const manifest = manifestOf(join(scratch, 'backup'));
    const backedUp = performance.now();
    const restored = await runOpsScript('restore', ['--from', join(scratch, 'backup')], envOf(target, join(scratch, 'restored')));
    const restoredAt = performance.now();
    const restoredEvents = await withClient(target.url(), async (db) => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events')).rows[0]?.n));
    const readModels = await withClient(target.url(), async (db) => (await db.query(`SELECT nspname FROM pg_namespace WHERE nspname ~ '^(read_model|audit)'`)).rowCount);
    const api = await startApi(target, join(scratch, 'restored'));
    await caughtUp(target, projections);
    const rebuilt = performance.now();
    const after = await captureAnswers(api, bearer);

    process.stdout.write(
      `[faults] restore drill (Đắk Nông demo, ${manifest.events} events, ${before.size} answers): backup ${((backedUp - started) / 1000).toFixed(1)} s, ` +
        `restore ${((restoredAt - backedUp) / 1000).toFixed(1)} s (${restored.trim()}), ` +
        `start and rebuild ${projections.length} projections ${((rebuilt - restoredAt) / 1000).toFixed(1)} s\n`,
    );
    expect(readModels).toBe(0);
    expect(restoredEvents).toBe(manifest.events);
    expect(manifest.schemas).toEqual(['event_store', 'accounts', 'evidence', 'api', 'recalculation', 'process_managers']);
    expect(manifest.events).toBeGreaterThan(1000);
    expect(before.size).toBeGreaterThan(300);
    expect([...before].filter(([, answer]) => (answer as { status: number }).status !== 200)).toEqual([]);
    expect(after).toEqual(before);
    expect(after.get('/audit/verify')).toMatchObject({ status: 200, body: { ok: true } });

    // Restoring over data is refused.
    await expect(runOpsScript('restore', ['--from', join(scratch, 'backup')], envOf(target, join(scratch, 'again')))).rejects.toThrow(/restore needs an empty database/);
    await api.stop();
  }, 180_000);

  it('drops every read model and rebuilds them from the events with the same answers', async () => {
    const target = servers[1]!;
    const dropped = await runOpsScript('drop-read-models', ['--yes'], envOf(target, join(scratch, 'restored')));
    expect(dropped).toMatch(/^dropped audit, audit_v1, read_model;/);
    expect([...(await projectionCheckpoints(target.url())).keys()].filter((id) => /^(read_model|audit)/.test(id))).toEqual([]);
    const api = await startApi(target, join(scratch, 'restored'));
    await caughtUp(target, projections);
    const after = await captureAnswers(api, bearer);
    expect(after).toEqual(before);
    expect(after.get('/audit/verify')).toMatchObject({ status: 200, body: { ok: true } });
  }, 180_000);
});

/**
 * The same drill in embedded mode: the process stopped, DATA_DIR backed up (PGlite's folder, with
 * the evidence and the signing keys in it), restored into a new folder and started there.
 */
describe('restore drill in embedded mode (PGlite)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'tieuchi-drill-embedded-'));
  const services: ServiceProcess[] = [];
  const metricsToken = 'drill';

  const startEmbedded = async (dataDir: string, args: readonly string[] = []): Promise<ServiceProcess> => {
    const api = await startService('api', { EVENT_STORE: 'pglite', DATA_DIR: dataDir, METRICS_TOKEN: metricsToken }, args);
    services.push(api);
    await until(async () => (await api.request('GET', '/health/ready')).status === 200, 120_000, 'embedded API ready').catch((error: Error) => {
      throw new Error(`${error.message}; it said: ${api.output().slice(-3_000)}`);
    });
    return api;
  };
  /** PGlite is this process's database: the lag the API reports is the only look inside while it runs. */
  const caughtUp = (api: ServiceProcess) =>
    until(async () => {
      const metrics = await api.request('GET', '/metrics', { bearer: `Bearer ${metricsToken}` });
      const lags = [...metrics.body.matchAll(/^tieuchi_projection_lag_events\{[^}]*\} (\d+)$/gm)].map((match) => Number(match[1]));
      return lags.length > 0 && lags.every((lag) => lag === 0);
    }, 90_000, 'projections caught up', 250);

  afterAll(async () => {
    for (const service of services) await service.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('restores DATA_DIR into a new folder and answers every query exactly as before', async () => {
    const source = join(scratch, 'source');
    const envOf = (dataDir: string) => ({ EVENT_STORE: 'pglite', DATA_DIR: dataDir });
    // Embedded mode: accounts are provisioned with the process stopped, as npm run accounts:bootstrap does.
    mkdirSync(source, { recursive: true });
    const tooling = await openAccountsTooling({ ...loadConfig({}), eventStore: 'pglite', dataDir: source });
    try {
      await tooling.commands.execute(
        admin.id,
        { type: 'ProvisionAccount', data: { login: admin.id, name: admin.id, grants: grantsOfPrincipal(admin), reason: 'restore drill', actor: { kind: 'system' } } },
        { actor: 'system:test', correlationId: 'restore-drill' },
      );
    } finally {
      await tooling.close();
    }
    const api = await startEmbedded(source, ['--demo']);
    const bearer = await api.bearer(admin);
    await caughtUp(api);
    const before = await captureAnswers(api, bearer, { perAssessmentTrails: false });
    await api.stop();

    await runOpsScript('backup', ['--out', join(scratch, 'backup')], envOf(source));
    const manifest = manifestOf(join(scratch, 'backup'));
    const restored = await runOpsScript('restore', ['--from', join(scratch, 'backup')], envOf(join(scratch, 'restored')));
    const again = await startEmbedded(join(scratch, 'restored'));
    await caughtUp(again);
    const after = await captureAnswers(again, bearer, { perAssessmentTrails: false });

    expect(manifest.events).toBeGreaterThan(1000);
    expect(restored).toContain(`restored ${manifest.events} events`);
    expect(before.size).toBeGreaterThan(150);
    expect([...before].filter(([, answer]) => (answer as { status: number }).status !== 200)).toEqual([]);
    expect(after).toEqual(before);
    expect(after.get('/audit/verify')).toMatchObject({ status: 200, body: { ok: true } });
    await again.stop();
  }, 300_000);
});
