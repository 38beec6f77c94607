import { type PostgresServer, startPostgresServer } from '@tieuchi/shared/testing';
import { type ServiceProcess, sleep, startService, until } from './fault-harness';

/** PostgreSQL is not there yet when the API and the worker start (a compose stack, a rolling restart). */
describe('fault: PostgreSQL unreachable at start-up', () => {
  let pg: PostgresServer;
  const services: ServiceProcess[] = [];

  beforeAll(async () => {
    pg = await startPostgresServer({ start: false });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await pg?.destroy();
  });

  it('makes the API and the worker wait with backoff, saying why, and start once it is up', async () => {
    const env = { EVENT_STORE: 'postgres', DATABASE_URL: pg.url() };
    const api = await startService('api', { ...env, RUN_WORKER: 'false' });
    services.push(api);
    const worker = await startService('worker', { ...env, DATA_DIR: api.dataDir, LOG_LEVEL: 'info' });
    services.push(worker);
    const waiting = /PostgreSQL at 127\.0\.0\.1:\d+\/postgres unreachable: connect ECONNREFUSED[^"]*; waiting for it \(attempt (\d+), next in (\d+) ms\)/g;
    await until(async () => [...api.output().matchAll(waiting)].length >= 3 && [...worker.output().matchAll(waiting)].length >= 3, 30_000, 'three attempts reported');
    const delays = [...api.output().matchAll(waiting)].map((match) => Number(match[2]));
    expect(delays.slice(0, 3)).toEqual([500, 1000, 2000]);
    expect(api.child.exitCode).toBeNull();
    expect(worker.child.exitCode).toBeNull();

    await pg.start();
    const readyAfterMs = await until(async () => (await api.request('GET', '/health/ready')).status === 200, 60_000, 'API ready');
    await until(async () => worker.output().includes('tieuchi worker running projections'), 60_000, 'worker running');
    await sleep(200);
    expect(worker.child.exitCode).toBeNull();
    process.stdout.write(`[faults] PostgreSQL unreachable at start-up: API ready ${(readyAfterMs / 1000).toFixed(1)} s after PostgreSQL came up; attempts reported with delays ${delays.join(', ')} ms\n`);
  }, 180_000);
});
