import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { LRUCache } from 'lru-cache';

export interface PublicResponseCacheOptions {
  /** How long an answer is served without asking the application again. */
  readonly ttlMs: number;
  /**
   * How long after its TTL an answer may still be served while one request asks the application
   * for the next (HTTP's stale-while-revalidate). ttlMs + staleMs bounds what a lost invalidation
   * could leave stale. 0 (the default) makes every request after the TTL wait for the new answer.
   */
  readonly staleMs?: number;
  /** Memory for bodies, in bytes. */
  readonly maxBytes: number;
  /** Milliseconds on any monotonic scale; tests move it instead of waiting out the TTL. */
  readonly now?: () => number;
}

interface StoredResponse {
  readonly body: Buffer;
  readonly contentType: string;
  readonly cacheControl: string;
  /** On the cache's clock: when the answer was produced (its `Age` counts from there). */
  readonly producedAt: number;
  /** On the cache's clock: until then the answer is fresh; after it, stale for up to staleMs. */
  readonly freshUntil: number;
}

/** Response header that says the answer came from this cache (useful to callers and tests alike). */
export const RESPONSE_CACHE_HEADER = 'x-response-cache';

/**
 * An in-process CDN for answers marked `Cache-Control: public`. Only anonymous GETs are served
 * from it and only public 200s are kept, so nothing private or provisional can leak; `clear()`
 * drops everything, the TTL bounds what a missed `clear()` leaves stale. Concurrent requests for
 * one key wait for a single production (at 1,000 req/s an expiry would otherwise send hundreds
 * through the database at once), and after a mere expiry the stale answer is served meanwhile.
 */
export class PublicResponseCache {
  private readonly responses: LRUCache<string, StoredResponse>;
  /** The answer being produced per key: what the first request gets, or null if it was not one to keep. */
  private readonly producing = new Map<string, Promise<StoredResponse | null>>();
  /** Bumped by clear(): an answer produced before it is passed on to its waiters but not kept. */
  private generation = 0;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: PublicResponseCacheOptions) {
    this.ttlMs = options.ttlMs;
    this.now = options.now ?? (() => performance.now());
    const clock = options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {};
    // The LRU forgets an answer once it can no longer be served even stale; freshness is freshUntil's.
    const keptMs = options.ttlMs + (options.staleMs ?? 0);
    this.responses = new LRUCache({ ttl: keptMs, maxSize: options.maxBytes, sizeCalculation: (stored) => Math.max(1, stored.body.length), ...clock });
  }

  clear(): void {
    this.generation += 1;
    this.responses.clear();
    this.producing.clear();
  }

  /** Express middleware for the routes whose public answers may be held. */
  middleware(): RequestHandler {
    return (request: Request, response: Response, next: NextFunction) => {
      if (request.method !== 'GET' || request.headers.authorization !== undefined || request.headers.cookie !== undefined) return next();
      const key = request.originalUrl;
      const stored = this.responses.get(key);
      const now = this.now();
      if (stored && (stored.freshUntil > now || this.producing.has(key))) return send(response, stored, now);
      if (stored) {
        // Stale: this request produces the next answer; the others are served this one meanwhile.
        this.produceInto(key, response);
        return next();
      }
      const produced = this.producing.get(key);
      if (produced) {
        // Not an answer to keep (an error, a private view): each waiter asks the application itself.
        void produced.then((first) => (first ? send(response, first, this.now()) : next()));
        return;
      }
      this.produceInto(key, response);
      next();
    };
  }

  /** Lets this request's answer be the one for `key`: kept if it is a 200 marked public, and handed to the requests waiting for it. */
  private produceInto(key: string, response: Response): void {
    const generation = this.generation;
    let settle: (stored: StoredResponse | null) => void = () => undefined;
    const produced = new Promise<StoredResponse | null>((resolve) => (settle = resolve));
    this.producing.set(key, produced);
    let finished = false;
    // end() finishes it with the answer; 'close' follows every response, and finishes one that never
    // reached end() (the client went away, the stream failed) with no answer at all.
    const finish = (stored: StoredResponse | null, answered: boolean): void => {
      if (finished) return;
      finished = true;
      if (this.producing.get(key) === produced) this.producing.delete(key);
      if (generation === this.generation) {
        // An answer no longer fit to keep (an error, no longer public) must not leave the old one
        // served stale. A request that was never answered says nothing of it: the old one stays.
        if (stored) this.responses.set(key, stored);
        else if (answered) this.responses.delete(key);
      }
      settle(stored);
    };
    response.once('close', () => finish(null, false));
    const end = response.end.bind(response) as (...args: unknown[]) => Response;
    response.end = ((...args: unknown[]) => {
      const [chunk] = args;
      const cacheControl = String(response.getHeader('Cache-Control') ?? '');
      const contentType = String(response.getHeader('Content-Type') ?? '');
      const keep = response.statusCode === 200 && /(^|,)\s*public\s*(,|$)/.test(cacheControl) && (typeof chunk === 'string' || Buffer.isBuffer(chunk));
      const now = this.now();
      finish(keep ? { body: Buffer.from(chunk), contentType, cacheControl, producedAt: now, freshUntil: now + this.ttlMs } : null, true);
      return end(...args);
    }) as Response['end'];
  }
}

function send(response: Response, stored: StoredResponse, now: number): void {
  response.status(200);
  response.setHeader('Content-Type', stored.contentType);
  response.setHeader('Cache-Control', stored.cacheControl);
  // How long the answer has been held, so a cache in front counts its max-age from when it was produced.
  response.setHeader('Age', String(Math.max(0, Math.floor((now - stored.producedAt) / 1000))));
  response.setHeader(RESPONSE_CACHE_HEADER, 'hit');
  response.end(stored.body);
}
