import express from 'express';
import request from 'supertest';
import { PublicResponseCache, RESPONSE_CACHE_HEADER } from './public-response-cache';

/** An app whose answers count how often the application itself ran; /cached/slow answers once `release()` is called. */
function appWith(cache: PublicResponseCache) {
  let calls = 0;
  let release: () => void = () => undefined;
  let gate = new Promise<void>((resolve) => (release = resolve));
  let slowAnswer: { status: number; cacheControl: string; destroy?: boolean } = { status: 200, cacheControl: 'public, max-age=5' };
  const app = express();
  app.use('/cached', cache.middleware());
  app.get('/cached/slow', (_req, res) => {
    calls += 1;
    const answer = slowAnswer;
    void gate.then(() => {
      if (answer.destroy) return void res.destroy();
      res.setHeader('Cache-Control', answer.cacheControl);
      res.status(answer.status).json({ calls });
    });
  });
  app.get('/cached/public', (_req, res) => {
    calls += 1;
    res.setHeader('Cache-Control', 'public, max-age=5');
    res.json({ calls });
  });
  app.get('/cached/private', (_req, res) => {
    calls += 1;
    res.setHeader('Cache-Control', 'private, no-store');
    res.json({ calls });
  });
  app.get('/cached/missing', (_req, res) => {
    calls += 1;
    res.setHeader('Cache-Control', 'public, max-age=5');
    res.status(404).json({ calls });
  });
  app.post('/cached/public', (_req, res) => {
    calls += 1;
    res.setHeader('Cache-Control', 'public, max-age=5');
    res.json({ calls });
  });
  return {
    app,
    calls: () => calls,
    release: () => release(),
    /** The next /cached/slow answers held until release(). */
    hold: (answer: typeof slowAnswer) => {
      slowAnswer = answer;
      gate = new Promise<void>((resolve) => (release = resolve));
    },
  };
}

/** Sends `count` requests at once and waits until the application has seen the first of them. */
async function concurrently(app: express.Express, count: number, calls: () => number): Promise<Promise<request.Response>[]> {
  const before = calls();
  const first = request(app).get('/cached/slow').then((r) => r);
  while (calls() === before) await new Promise((resolve) => setTimeout(resolve, 1));
  const others = Array.from({ length: count - 1 }, () => request(app).get('/cached/slow').then((r) => r));
  // Let the others reach the middleware before the first answer is released.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return [first, ...others];
}

describe('PublicResponseCache', () => {
  it('serves an anonymous GET marked public from memory, with its type and Cache-Control, until cleared', async () => {
    const cache = new PublicResponseCache({ ttlMs: 60_000, maxBytes: 1_000_000 });
    const { app, calls } = appWith(cache);
    const first = await request(app).get('/cached/public?x=1');
    const second = await request(app).get('/cached/public?x=1');
    expect(first.body).toEqual({ calls: 1 });
    expect(first.headers[RESPONSE_CACHE_HEADER]).toBeUndefined();
    expect(second.body).toEqual({ calls: 1 });
    expect(second.headers[RESPONSE_CACHE_HEADER]).toBe('hit');
    expect(second.headers['content-type']).toMatch(/^application\/json/);
    expect(second.headers['cache-control']).toBe('public, max-age=5');
    // Another query string is another answer.
    expect((await request(app).get('/cached/public?x=2')).body).toEqual({ calls: 2 });
    cache.clear();
    expect((await request(app).get('/cached/public?x=1')).body).toEqual({ calls: 3 });
    expect(calls()).toBe(3);
  });

  it('never serves or keeps answers for callers with a token or a cookie', async () => {
    const cache = new PublicResponseCache({ ttlMs: 60_000, maxBytes: 1_000_000 });
    const { app } = appWith(cache);
    await request(app).get('/cached/public');
    const withToken = await request(app).get('/cached/public').set('Authorization', 'Bearer x');
    const withCookie = await request(app).get('/cached/public').set('Cookie', 'session=x');
    expect(withToken.body).toEqual({ calls: 2 });
    expect(withCookie.body).toEqual({ calls: 3 });
    expect(withToken.headers[RESPONSE_CACHE_HEADER]).toBeUndefined();
  });

  it('keeps only 200 answers marked public, and only for GET', async () => {
    const cache = new PublicResponseCache({ ttlMs: 60_000, maxBytes: 1_000_000 });
    const { app, calls } = appWith(cache);
    for (let i = 0; i < 2; i += 1) {
      await request(app).get('/cached/private');
      await request(app).get('/cached/missing');
      await request(app).post('/cached/public');
    }
    expect(calls()).toBe(6);
  });

  it('asks the application again once the TTL has passed', async () => {
    let clock = 1_000;
    const cache = new PublicResponseCache({ ttlMs: 50, maxBytes: 1_000_000, now: () => clock });
    const { app } = appWith(cache);
    await request(app).get('/cached/public');
    clock += 49;
    expect((await request(app).get('/cached/public')).body).toEqual({ calls: 1 });
    clock += 2;
    expect((await request(app).get('/cached/public')).body).toEqual({ calls: 2 });
  });

  describe('with a stale window', () => {
    /** A cache on a clock the test moves, with /cached/slow answered once and held. */
    async function heldStale() {
      let clock = 1_000;
      const cache = new PublicResponseCache({ ttlMs: 50, staleMs: 100, maxBytes: 1_000_000, now: () => clock });
      const fixture = appWith(cache);
      const first = request(fixture.app).get('/cached/slow').then((r) => r);
      fixture.release();
      expect((await first).body).toEqual({ calls: 1 });
      fixture.hold({ status: 200, cacheControl: 'public, max-age=5' });
      return { cache, ...fixture, advance: (ms: number) => (clock += ms) };
    }

    it('serves the old answer after the TTL while the first request after it fetches the next', async () => {
      const { app, calls, release, advance } = await heldStale();
      advance(60);
      const answers = await concurrently(app, 5, calls);
      // The four others did not wait for the one being produced: they were answered stale already.
      const others = await Promise.all(answers.slice(1));
      expect(others.map((r) => [r.body, r.headers[RESPONSE_CACHE_HEADER]])).toEqual(Array.from({ length: 4 }, () => [{ calls: 1 }, 'hit']));
      release();
      expect((await answers[0]!).body).toEqual({ calls: 2 });
      expect((await request(app).get('/cached/slow')).body).toEqual({ calls: 2 });
      expect(calls()).toBe(2);
    });

    it('makes every request wait for the new answer once the stale window has passed too', async () => {
      const { app, calls, release, advance } = await heldStale();
      advance(151);
      const answers = await concurrently(app, 3, calls);
      release();
      expect((await Promise.all(answers)).map((r) => r.body)).toEqual([{ calls: 2 }, { calls: 2 }, { calls: 2 }]);
      expect(calls()).toBe(2);
    });

    it('stops serving the old answer when the next one is not fit to keep', async () => {
      const { app, calls, release, hold, advance } = await heldStale();
      advance(60);
      hold({ status: 404, cacheControl: 'public, max-age=5' });
      const producing = request(app).get('/cached/slow').then((r) => r);
      while (calls() === 1) await new Promise((resolve) => setTimeout(resolve, 1));
      release();
      expect((await producing).status).toBe(404);
      // Not the old 200 from memory: the application is asked again, and answers 404 again.
      const after = request(app).get('/cached/slow').then((r) => r);
      release();
      expect((await after).status).toBe(404);
      expect(calls()).toBe(3);
    });

    it('never serves an answer from before a clear(), even within the stale window while the next one is being fetched', async () => {
      const { app, cache, calls, release, advance } = await heldStale();
      advance(60);
      const refetch = request(app).get('/cached/slow').then((r) => r);
      while (calls() === 1) await new Promise((resolve) => setTimeout(resolve, 1));
      cache.clear();
      const after = request(app).get('/cached/slow').then((r) => r);
      while (calls() === 2) await new Promise((resolve) => setTimeout(resolve, 1));
      release();
      const [fetched, answered] = await Promise.all([refetch, after]);
      expect(answered.headers[RESPONSE_CACHE_HEADER]).toBeUndefined();
      expect([fetched.body, answered.body]).toEqual([{ calls: 3 }, { calls: 3 }]);
      // The answer fetched across the clear() was not kept; the one after it was.
      expect((await request(app).get('/cached/slow')).headers[RESPONSE_CACHE_HEADER]).toBe('hit');
      expect(calls()).toBe(3);
    });

    it('keeps serving the old answer when the request fetching the next one is abandoned before it is answered', async () => {
      const { app, calls, release, hold, advance } = await heldStale();
      advance(60);
      hold({ status: 200, cacheControl: 'public, max-age=5', destroy: true });
      const abandoned = request(app).get('/cached/slow').then((r) => r);
      while (calls() === 1) await new Promise((resolve) => setTimeout(resolve, 1));
      release();
      await expect(abandoned).rejects.toThrow();
      // Still stale, not dropped: the next request fetches again, and the others meanwhile get the old answer.
      hold({ status: 200, cacheControl: 'public, max-age=5' });
      const next = request(app).get('/cached/slow').then((r) => r);
      while (calls() === 2) await new Promise((resolve) => setTimeout(resolve, 1));
      const meanwhile = await request(app).get('/cached/slow');
      expect([meanwhile.body, meanwhile.headers[RESPONSE_CACHE_HEADER]]).toEqual([{ calls: 1 }, 'hit']);
      release();
      expect((await next).body).toEqual({ calls: 3 });
    });
  });

  it('says in Age how long a held answer has been held', async () => {
    let clock = 1_000;
    const cache = new PublicResponseCache({ ttlMs: 60_000, maxBytes: 1_000_000, now: () => clock });
    const { app } = appWith(cache);
    await request(app).get('/cached/public');
    clock += 3_500;
    const held = await request(app).get('/cached/public');
    expect([held.headers[RESPONSE_CACHE_HEADER], held.headers['age']]).toEqual(['hit', '3']);
  });

  it('lets requests for an answer being produced wait for it, so the application produces it once', async () => {
    const cache = new PublicResponseCache({ ttlMs: 60_000, maxBytes: 1_000_000 });
    const { app, calls, release } = appWith(cache);
    const answers = await concurrently(app, 20, calls);
    release();
    const responses = await Promise.all(answers);
    expect(responses.map((r) => [r.status, r.body])).toEqual(Array.from({ length: 20 }, () => [200, { calls: 1 }]));
    expect(responses.filter((r) => r.headers[RESPONSE_CACHE_HEADER] === 'hit')).toHaveLength(19);
    expect(calls()).toBe(1);
  });

  it('sends the waiters through the application when the first answer is not one to keep', async () => {
    for (const answer of [{ status: 404, cacheControl: 'public, max-age=5' }, { status: 200, cacheControl: 'private, no-store' }, { status: 200, cacheControl: '', destroy: true }]) {
      const cache = new PublicResponseCache({ ttlMs: 60_000, maxBytes: 1_000_000 });
      const { app, calls, release, hold } = appWith(cache);
      hold(answer);
      const answers = await concurrently(app, 5, calls);
      release();
      const settled = await Promise.allSettled(answers);
      expect({ answer, calls: calls() }).toEqual({ answer, calls: 5 });
      const served = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      expect(served.every((r) => r.headers[RESPONSE_CACHE_HEADER] === undefined)).toBe(true);
    }
  });

  it('hands an answer produced across a clear() to its waiters, but does not keep it', async () => {
    const cache = new PublicResponseCache({ ttlMs: 60_000, maxBytes: 1_000_000 });
    const { app, calls, release } = appWith(cache);
    const answers = await concurrently(app, 3, calls);
    cache.clear();
    release();
    expect((await Promise.all(answers)).map((r) => r.body)).toEqual([{ calls: 1 }, { calls: 1 }, { calls: 1 }]);
    // The edition changed while the answer was being produced: the next request asks the application again.
    const after = request(app).get('/cached/slow').then((r) => r);
    release();
    expect((await after).body).toEqual({ calls: 2 });
  });
});
