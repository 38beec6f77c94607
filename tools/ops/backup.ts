/**
 * Backs up the event store and the evidence files into a new folder (README, Backup and restore).
 *
 *   EVENT_STORE=postgres DATABASE_URL=… npm run -s backup -- --out /backups/2026-12-07
 *   npm run -s backup -- --out /backups/embedded   # EVENT_STORE=pglite: stop the embedded process first
 */
import { Command } from 'commander';
import { loadConfig } from '@tieuchi/shared/config';
import { backup } from './backup-restore';

async function main(): Promise<void> {
  const program = new Command('backup')
    .description('Back up the event store (and what no event records) and the evidence files; the read models are left out.')
    .requiredOption('--out <dir>', 'a new or empty folder for the backup')
    .showHelpAfterError();
  program.parse(process.argv);
  const { out } = program.opts<{ out: string }>();
  const started = performance.now();
  const manifest = await backup({ config: loadConfig(), out, log: (message) => process.stderr.write(`${message}\n`) });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`backup of ${manifest.events} events (head ${manifest.head ?? 'none'}) and ${manifest.evidence.files} evidence files in ${out}, ${seconds} s\n`);
  if (manifest.evidence.note) process.stdout.write(`evidence: ${manifest.evidence.note}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`backup failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
