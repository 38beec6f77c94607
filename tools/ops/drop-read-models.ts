/**
 * Drops every read model (README, Backup and restore): with the services stopped, so that they
 * rebuild each from the events when they next start.
 *
 *   EVENT_STORE=postgres DATABASE_URL=… npm run -s read-models:drop -- --yes
 */
import { Command } from 'commander';
import { loadConfig } from '@tieuchi/shared/config';
import { dropReadModels } from './backup-restore';

async function main(): Promise<void> {
  const program = new Command('read-models:drop')
    .description('Drop every read-model schema; the projections rebuild them from the events at the next start. Stop the services first.')
    .requiredOption('--yes', 'confirm that the API and workers are stopped')
    .showHelpAfterError();
  program.parse(process.argv);
  const dropped = await dropReadModels(loadConfig());
  process.stdout.write(dropped.length > 0 ? `dropped ${dropped.join(', ')}; start the services to rebuild them\n` : 'no read model to drop\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`read-models:drop failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
