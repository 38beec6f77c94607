import { RECALCULATION_QUEUE } from '@tieuchi/recalculation/data-access';
import type { AppConfig } from '@tieuchi/shared/config';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { storeIdentityOf } from '../lib/recalculation-feature.module';
import { queuePrefix } from '../lib/recalculation.runtime';

/**
 * Removes a closed test app's recalculation queue from the shared Redis, BullMQ's meta key
 * included: each test database names a queue of its own, so without this every run left keys
 * behind. Called after the app has closed, so that no dispatcher or worker writes the keys again.
 * Nothing to do without Redis (an in-process queue).
 */
export async function removeTestQueue(config: AppConfig): Promise<void> {
  if (!config.redisUrl) return;
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
  const queue = new Queue(RECALCULATION_QUEUE, { connection, prefix: queuePrefix(storeIdentityOf(config)) });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
