import { Redis } from 'ioredis';

export const REDIS_HEALTH = Symbol('REDIS_HEALTH');

export interface RedisHealth {
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Without REDIS_URL (embedded mode) jobs run in-process, so there is nothing to check. */
export function redisHealth(redisUrl: string | undefined): RedisHealth {
  if (!redisUrl) return { ping: async () => undefined, close: async () => undefined };
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  client.on('error', () => undefined);
  return {
    ping: async () => {
      if (client.status === 'wait' || client.status === 'end') await client.connect();
      await client.ping();
    },
    close: async () => {
      client.disconnect();
    },
  };
}
