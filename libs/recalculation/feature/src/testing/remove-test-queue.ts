import { RECALCULATION_QUEUE } from '@tieuchi/recalculation/data-access';
import type { AppConfig } from '@tieuchi/shared/config';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { storeIdentityOf } from '../lib/recalculation-feature.module';
import { queuePrefix } from '../lib/recalculation.runtime';

/**
 * Removes a closed test app's queue (meta key included) from the shared Redis: each test database
 * names its own queue, which would otherwise stay behind. Call after the app has closed, so no
 * dispatcher or worker writes the keys again.
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
