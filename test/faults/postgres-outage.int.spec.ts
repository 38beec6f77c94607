import { type PostgresServer, startPostgresServer } from '@tieuchi/shared/testing';
import { Client } from 'pg';
import { admin, provisionAccount, type Answer, type ServiceProcess, sleep, startService, until } from './fault-harness';

/**
 * PostgreSQL stopped (immediate: as if it crashed) and started again while 50 clients send
 * commands with Idempotency-Keys and retry. The database is a server of this test's own.
 */
describe('fault: PostgreSQL restarts under load', () => {
  const clients = 50;
  let pg: PostgresServer;
  let api: ServiceProcess;
  let bearer: string;

  beforeAll(async () => {
    pg = await startPostgresServer();
    api = await startService('api', { EVENT_STORE: 'postgres', DATABASE_URL: pg.url(), RUN_WORKER: 'true', METRICS_TOKEN: 'faults', DATABASE_POOL_SIZE: '20' });
    await until(async () => (await api.request('GET', '/health/ready')).status === 200, 90_000, 'API ready');
    await provisionAccount(pg.url(), admin);
    bearer = await api.bearer(admin);
    await until(async () => (await api.request('GET', '/audit/verify', { bearer })).status === 200, 30_000, 'admin account active');
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await pg?.destroy();
  });

  it('answers 503 with Retry-After meanwhile, recovers by itself, and applies every acknowledged command exactly once', async () => {
    const outcomes = new Map<string, 'acknowledged' | 'refused' | 'gave_up'>();
    const seen = { unavailable: 0, retryAfter: 0, retries: 0, networkErrors: 0, refusedCodes: new Set<string>() };
    let stopSending = false;

    /** One command, retried with the same key until it gets a definite answer. */
    const send = async (key: string, path: string, body: object): Promise<void> => {
      const deadline = performance.now() + 45_000;
      for (;;) {
        let answer: Answer | undefined;
        try {
          answer = await api.request('POST', path, { bearer, body, headers: { 'idempotency-key': key }, timeoutMs: 8_000 });
        } catch {
          seen.networkErrors += 1;
        }
        if (answer && answer.status < 300) return void outcomes.set(key, 'acknowledged');
        const retryable = !answer || answer.status >= 500 || (answer.status === 409 && answer.body.includes('IDEMPOTENCY_IN_PROGRESS'));
        if (answer && !retryable) {
          seen.refusedCodes.add(`${answer.status} ${(JSON.parse(answer.body) as { code?: string }).code}`);
          return void outcomes.set(key, 'refused');
        }
        if (answer?.status === 503) {
          seen.unavailable += 1;
          if (answer.headers.get('retry-after')) seen.retryAfter += 1;
        }
        if (performance.now() > deadline) return void outcomes.set(key, 'gave_up');
        seen.retries += 1;
        await sleep(Math.min(Number(answer?.headers.get('retry-after') ?? '0.2') * 1000, 500));
      }
    };

    const client = async (index: number): Promise<void> => {
      for (let k = 0; !stopSending && k < 99; k += 1) {
        const code = String(10_000 + index * 100 + k);
        await send(`register-${code}`, '/units', { code, name: `Tỉnh Thử ${code}`, type: 'tỉnh', tier: 'province', parentCode: null });
        if (outcomes.get(`register-${code}`) !== 'acknowledged') continue;
        await send(`rename-${code}`, `/units/${code}/rename`, { name: `Tỉnh Mới ${code}`, effectiveDate: '2025-07-01', decisionRef: `NQ ${code}` });
      }
    };

    const load = Promise.all(Array.from({ length: clients }, (_, index) => client(index)));
    await sleep(2_000);
    const stoppedAt = performance.now();
    await pg.stop('immediate');
    // During the outage: readiness down, liveness up.
    await until(async () => (await api.request('GET', '/health/ready')).status === 503, 10_000, 'readiness down');
    const live = await api.request('GET', '/health/live');
    const ready = await api.request('GET', '/health/ready');
    await sleep(3_000);
    await pg.start();
    const restartedAt = performance.now();
    const readyAfterMs = await until(async () => (await api.request('GET', '/health/ready')).status === 200, 60_000, 'readiness back');
    const acknowledgedBefore = [...outcomes.values()].filter((o) => o === 'acknowledged').length;
    const commandBackAfterMs = await until(async () => [...outcomes.values()].filter((o) => o === 'acknowledged').length > acknowledgedBefore, 60_000, 'a command acknowledged again');
    await sleep(3_000);
    stopSending = true;
    await load;

    expect(live.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'error', error: { eventStore: { status: 'down' } } });
    expect(seen.unavailable).toBeGreaterThan(0);
    expect(seen.retryAfter).toBe(seen.unavailable);

    // Every acknowledged command in the store exactly once; nothing in it twice.
    const db = new Client({ connectionString: pg.url() });
    await db.connect();
    try {
      const { rows } = await db.query<{ key: string; events: number }>(
        `SELECT metadata->>'causationId' AS key, count(*)::int AS events FROM event_store.events WHERE metadata->>'causationId' ~ '^(register|rename)-' GROUP BY 1`,
      );
      const stored = new Map(rows.map((row) => [row.key, row.events]));
      const acknowledged = [...outcomes].filter(([, outcome]) => outcome === 'acknowledged').map(([key]) => key);
      const lost = acknowledged.filter((key) => !stored.has(key));
      const duplicated = rows.filter((row) => row.events !== 1).map((row) => row.key);
      const gaveUp = [...outcomes.values()].filter((o) => o === 'gave_up').length;

      // The projections catch up: every checkpoint reaches the head, and the audit chain verifies.
      const caughtUpMs = await until(async () => {
        const metrics = await api.request('GET', '/metrics', { bearer: 'Bearer faults' });
        const lags = [...metrics.body.matchAll(/^tieuchi_projection_lag_events\{[^}]*\} (\d+)$/gm)].map((m) => Number(m[1]));
        return lags.length > 0 && lags.every((lag) => lag === 0);
      }, 60_000, 'projections caught up');
      const verified = await api.request('GET', '/audit/verify', { bearer });
      const audited = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM event_store.events`);

      process.stdout.write(
        `[faults] PostgreSQL outage: ${outcomes.size} commands sent by ${clients} clients, ${acknowledged.length} acknowledged, ${lost.length} lost, ${duplicated.length} duplicated, ` +
          `${[...outcomes.values()].filter((o) => o === 'refused').length} refused (${[...seen.refusedCodes].join(', ') || 'none'}), ${gaveUp} given up; ` +
          `${seen.unavailable} answers 503 (all with Retry-After), ${seen.networkErrors} network errors, ${seen.retries} retries; outage ${((restartedAt - stoppedAt) / 1000).toFixed(1)} s; ` +
          `ready ${(readyAfterMs / 1000).toFixed(1)} s and first command acknowledged ${(commandBackAfterMs / 1000).toFixed(1)} s after PostgreSQL was back; projections caught up ${(caughtUpMs / 1000).toFixed(1)} s later; ` +
          `audit chain ${verified.body}; ${audited.rows[0]?.n} events\n`,
      );
      expect(acknowledged.length).toBeGreaterThan(clients);
      expect(lost).toEqual([]);
      expect(duplicated).toEqual([]);
      expect(gaveUp).toBe(0);
      expect(seen.refusedCodes).toEqual(new Set());
      expect(verified.status).toBe(200);
      expect(JSON.parse(verified.body)).toMatchObject({ ok: true });
    } finally {
      await db.end();
    }
  }, 240_000);
});
