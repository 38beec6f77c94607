import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '@tieuchi/shared/application';
import type { AppConfig } from '@tieuchi/shared/config';
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Failed sign-ins allowed per account before it is locked for SIGN_IN_LOCK_SECONDS (an admin may
 * unlock it sooner), and per client address per hour before that address is blocked for an hour.
 * Counted in Redis when REDIS_URL is set (shared by every API instance), in memory otherwise.
 */
export const SIGN_IN_LIMITS = { perAccount: 5, lockSeconds: 15 * 60, perAddress: 50, addressWindowSeconds: 60 * 60 } as const;

export interface LimitState {
  readonly blocked: boolean;
  readonly retryAfterSeconds: number;
}

@Injectable()
export class SignInLimiter implements OnModuleDestroy {
  private readonly redis: Redis | undefined;
  private readonly perAccount: RateLimiterAbstract;
  private readonly perAddress: RateLimiterAbstract;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // Each deployment (and each test database) counts on its own keys.
    const scope = createHash('sha256').update(`${config.databaseUrl}\n${config.dataDir}`).digest('hex').slice(0, 12);
    const account = { keyPrefix: `tieuchi:sign-in:${scope}:account`, points: SIGN_IN_LIMITS.perAccount, duration: SIGN_IN_LIMITS.lockSeconds, blockDuration: SIGN_IN_LIMITS.lockSeconds };
    const address = {
      keyPrefix: `tieuchi:sign-in:${scope}:address`,
      points: SIGN_IN_LIMITS.perAddress,
      duration: SIGN_IN_LIMITS.addressWindowSeconds,
      blockDuration: SIGN_IN_LIMITS.addressWindowSeconds,
    };
    if (config.redisUrl) {
      this.redis = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
      this.redis.on('error', () => undefined);
      // When Redis is unreachable, count in memory rather than let every sign-in fail or pass unchecked.
      this.perAccount = new RateLimiterRedis({ storeClient: this.redis, ...account, insuranceLimiter: new RateLimiterMemory(account) });
      this.perAddress = new RateLimiterRedis({ storeClient: this.redis, ...address, insuranceLimiter: new RateLimiterMemory(address) });
    } else {
      this.perAccount = new RateLimiterMemory(account);
      this.perAddress = new RateLimiterMemory(address);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.redis?.disconnect();
  }

  /** Whether this login or this address may try now: refused once its failures reach the limit, until they expire. */
  async check(login: string, address: string): Promise<LimitState> {
    const [account, from] = await Promise.all([this.perAccount.get(login), this.perAddress.get(address)]);
    const stopping = [
      account !== null && account.consumedPoints >= SIGN_IN_LIMITS.perAccount ? account : null,
      from !== null && from.consumedPoints >= SIGN_IN_LIMITS.perAddress ? from : null,
    ].filter((res): res is RateLimiterRes => res !== null);
    if (stopping.length === 0) return { blocked: false, retryAfterSeconds: 0 };
    return { blocked: true, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(...stopping.map((res) => res.msBeforeNext)) / 1000)) };
  }

  async recordFailure(login: string, address: string): Promise<void> {
    await Promise.all([this.perAccount.consume(login).catch(overLimit), this.perAddress.consume(address).catch(overLimit)]);
  }

  async recordSuccess(login: string): Promise<void> {
    await this.perAccount.delete(login);
  }

  /** An admin's unlock: the account's failures are forgotten at once. */
  async unlock(login: string): Promise<void> {
    await this.perAccount.delete(login);
  }
}

/** consume() rejects with the limiter's answer once the limit is passed; anything else is a store failure. */
function overLimit(error: unknown): void {
  if (error instanceof RateLimiterRes) return;
  throw error;
}
