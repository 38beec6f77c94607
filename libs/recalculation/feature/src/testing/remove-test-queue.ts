import type { INestApplication } from '@nestjs/common';
import { BullMqJobQueue } from '../lib/job-queue/bullmq-job-queue';
import type { RecalculationRuntime } from '../lib/recalculation.runtime';
import { RECALCULATION_RUNTIME } from '../lib/recalculation.tokens';

/**
 * Removes a test app's recalculation queue from the shared Redis, BullMQ's meta key included, before
 * the app closes: each test database names a queue of its own, so without this every run left keys
 * behind. Nothing to do for an in-process queue; a Redis that is down leaves nothing to remove.
 */
export async function removeTestQueue(app: INestApplication): Promise<void> {
  const queue = app.get<RecalculationRuntime>(RECALCULATION_RUNTIME).queue;
  if (queue instanceof BullMqJobQueue) await queue.bullQueue.obliterate({ force: true }).catch(() => undefined);
}
