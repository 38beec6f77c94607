import { startTestApp, type TestApp } from '../../testing/test-app';

const rankings = '/periods/none-2019/rankings/commune/readiness';

describe('operations: metrics, security headers, CORS, rate limits, readiness', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ metricsToken: 'scrape-me-please', publicRateLimitPerMinute: 3, corsOrigins: ['https://tieuchi.example.vn'], redisUrl: undefined });
  }, 60_000);

  afterAll(() => t.close());

  it('serves Prometheus metrics only to the scraper holding METRICS_TOKEN', async () => {
    await t.http().get('/health/live');
    await t.http().post('/periods').set('Authorization', await t.bearer('admin@daknong')).send({});
    expect((await t.http().get('/metrics')).status).toBe(401);
    expect((await t.http().get('/metrics').set('Authorization', 'Bearer wrong')).status).toBe(401);
    const scraped = await t.http().get('/metrics').set('Authorization', 'Bearer scrape-me-please');
    expect(scraped.status).toBe(200);
    expect(scraped.headers['content-type']).toMatch(/^text\/plain/);
    const text = scraped.text;
    expect(text).toMatch(/tieuchi_http_requests_total\{method="GET",route="\/health\/live",status="200"\} \d+/);
    expect(text).toMatch(/tieuchi_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/health\/live",status_class="2xx"\}/);
    expect(text).toMatch(/tieuchi_command_outcomes_total\{route="\/periods",code="REQUEST.VALIDATION"\} 1|tieuchi_command_outcomes_total\{route="\/periods",code="[A-Z_.]+"\} 1/);
    expect(text).toMatch(/tieuchi_projection_position\{projection="rankings.v1",schema="read_model"\} \d+/);
    expect(text).toMatch(/tieuchi_projection_lag_events\{projection="audit-trail",schema="audit_v1"\} \d+/);
    expect(text).toContain('nodejs_eventloop_lag_p99_seconds');
    expect(text).toContain('nodejs_gc_duration_seconds');
    expect(text).toContain('tieuchi_event_store_append_duration_seconds');
  });

  it('sends security headers with a CSP that allows same-origin scripts and runtime styles only', async () => {
    const res = await t.http().get('/health/live');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('answers CORS preflights for configured origins only', async () => {
    const allowed = await t.http().options('/periods').set('Origin', 'https://tieuchi.example.vn').set('Access-Control-Request-Method', 'POST');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://tieuchi.example.vn');
    const refused = await t.http().options('/periods').set('Origin', 'https://evil.example.com').set('Access-Control-Request-Method', 'POST');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('limits anonymous reads of the public ranking per client, and not authenticated ones', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await t.http().get(rankings)).status);
    expect(statuses.slice(0, 3)).not.toContain(429);
    const limited = await t.http().get(rankings);
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ status: 429, code: 'REQUEST.RATE_LIMITED' });
    const signedIn = await t.http().get(rankings).set('Authorization', await t.bearer('admin@daknong'));
    expect(signedIn.status).not.toBe(429);
  });

  it('reports Redis as not configured, not up, when there is none', async () => {
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details).toMatchObject({ eventStore: { status: 'up' }, readModelDatabase: { status: 'up' }, redis: { status: 'not configured' } });
  });
});
