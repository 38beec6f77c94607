import type { INestApplication } from '@nestjs/common';
import { APP_CONFIG } from '@tieuchi/shared/application';
import type { AppConfig } from '@tieuchi/shared/config';
import { httpMetricsMiddleware, METRICS_PATH, METRICS_ROUTE_LOCAL, metricsEndpoint } from '@tieuchi/shared/observability';
import type { NextFunction, Request, Response } from 'express';
import { publicRateLimit } from './public-rate-limit';
import { securityHeaders } from './security-headers';

export interface OperationsOptions {
  /** The public ranking's route pattern: rate-limited for anonymous callers, counted under this name when answered from memory. */
  readonly publicRankingPath: string;
}

/**
 * What running the API in production adds in front of the routes: proxy trust, security headers,
 * CORS, request metrics, /metrics and the public rate limit. Call before any other middleware.
 */
export function configureOperations(app: INestApplication, options: OperationsOptions): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  const express = app.getHttpAdapter().getInstance() as { set(setting: string, value: unknown): void };
  // Rate limits key on the client address: behind N proxies it is the N-th address from the right of X-Forwarded-For.
  express.set('trust proxy', config.trustProxyHops);
  app.use(httpMetricsMiddleware());
  app.use(METRICS_PATH, metricsEndpoint(config.metricsToken));
  app.use(securityHeaders());
  // Closed unless origins are listed: the web app is served from the API's own origin and needs no CORS.
  app.enableCors({
    origin: config.corsOrigins.length === 0 ? false : [...config.corsOrigins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key', 'X-Correlation-Id'],
    exposedHeaders: ['ETag', 'Location', 'Retry-After', 'Idempotent-Replayed', 'X-Correlation-Id', 'RateLimit-Limit', 'RateLimit-Remaining'],
    maxAge: 600,
  });
  const limit = publicRateLimit({ perMinute: config.publicRateLimitPerMinute, redisUrl: config.redisUrl, keyPrefix: 'tieuchi:rl:public-ranking' });
  app.use(options.publicRankingPath, (_request: Request, response: Response, next: NextFunction) => {
    response.locals[METRICS_ROUTE_LOCAL] = options.publicRankingPath;
    next();
  }, limit.middleware);
  const server = app.getHttpServer() as import('node:http').Server;
  server.once('close', () => limit.close());
}
