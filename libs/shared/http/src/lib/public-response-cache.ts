import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { LRUCache } from 'lru-cache';

export interface PublicResponseCacheOptions {
  /** How long an answer is served without asking the application again; also the bound on staleness if an invalidation is lost. */
  readonly ttlMs: number;
  /** Memory for bodies, in bytes. */
  readonly maxBytes: number;
  /** Milliseconds on any monotonic scale; tests move it instead of waiting out the TTL. */
  readonly now?: () => number;
}

interface StoredResponse {
  readonly body: Buffer;
  readonly contentType: string;
  readonly cacheControl: string;
}

/** Response header that says the answer came from this cache (useful to callers and tests alike). */
export const RESPONSE_CACHE_HEADER = 'x-response-cache';

/**
 * An in-process shared cache for answers the application itself marks `Cache-Control: public`:
 * what a CDN in front of the API would do, without one. Only anonymous GETs are served from it
 * (no Authorization, no Cookie), so a caller with a token always gets the full pipeline (guards,
 * validation, role-dependent views), and only 200 answers marked public are kept, so nothing
 * private or provisional can leak. The owner drops everything with `clear()` when what it serves
 * changes; the TTL bounds what a missed `clear()` could leave stale.
 */
export class PublicResponseCache {
  private readonly responses: LRUCache<string, StoredResponse>;

  constructor(options: PublicResponseCacheOptions) {
    const clock = options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {};
    this.responses = new LRUCache({ ttl: options.ttlMs, maxSize: options.maxBytes, sizeCalculation: (stored) => Math.max(1, stored.body.length), ...clock });
  }

  clear(): void {
    this.responses.clear();
  }

  /** Express middleware for the routes whose public answers may be held. */
  middleware(): RequestHandler {
    return (request: Request, response: Response, next: NextFunction) => {
      if (request.method !== 'GET' || request.headers.authorization !== undefined || request.headers.cookie !== undefined) return next();
      const key = request.originalUrl;
      const stored = this.responses.get(key);
      if (stored) {
        response.status(200);
        response.setHeader('Content-Type', stored.contentType);
        response.setHeader('Cache-Control', stored.cacheControl);
        response.setHeader(RESPONSE_CACHE_HEADER, 'hit');
        response.end(stored.body);
        return;
      }
      this.captureInto(key, response);
      next();
    };
  }

  /** Keeps the body the application sends, if the answer is a 200 marked public. */
  private captureInto(key: string, response: Response): void {
    const end = response.end.bind(response) as (...args: unknown[]) => Response;
    response.end = ((...args: unknown[]) => {
      const [chunk] = args;
      const cacheControl = String(response.getHeader('Cache-Control') ?? '');
      const contentType = String(response.getHeader('Content-Type') ?? '');
      if (response.statusCode === 200 && /(^|,)\s*public\s*(,|$)/.test(cacheControl) && (typeof chunk === 'string' || Buffer.isBuffer(chunk))) {
        this.responses.set(key, { body: Buffer.from(chunk), contentType, cacheControl });
      }
      return end(...args);
    }) as Response['end'];
  }
}
