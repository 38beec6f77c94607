/**
 * Restores a backup into an empty database (or an empty DATA_DIR in embedded mode); the services
 * then rebuild every read model from the events when they start (README, Backup and restore).
 *
 *   EVENT_STORE=postgres DATABASE_URL=postgres://…/empty DATA_DIR=/srv/tieuchi npm run -s restore -- --from /backups/2026-12-07
 */
import { Command } from 'commander';
import { loadConfig } from '@tieuchi/shared/config';
import { restore } from './backup-restore';

async function main(): Promise<void> {
  const program = new Command('restore')
    .description('Restore a backup made by npm run backup into an empty database and DATA_DIR.')
    .requiredOption('--from <dir>', 'the backup folder')
    .option('--max-xid-advance <count>', 'transaction ids the target may be advanced by (see the README)', (value) => Number(value), 50_000_000)
    .showHelpAfterError();
  program.parse(process.argv);
  const { from, maxXidAdvance } = program.opts<{ from: string; maxXidAdvance: number }>();
  const started = performance.now();
  const report = await restore({ config: loadConfig(), from, maxTransactionIdAdvance: maxXidAdvance, log: (message) => process.stderr.write(`${message}\n`) });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`restored ${report.events} events (head ${report.head ?? 'none'}) from ${from} in ${seconds} s (${report.transactionIdsAdvanced} transaction ids advanced); start the services to rebuild the read models\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`restore failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
