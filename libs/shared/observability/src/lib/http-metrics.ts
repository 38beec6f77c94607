import type { NextFunction, Request, Response } from 'express';
import { commandOutcomesTotal, httpRequestDuration, httpRequestsTotal } from './metrics';

/** Where a request's route pattern is noted when it is answered before Express routing (e.g. by a cache middleware). */
export const METRICS_ROUTE_LOCAL = 'metricsRoute';
/** Where the exception filter notes the problem code of an error answer. */
export const PROBLEM_CODE_LOCAL = 'problemCode';

const commandMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Counts and times every request by its route pattern (`/periods/:periodId/...`); requests no
 * route matched are grouped as `unmatched` so that scanners cannot blow up the label set.
 */
export function httpMetricsMiddleware() {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const route = routeOf(request, response);
      const status = response.statusCode;
      const method = request.method;
      httpRequestsTotal.inc({ method, route, status: String(status) });
      httpRequestDuration.observe({ method, route, status_class: `${Math.floor(status / 100)}xx` }, Number(process.hrtime.bigint() - started) / 1e9);
      if (commandMethods.has(method) && route !== 'unmatched') {
        const code = response.locals[PROBLEM_CODE_LOCAL];
        commandOutcomesTotal.inc({ route, code: typeof code === 'string' ? code : status < 400 ? 'OK' : `HTTP.${status}` });
      }
    });
    next();
  };
}

function routeOf(request: Request, response: Response): string {
  const noted = response.locals[METRICS_ROUTE_LOCAL];
  if (typeof noted === 'string') return noted;
  const path = (request.route as { path?: unknown } | undefined)?.path;
  if (typeof path === 'string') return `${request.baseUrl}${path}`;
  return 'unmatched';
}
