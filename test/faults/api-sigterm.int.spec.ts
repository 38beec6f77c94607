import { createTestDatabase, type TestDatabase } from '@tieuchi/shared/testing';
import { request } from 'node:http';
import { admin, provisionAccount, type ServiceProcess, sleep, startService, until } from './fault-harness';

/** One request on a connection of its own, as a client behind a load balancer sends a new one. */
function send(port: number, method: string, path: string, bearer: string, body?: object): Promise<{ status: number } | { error: string }> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      { host: '127.0.0.1', port, method, path, agent: false, headers: { authorization: bearer, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end(payload);
  });
}

describe('fault: SIGTERM to the API under load', () => {
  let database: TestDatabase;
  let api: ServiceProcess;

  beforeAll(async () => {
    database = await createTestDatabase('faults_sigterm');
    api = await startService('api', { EVENT_STORE: 'postgres', DATABASE_URL: database.connectionString, RUN_WORKER: 'true', SHUTDOWN_DRAIN_MS: '3000' });
    await until(async () => (await api.request('GET', '/health/ready')).status === 200, 90_000, 'API ready');
  }, 120_000);

  afterAll(async () => {
    await api?.stop('SIGKILL');
    await database?.drop();
  });

  it('withdraws readiness first, finishes every request it was sent and exits cleanly', async () => {
    await provisionAccount(database.connectionString, admin);
    const bearer = await api.bearer(admin);
    await until(async () => (await api.request('GET', '/audit/verify', { bearer })).status === 200, 30_000, 'admin account active');
    const answers: string[] = [];
    const accepted = { during: 0 };
    let signalled = false;
    let stop = false;
    // The load balancer: polls readiness and stops routing new requests here once it fails.
    let routing = true;
    const balancer = (async () => {
      while (!stop) {
        const ready = await send(api.port, 'GET', '/health/ready', bearer);
        if (!('status' in ready) || ready.status !== 200) routing = false;
        await sleep(100);
      }
    })();
    const client = async (index: number) => {
      for (let k = 0; !stop; k += 1) {
        if (!routing) {
          await sleep(50);
          continue;
        }
        const code = String(20_000 + index * 1_000 + k);
        const answer = await send(api.port, 'POST', '/units', bearer, { code, name: `Tỉnh ${code}`, type: 'tỉnh', tier: 'province', parentCode: null });
        const outcome = 'status' in answer ? String(answer.status) : answer.error;
        answers.push(outcome);
        if (signalled && outcome === '201') accepted.during += 1;
      }
    };
    const load = Promise.all(Array.from({ length: 20 }, (_, index) => client(index)));
    await sleep(1_500);
    api.child.kill('SIGTERM');
    signalled = true;
    const readiness = await send(api.port, 'GET', '/health/ready', bearer);
    const liveness = await send(api.port, 'GET', '/health/live', bearer);
    const exitCode = await Promise.race([api.exited(), sleep(40_000).then(() => 'timeout')]);
    const afterExit = await send(api.port, 'GET', '/health/live', bearer);
    stop = true;
    await Promise.all([load, balancer]);

    const cut = answers.filter((outcome) => outcome !== '201');
    process.stdout.write(
      `[faults] SIGTERM under load: ${answers.filter((o) => o === '201').length} commands answered 201 (${accepted.during} of them after the signal, while readiness said 503 until the balancer stopped routing), ${cut.length} cut or failed (${[...new Set(cut)].join(', ') || 'none'}); exit code ${String(exitCode)}\n`,
    );
    expect(readiness).toEqual({ status: 503 });
    expect(liveness).toEqual({ status: 200 });
    expect(accepted.during).toBeGreaterThan(0);
    expect(cut).toEqual([]);
    expect(exitCode).toBe(0);
    expect(afterExit).toEqual({ error: 'ECONNREFUSED' });
  }, 120_000);
});
