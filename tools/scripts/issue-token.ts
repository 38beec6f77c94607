/**
 * Prints a bearer token for an active account, signed with the local key set under the data
 * folder (created if the API has not started yet, so the two always agree). The token names the
 * account; the API acts with the account's grants at each request (never the claims), while it
 * stays active and is not signed out everywhere. In embedded mode run it while the API is stopped
 * (PGlite admits one process), or sign in and create a personal API token instead.
 *
 *   npm run -s token admin@daknong
 *   curl -H "Authorization: Bearer $(npm run -s token editor.660@daknong)" …
 */
import { Command, InvalidArgumentError } from 'commander';
import { normalizeLogin } from '@tieuchi/accounts/domain';
import { openAccountsTooling, principalOfAccount } from '@tieuchi/accounts/feature';
import { DEFAULT_TOKEN_TTL_SECONDS, LocalKeySet, LocalTokenIssuer } from '@tieuchi/shared/auth';
import { loadConfig } from '@tieuchi/shared/config';

interface Options {
  readonly dataDir: string;
  readonly ttl: number;
}

const unitSeconds: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

function parseTtl(value: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(value.trim());
  const seconds = match ? Number(match[1]) * (unitSeconds[match[2] ?? ''] ?? 1) : NaN;
  if (!Number.isSafeInteger(seconds) || seconds <= 0) throw new InvalidArgumentError('expected seconds, or a number followed by s, m, h or d (e.g. 8h)');
  return seconds;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const program = new Command('token')
    .description('Print a bearer token for an active account, signed with the local key set of the embedded mode.')
    .argument('<login>', 'the account login, e.g. admin@daknong')
    .option('--data-dir <dir>', 'the data folder whose keys/ holds the local key set', config.dataDir)
    .option('--ttl <duration>', 'token lifetime: seconds, or a number with s, m, h or d', parseTtl, DEFAULT_TOKEN_TTL_SECONDS)
    .showHelpAfterError();
  program.parse(process.argv);
  const options = program.opts<Options>();
  const login = normalizeLogin(program.args[0] ?? '');
  if (config.authMode !== 'local') process.stderr.write('warning: AUTH_MODE is not local, so the API will not accept this token\n');
  const tooling = await openAccountsTooling({ ...config, dataDir: options.dataDir });
  let token: string;
  try {
    const { state } = await tooling.commands.load(login);
    if (state.status !== 'active') return program.error(`"${login}" is not an active account (${state.status === 'none' ? 'unknown' : state.status})`);
    const principal = principalOfAccount(state);
    if (principal.roles.length === 0) return program.error(`"${login}" holds no role, so a token would admit nothing`);
    const keySet = await LocalKeySet.loadOrCreate(options.dataDir);
    token = await new LocalTokenIssuer(keySet, { issuer: config.localIssuer, audience: config.localAudience }).issue(principal, { ttlSeconds: options.ttl });
  } finally {
    await tooling.close();
  }
  // The token alone on stdout, so $(npm run -s token …) captures exactly it.
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
