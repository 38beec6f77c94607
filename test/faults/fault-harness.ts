import { openAccountsTooling } from '@tieuchi/accounts/feature';
import { grantsOfPrincipal } from '../../apps/api/src/testing/test-accounts';
import { LocalKeySet, LocalTokenIssuer, type Principal } from '@tieuchi/shared/auth';
import { type AppConfig, loadConfig } from '@tieuchi/shared/config';
import { sparePort } from '@tieuchi/shared/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { builtServiceEntry } from '../benchmarks/built-services';

const workspaceRoot = resolve(__dirname, '..', '..');

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/** A service process started from dist/ as `npm start` runs it, on a port and data folder of its own. */
export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly dataDir: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  request(method: string, path: string, options?: { bearer?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number }): Promise<Answer>;
  bearer(principal: Principal): Promise<string>;
  exited(): Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** `nodeArgs` go to node itself, before the entry (e.g. `--cpu-prof`, which NODE_OPTIONS does not take). */
export async function startService(service: 'api' | 'worker', env: Record<string, string>, args: readonly string[] = [], nodeArgs: readonly string[] = []): Promise<ServiceProcess> {
  const port = await sparePort();
  const dataDir = env['DATA_DIR'] ?? mkdtempSync(join(tmpdir(), `tieuchi-fault-${service}-`));
  const child = spawn(process.execPath, [...nodeArgs, builtServiceEntry(service), ...args], {
    cwd: workspaceRoot,
    env: { ...process.env, REDIS_URL: '', LOG_LEVEL: 'warn', LOG_FORMAT: 'json', SHUTDOWN_DRAIN_MS: '0', PORT: String(port), DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exit = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  let issuer: LocalTokenIssuer | undefined;
  const process_: ServiceProcess = {
    child,
    port,
    dataDir,
    output: () => output,
    request: async (method, path, options = {}) => {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (options.bearer) headers['authorization'] = options.bearer;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      return { status: response.status, headers: response.headers, body: await response.text() };
    },
    bearer: async (principal) => {
      const config = loadConfig();
      issuer ??= new LocalTokenIssuer(await LocalKeySet.loadOrCreate(dataDir), { issuer: config.localIssuer, audience: config.localAudience });
      return `Bearer ${await issuer.issue(principal)}`;
    },
    exited: () => exit,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exit;
      clearTimeout(timer);
      if (!env['DATA_DIR']) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
  return process_;
}

export async function until(check: () => Promise<boolean>, timeoutMs: number, what: string, everyMs = 100): Promise<number> {
  const started = performance.now();
  while (!(await check().catch(() => false))) {
    if (performance.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(everyMs);
  }
  return performance.now() - started;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}

export const admin: Principal = { id: 'admin@faults', roles: ['admin'], unitCode: null, provinceCode: null, national: true };

/**
 * Signed tokens are honoured only for active accounts: provisions the principal's account in the
 * service's database through the accounts commands (as apps/api/src/testing/test-accounts.ts does).
 */
export async function provisionAccount(databaseUrl: string, principal: Principal): Promise<void> {
  await provisionWith({ ...loadConfig(), eventStore: 'postgres', databaseUrl }, principal);
}

/** The same on an embedded data folder (PGlite), while no process holds it. */
export async function provisionEmbeddedAccount(dataDir: string, principal: Principal): Promise<void> {
  await provisionWith({ ...loadConfig(), eventStore: 'pglite', dataDir }, principal);
}

async function provisionWith(config: AppConfig, principal: Principal): Promise<void> {
  const tooling = await openAccountsTooling(config);
  try {
    await tooling.commands.execute(
      principal.id,
      { type: 'ProvisionAccount', data: { login: principal.id, name: principal.id, grants: grantsOfPrincipal(principal), reason: 'fault test set-up', actor: { kind: 'system' } } },
      { actor: 'system:test', correlationId: 'fault-test-set-up' },
    );
  } finally {
    await tooling.close();
  }
}

/** Every projection's lag in events, from the service's /metrics (METRICS_TOKEN=faults). */
export async function projectionLags(service: ServiceProcess): Promise<number[]> {
  const metrics = await service.request('GET', '/metrics', { bearer: 'Bearer faults' });
  return [...metrics.body.matchAll(/^tieuchi_projection_lag_events\{[^}]*\} (\d+)$/gm)].map((m) => Number(m[1]));
}
