/**
 * Creates the first administrator of a deployment, or of a new province, and prints its one-time
 * activation link (once: only its digest is kept). Run it with the API stopped in embedded mode.
 *
 *   npm run -s accounts:bootstrap -- --login admin@daknong.gov.vn --name "Quản trị Sở KH&CN" --province 67
 *   npm run -s accounts:bootstrap -- --login admin@bo.gov.vn --name "Quản trị Bộ" --national
 */
import { Command } from 'commander';
import { bootstrapAdmin, openAccountsTooling } from '@tieuchi/accounts/feature';
import { loadConfig } from '@tieuchi/shared/config';

interface Options {
  readonly login: string;
  readonly name: string;
  readonly province?: string;
  readonly national?: boolean;
}

async function main(): Promise<void> {
  const program = new Command('accounts:bootstrap')
    .description('Create the first administrator and print its one-time activation link.')
    .requiredOption('--login <email>', 'the administrator login (e-mail)')
    .requiredOption('--name <name>', 'the display name')
    .option('--province <code>', 'the province administered (mã ĐVHC cấp tỉnh, e.g. 67)')
    .option('--national', 'administer every province')
    .showHelpAfterError();
  program.parse(process.argv);
  const options = program.opts<Options>();
  if ((options.province === undefined) === (options.national !== true)) return program.error('give exactly one of --province <code> or --national');
  if (options.province !== undefined && !/^[0-9]{2,5}$/.test(options.province)) return program.error('--province must be an official code of 2–5 digits');
  const tooling = await openAccountsTooling(loadConfig());
  try {
    const issued = await bootstrapAdmin(tooling, { login: options.login, name: options.name, provinceCode: options.province ?? null });
    process.stdout.write(
      issued.activationLink
        ? `${issued.activationLink}\n`
        : `activation link mailed to ${issued.login}\n`,
    );
    process.stderr.write(`valid until ${issued.expiresAt}, once; it is not stored and will not be shown again\n`);
  } finally {
    await tooling.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
