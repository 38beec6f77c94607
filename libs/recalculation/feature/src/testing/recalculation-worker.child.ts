// A worker process for the kill -9 test: `node -r ./tools/register.cjs <this file> '<json options>'`.
import { CommandExecutor, systemClock } from '@tieuchi/shared/application';
import { createPostgresEventStore, type EventStore, PostgresSqlClient } from '@tieuchi/shared/event-store';
import { BullMqJobQueue } from '../lib/job-queue/bullmq-job-queue';
import { RecalculateAssessmentProcessor } from '../lib/jobs/recalculate-assessment/recalculate-assessment.processor';

interface ChildOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly prefix: string;
  /** Appends one at a time, each after this delay, so the test can stop the process in the middle of a batch. */
  readonly appendDelayMs: number;
}

async function main(options: ChildOptions): Promise<void> {
  const sql = new PostgresSqlClient({ connectionString: options.databaseUrl });
  const eventStore = slowAppends(await createPostgresEventStore({ client: sql }), options.appendDelayMs);
  const queue = new BullMqJobQueue({
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    retryPolicy: { attempts: 5, backoffDelayMs: 100 },
    concurrency: 2,
    lockDurationMs: 1_000,
    stalledIntervalMs: 500,
  });
  const processor = new RecalculateAssessmentProcessor(new CommandExecutor(eventStore, systemClock), sql, queue);
  await queue.startWorker((job) => processor.run(job));
  process.stdout.write('ready\n');
}

function slowAppends(store: EventStore, delayMs: number): EventStore {
  let previous: Promise<unknown> = Promise.resolve();
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'appendToStream') {
        return (...args: Parameters<EventStore['appendToStream']>) => {
          const turn = previous.then(() => new Promise((resolve) => setTimeout(resolve, delayMs))).then(() => target.appendToStream(...args));
          previous = turn.catch(() => undefined);
          return turn;
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

main(JSON.parse(process.argv[2] ?? '{}') as ChildOptions).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
