import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sparePort } from './spare-port';

const run = promisify(execFile);

/**
 * A PostgreSQL server of a test's own (initdb into a temporary folder, pg_ctl on a spare port),
 * for tests that stop, restart or kill the database: the shared server of the rest of the suite is
 * never touched. Trust authentication on 127.0.0.1, user `postgres`, database `postgres`.
 */
export interface PostgresServer {
  readonly port: number;
  readonly dataDir: string;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  /** `fast`: disconnects clients and shuts down cleanly; `immediate`: like a crash (recovery on start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its files. */
  destroy(): Promise<void>;
}

/** The newest Debian PostgreSQL binaries (/usr/lib/postgresql/<version>/bin), or those on PATH. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((name) => existsSync(join(root, name, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

/** `port`: a port chosen beforehand (e.g. one a service already tries to reach); `start: false` leaves it stopped. */
export async function startPostgresServer(options: { port?: number; start?: boolean } = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const tool = (name: string) => (bin ? join(bin, name) : name);
  const root = mkdtempSync(join(tmpdir(), 'tieuchi-pg-'));
  const dataDir = join(root, 'data');
  // PostgreSQL refuses to run as root (CI runs as root): run its tools as the postgres user then.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(root, Number(stdout.trim()), Number(gid.trim()));
    chmodSync(root, 0o700);
  }
  const exec = (file: string, args: readonly string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', file, ...args]) : run(file, [...args]));
  const port = options.port ?? (await sparePort());
  await exec(tool('initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const serverOptions = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200`;
  const server: PostgresServer = {
    port,
    dataDir,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start: async () => {
      await exec(tool('pg_ctl'), ['-D', dataDir, '-o', serverOptions, '-l', join(root, 'server.log'), '-w', '-t', '60', 'start']);
    },
    stop: async (mode = 'fast') => {
      await exec(tool('pg_ctl'), ['-D', dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
    },
    destroy: async () => {
      await server.stop('immediate').catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
  if (options.start !== false) await server.start();
  return server;
}
