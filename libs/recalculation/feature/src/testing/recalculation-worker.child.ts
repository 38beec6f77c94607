// A worker process for the kill -9 test: `node -r ./tools/register.cjs <this file> '<json options>'`.
import { CommandExecutor, systemClock } from '@tieuchi/shared/application';
import { createPostgresEventStore, PostgresSqlClient } from '@tieuchi/shared/event-store';
import { BullMqJobQueue } from '../lib/job-queue/bullmq-job-queue';
import { RecalculateAssessmentProcessor } from '../lib/jobs/recalculate-assessment/recalculate-assessment.processor';

interface ChildOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly prefix: string;
  /** Slows each job down so the test can kill the process mid-run. */
  readonly jobDelayMs: number;
}

async function main(options: ChildOptions): Promise<void> {
  const sql = new PostgresSqlClient({ connectionString: options.databaseUrl });
  const eventStore = await createPostgresEventStore({ client: sql });
  const processor = new RecalculateAssessmentProcessor(new CommandExecutor(eventStore, systemClock), sql);
  const queue = new BullMqJobQueue({
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    retryPolicy: { attempts: 5, backoffDelayMs: 100 },
    concurrency: 2,
    lockDurationMs: 1_000,
    stalledIntervalMs: 500,
  });
  await queue.startWorker(async (job) => {
    await new Promise((resolve) => setTimeout(resolve, options.jobDelayMs));
    await processor.process(job);
  });
  process.stdout.write('ready\n');
}

main(JSON.parse(process.argv[2] ?? '{}') as ChildOptions).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
