import type { NextFunction, Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { metricsRegistry } from './metrics';

export const METRICS_PATH = '/metrics';

export interface MetricsAnswer {
  readonly status: 200 | 401;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * The answer to GET /metrics: the Prometheus text format for a scraper presenting `Authorization:
 * Bearer <METRICS_TOKEN>`, 401 otherwise. Callers answer 404 when no token is configured, so
 * metrics are never public by omission.
 */
export async function answerMetrics(authorization: string | undefined, token: string): Promise<MetricsAnswer> {
  const presented = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  if (presented === undefined || !timingSafeEqual(digest(presented), digest(token))) {
    return { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="tieuchi-metrics"', 'Content-Type': 'text/plain' }, body: 'metrics need the METRICS_TOKEN bearer token\n' };
  }
  return { status: 200, headers: { 'Content-Type': metricsRegistry.contentType, 'Cache-Control': 'no-store' }, body: await metricsRegistry.metrics() };
}

/** Express middleware for METRICS_PATH; passes on (to a 404) when no token is configured. */
export function metricsEndpoint(token: string | undefined) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (token === undefined || (request.method !== 'GET' && request.method !== 'HEAD') || (request.path !== '/' && request.path !== '')) return next();
    answerMetrics(request.header('authorization'), token).then((answer) => {
      response.status(answer.status).set(answer.headers).send(answer.body);
    }, next);
  };
}

// Equal-length digests let timingSafeEqual compare tokens of any length.
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
