import type { NextFunction, Request, Response } from 'express';
import { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export interface PublicRateLimitOptions {
  /** Requests per minute per client address; 0 turns the limit off. */
  readonly perMinute: number;
  /** With Redis every API instance counts against the same budget; without it each counts alone. */
  readonly redisUrl: string | undefined;
  readonly keyPrefix: string;
}

export interface PublicRateLimit {
  readonly middleware: (request: Request, response: Response, next: NextFunction) => void;
  close(): void;
}

/**
 * Limits anonymous reads of the public ranking per client address (rate-limiter-flexible). An
 * authenticated request is not counted here. When Redis fails, counting falls back to this
 * process's memory (the insurance limiter) rather than refusing or admitting everyone.
 */
export function publicRateLimit(options: PublicRateLimitOptions): PublicRateLimit {
  if (options.perMinute === 0) return { middleware: (_request, _response, next) => next(), close: () => undefined };
  const limits = { points: options.perMinute, duration: 60, keyPrefix: options.keyPrefix };
  let redis: Redis | undefined;
  let limiter: RateLimiterAbstract;
  if (options.redisUrl) {
    redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
    redis.on('error', () => undefined);
    limiter = new RateLimiterRedis({ ...limits, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(limits) });
  } else {
    limiter = new RateLimiterMemory(limits);
  }
  const middleware = (request: Request, response: Response, next: NextFunction): void => {
    if (request.method !== 'GET' || request.header('authorization') !== undefined) return next();
    limiter.consume(request.ip ?? 'unknown').then(
      (result) => {
        response.setHeader('RateLimit-Limit', String(options.perMinute));
        response.setHeader('RateLimit-Remaining', String(result.remainingPoints));
        next();
      },
      (rejection: unknown) => {
        if (!(rejection instanceof RateLimiterRes)) return next();
        const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        response.setHeader('Retry-After', String(retryAfter));
        response.setHeader('RateLimit-Limit', String(options.perMinute));
        response.setHeader('RateLimit-Remaining', '0');
        response
          .status(429)
          .type('application/problem+json')
          .send(
            JSON.stringify({
              type: 'urn:tieuchi:problem:REQUEST.RATE_LIMITED',
              title: 'Too Many Requests',
              status: 429,
              detail: `Quá nhiều yêu cầu; thử lại sau ${retryAfter} giây. (Too many requests to the public ranking; retry after ${retryAfter} s.)`,
              code: 'REQUEST.RATE_LIMITED',
              instance: request.originalUrl,
            }),
          );
      },
    );
  };
  return { middleware, close: () => redis?.disconnect() };
}
