import { Redis } from 'ioredis';

export const REDIS_HEALTH = Symbol('REDIS_HEALTH');

export interface RedisHealth {
  /** False without REDIS_URL (embedded mode: jobs run in-process), when there is nothing to check. */
  readonly configured: boolean;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function redisHealth(redisUrl: string | undefined): RedisHealth {
  if (!redisUrl) return { configured: false, ping: async () => undefined, close: async () => undefined };
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  client.on('error', () => undefined);
  return {
    configured: true,
    ping: async () => {
      if (client.status === 'wait' || client.status === 'end') await client.connect();
      await client.ping();
    },
    close: async () => {
      client.disconnect();
    },
  };
}
