/**
 * The sign-in benchmark of issue 16: sign-ins at a fixed rate (20/s) against the API over a fresh
 * PostgreSQL database, their p50/p99 beside the bare scrypt verification measured in the same run,
 * and the CPU the authorization check adds to a request once its caches are warm (session cookie,
 * and a signed token confirmed against its account). It prints and never fails on a timing.
 *
 *   npm run bench:sign-in -- [--rate 20] [--seconds 10]
 */
import { Command } from 'commander';
import { type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { request } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { AccountAuthenticatorService, OnboardingService, SCRYPT_PARAMETERS, decoyHash, verifyPassword } from '@tieuchi/accounts/feature';
import { startTestApp } from '../../apps/api/src/testing/test-app';

const password = 'mật-khẩu-benchmark-1';

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

function post(port: number, path: string, body: object): Promise<{ status: number; cookie: string | undefined }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, cookie: res.headers['set-cookie']?.[0]?.split(';')[0]?.split('=')[1] }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function main(): Promise<void> {
  const options = new Command('bench:sign-in').option('--rate <n>', 'sign-ins per second', Number, 20).option('--seconds <n>', 'duration of the fixed-rate phase', Number, 10).parse(process.argv).opts<{ rate: number; seconds: number }>();
  const log = (message: string): void => void process.stderr.write(`${message}\n`);
  const t = await startTestApp({ logLevel: 'error' });
  try {
    const server = t.app.getHttpServer() as import('node:http').Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const onboarding = t.app.get(OnboardingService);
    const logins: string[] = [];
    log('creating 20 accounts through invitation and activation…');
    for (let i = 0; i < 20; i += 1) {
      const login = `bench.${i}@tinh.gov.vn`;
      const link = await onboarding.invite({ login, name: `Bench ${i}`, grants: [{ role: 'auditor', provinceCode: '67' }], reason: null }, { kind: 'system' }, { actor: 'system:bench', correlationId: 'bench' });
      await onboarding.activate(new URL(link.activationLink!).searchParams.get('token')!, password, { correlationId: 'bench' });
      logins.push(login);
    }

    log('bare scrypt verification…');
    const stored = await decoyHash();
    const bare: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      const start = performance.now();
      await verifyPassword(password, stored);
      bare.push(performance.now() - start);
    }

    log(`sign-ins at ${options.rate}/s for ${options.seconds} s…`);
    // A shared machine's other work shows in every figure: the load is printed beside them.
    const loadBefore = loadavg()[0] ?? Number.NaN;
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    const total = options.rate * options.seconds;
    const began = performance.now();
    const pending: Promise<void>[] = [];
    let cookie: string | undefined;
    for (let i = 0; i < total; i += 1) {
      const due = began + (i * 1000) / options.rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      pending.push(
        post(port, '/auth/sign-in', { login: logins[i % logins.length], password }).then((res) => {
          // Open loop: latency from when the request was due, so a stalled server is not hidden.
          latencies.push(performance.now() - due);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          cookie ??= res.cookie;
        }),
      );
    }
    await Promise.all(pending);
    const loadAfter = loadavg()[0] ?? Number.NaN;

    log('authorization check per request, caches warm…');
    const authenticator = t.app.get(AccountAuthenticatorService);
    if (!cookie) throw new Error('no sign-in succeeded');
    await authenticator.session(cookie);
    const principal = { id: logins[0]!, roles: ['auditor' as const], unitCode: null, provinceCode: '67', national: false };
    const issuedAt = Math.floor(Date.now() / 1000);
    await authenticator.confirmSignedToken(principal, issuedAt);
    const rounds = 50_000;
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < rounds; i += 1) {
      await authenticator.session(cookie);
      await authenticator.confirmSignedToken(principal, issuedAt);
    }
    const cpu = process.cpuUsage(cpuBefore);
    const perCheckMs = (cpu.user + cpu.system) / 1000 / (rounds * 2);

    const rows = [
      ['scrypt parameters', `N=${SCRYPT_PARAMETERS.N}, r=${SCRYPT_PARAMETERS.r}, p=${SCRYPT_PARAMETERS.p} (${(128 * SCRYPT_PARAMETERS.N * SCRYPT_PARAMETERS.r) / 2 ** 20} MiB)`],
      ['bare verification p50 / p99', `${percentile(bare, 50).toFixed(1)} / ${percentile(bare, 99).toFixed(1)} ms`],
      [`sign-in at ${options.rate}/s p50 / p99`, `${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 99).toFixed(1)} ms (${latencies.length} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))})`],
      ['machine load (1-minute average, before / after the sign-ins)', `${loadBefore.toFixed(2)} / ${loadAfter.toFixed(2)} on ${availableParallelism()} cores`],
      ['authorization check, warm (session or signed token)', `${(perCheckMs * 1000).toFixed(1)} µs CPU per request (target ≤ 100 µs)`],
    ];
    const width = Math.max(...rows.map(([name]) => name!.length));
    process.stdout.write(`${rows.map(([name, value]) => `${name!.padEnd(width)}  ${value}`).join('\n')}\n`);
  } finally {
    await t.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
