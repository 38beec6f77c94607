import express from 'express';
import request from 'supertest';
import { PublicResponseCache, RESPONSE_CACHE_HEADER } from './public-response-cache';

/** An app whose answers count how often the application itself ran. */
function appWith(cache: PublicResponseCache) {
  let calls = 0;
  const app = express();
  app.use('/cached', cache.middleware());
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
  return { app, calls: () => calls };
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
});
