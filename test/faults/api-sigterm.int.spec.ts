import { createTestDatabase, type TestDatabase } from '@tieuchi/shared/testing';
import { request } from 'node:http';
import { admin, type ServiceProcess, sleep, startService, until } from './fault-harness';

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
    api = await startService('api', { EVENT_STORE: 'postgres', DATABASE_URL: database.connectionString, RUN_WORKER: 'true', SHUTDOWN_DRAIN_MS: '1500' });
    await until(async () => (await api.request('GET', '/health/ready')).status === 200, 90_000, 'API ready');
  }, 120_000);

  afterAll(async () => {
    await api?.stop('SIGKILL');
    await database?.drop();
  });

  it('withdraws readiness first, finishes every accepted request and only then refuses connections', async () => {
    const bearer = await api.bearer(admin);
    const answers: string[] = [];
    const accepted = { during: 0 };
    let draining = false;
    let stop = false;
    const client = async (index: number) => {
      for (let k = 0; !stop; k += 1) {
        const code = String(20_000 + index * 1_000 + k);
        const answer = await send(api.port, 'POST', '/units', bearer, { code, name: `Tỉnh ${code}`, type: 'tỉnh', tier: 'province', parentCode: null });
        const outcome = 'status' in answer ? String(answer.status) : answer.error;
        answers.push(outcome);
        if (draining && outcome === '201') accepted.during += 1;
        if (outcome === 'ECONNREFUSED') return;
      }
    };
    const load = Promise.all(Array.from({ length: 20 }, (_, index) => client(index)));
    await sleep(1_500);
    api.child.kill('SIGTERM');
    draining = true;
    const readiness = await send(api.port, 'GET', '/health/ready', bearer);
    const liveness = await send(api.port, 'GET', '/health/live', bearer);
    const exitCode = await Promise.race([api.exited(), sleep(40_000).then(() => 'timeout')]);
    stop = true;
    await load;

    const cut = answers.filter((outcome) => outcome !== '201' && outcome !== 'ECONNREFUSED');
    process.stdout.write(
      `[faults] SIGTERM under load: ${answers.filter((o) => o === '201').length} commands answered 201 (${accepted.during} of them after the signal), ${answers.filter((o) => o === 'ECONNREFUSED').length} new connections refused after the drain, ${cut.length} cut or failed; exit code ${String(exitCode)}\n`,
    );
    expect(readiness).toEqual({ status: 503 });
    expect(liveness).toEqual({ status: 200 });
    expect(accepted.during).toBeGreaterThan(0);
    expect(cut).toEqual([]);
    expect(exitCode).toBe(0);
  }, 120_000);
});
