/**
 * Prints a bearer token for a demo user of the embedded mode, signed with the local key set under
 * the data folder (created if the API has not started yet, so the two always agree):
 *
 *   npm run -s token admin@daknong
 *   curl -H "Authorization: Bearer $(npm run -s token editor.660@daknong)" …
 *   npm run token -- --list
 */
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_TOKEN_TTL_SECONDS, DEMO_USERS, findDemoUser, LocalKeySet, LocalTokenIssuer } from '@tieuchi/shared/auth';
import { loadConfig } from '@tieuchi/shared/config';

interface Options {
  readonly dataDir: string;
  readonly ttl: number;
  readonly list?: boolean;
}

const unitSeconds: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

function parseTtl(value: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(value.trim());
  const seconds = match ? Number(match[1]) * (unitSeconds[match[2] ?? ''] ?? 1) : NaN;
  if (!Number.isSafeInteger(seconds) || seconds <= 0) throw new InvalidArgumentError('expected seconds, or a number followed by s, m, h or d (e.g. 8h)');
  return seconds;
}

function listUsers(): string {
  const width = Math.max(...DEMO_USERS.map((user) => user.id.length));
  return DEMO_USERS.map((user) => `${user.id.padEnd(width)}  ${user.roles.join(',').padEnd(12)}  ${(user.unitCode ?? '').padEnd(6)}  ${user.name}`).join('\n');
}

async function main(): Promise<void> {
  const config = loadConfig();
  const program = new Command('token')
    .description('Print a bearer token for a demo user, signed with the local key set of the embedded mode.')
    .argument('[user-id]', 'a demo user, e.g. admin@daknong or editor.660@daknong (see --list)')
    .option('--data-dir <dir>', 'the data folder whose keys/ holds the local key set', config.dataDir)
    .option('--ttl <duration>', 'token lifetime: seconds, or a number with s, m, h or d', parseTtl, DEFAULT_TOKEN_TTL_SECONDS)
    .option('--list', 'list the demo users and exit')
    .showHelpAfterError();
  program.parse(process.argv);
  const options = program.opts<Options>();
  const [userId] = program.args;

  if (options.list) {
    process.stdout.write(`${listUsers()}\n`);
    return;
  }
  if (!userId) return program.error('missing the user id; run with --list to see the demo users');
  const user = findDemoUser(userId);
  if (!user) return program.error(`"${userId}" is not a demo user; run with --list to see them`);
  if (config.authMode !== 'local') {
    process.stderr.write('warning: AUTH_MODE is not local, so the API will not accept this token\n');
  }
  const keySet = await LocalKeySet.loadOrCreate(options.dataDir);
  const issuer = new LocalTokenIssuer(keySet, { issuer: config.localIssuer, audience: config.localAudience });
  // The token alone on stdout, so $(npm run -s token …) captures exactly it.
  process.stdout.write(`${await issuer.issue(user, { ttlSeconds: options.ttl })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
