import fc from 'fast-check';
import type { Response } from 'supertest';
import { type AppRoute, appRoutes, fillPath } from '../testing/matrix/app-routes';
import {
  type BodyPath,
  bodyPaths,
  declaredLimits,
  malformedJson,
  oddPathValue,
  oddQueryValue,
  oversizedArray,
  oversizedString,
  propertyOf,
  querySpelling,
  replaceAt,
  valueAt,
  wronglyTyped,
  wronglyTypedExamples,
} from '../testing/matrix/bad-input-arbitraries';
import { MATRIX_CALLERS } from '../testing/matrix/authorization-matrix';
import { DEFAULT_PATH_VALUES, type ExpectedRoutePolicy, expectedPolicyOf } from '../testing/matrix/expected-route-policies';
import { seedMatrixFixture } from '../testing/matrix/matrix-fixture';
import { matrixHttp, type MatrixRequest, problemDefect } from '../testing/matrix/matrix-http';
import { startTestApp, type TestApp } from '../testing/test-app';

// Runs per route and property: about 3,500 requests in all, which keeps the spec within ~30 s.
const runs = { arbitraryBody: 30, wrongType: 20, oversized: 10, tooLarge: 2, malformed: 12, contentType: 10, pathParam: 20, query: 40, headers: 5 } as const;
const oneMegabyte = 1024 * 1024;

/** Passes when the answer is a success or a proper problem+json, and never a 5xx. */
function checkAnswer(res: Response, what: string): void {
  if (res.status >= 500) throw new Error(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
  const defect = res.status >= 400 ? problemDefect(res) : null;
  if (defect) throw new Error(`${what}: ${res.status} answer is no proper problem+json (${defect}): ${res.text.slice(0, 300)}`);
  if (res.body.code === 'REQUEST.INVALID' && !namesSomeField(res)) throw new Error(`${what}: REQUEST.INVALID names no field: ${res.text.slice(0, 300)}`);
}

/** A 400 that names `name` (or a field inside it, or the field that contains it). */
function checkNames(res: Response, name: string, what: string): void {
  checkAnswer(res, what);
  if (res.status !== 400) throw new Error(`${what}: expected 400 naming ${name}, got ${res.status} ${res.text.slice(0, 300)}`);
  const fields = fieldsOf(res);
  const named = fields.some((field) => [field, field.replace(/^data\./, '')].some((f) => f === name || f.startsWith(`${name}.`) || name.startsWith(`${f}.`)));
  if (!named) throw new Error(`${what}: 400 names ${JSON.stringify(fields)}, not ${name}`);
}

function fieldsOf(res: Response): string[] {
  const errors = Array.isArray(res.body.errors) ? (res.body.errors as { field?: unknown }[]) : [];
  return [res.body.field, ...errors.map((e) => e.field)].filter((f): f is string => typeof f === 'string');
}

function namesSomeField(res: Response): boolean {
  const fields = fieldsOf(res);
  // An unknown property may really be called "" ({"": 1}): the empty name is then the right one.
  return fields.length > 0 && fields.every((field) => !/(^|\.)(undefined|null)(\.|$)/.test(field));
}

describe('bad input never gets a 5xx, always a problem+json that names the problem', () => {
  let t: TestApp;
  let http: ReturnType<typeof matrixHttp>;
  let routes: AppRoute[];

  /** A caller the route admits (the unit roles for their own unit), so that requests reach validation. */
  function callerOf(policy: ExpectedRoutePolicy): string | null {
    if (policy.access === 'public') return null;
    if (policy.access === 'authenticated') return MATRIX_CALLERS.auditor;
    const role = (['unit_editor', 'unit_lead', 'reviewer', 'approver', 'admin', 'auditor'] as const).find((r) => policy.access.includes(r));
    return role ? MATRIX_CALLERS[role] : null;
  }

  function requestFor(route: AppRoute, overrides: Partial<MatrixRequest> & { readonly params?: Readonly<Record<string, string>>; readonly rawParams?: boolean } = {}): MatrixRequest {
    const policy = expectedPolicyOf(route.key);
    const values = { ...DEFAULT_PATH_VALUES, ...policy.params, ...overrides.params };
    const query = policy.query ? `?${new URLSearchParams(policy.query).toString()}` : '';
    return { method: route.method, url: fillPath(route.path, values, overrides.rawParams) + query, who: callerOf(policy), body: policy.body, ...overrides };
  }

  const bodyRoutes = (): AppRoute[] => routes.filter((route) => route.body !== undefined);
  const postRoutes = (): AppRoute[] => routes.filter((route) => route.method === 'POST');
  const validBodyOf = (route: AppRoute): object => {
    const body = expectedPolicyOf(route.key).body;
    if (!body) throw new Error(`${route.key} takes a body but the policy table has no valid one`);
    return body;
  };

  beforeAll(async () => {
    t = await startTestApp();
    http = matrixHttp(t);
    await seedMatrixFixture(t.app);
    routes = appRoutes(t.app);
  }, 60_000);

  afterAll(() => t.close());

  it('finds the routes that take a body, path parameters or a query, from the app itself', () => {
    expect(bodyRoutes().length).toBeGreaterThanOrEqual(20);
    expect(routes.filter((route) => route.pathParams.length > 0).length).toBeGreaterThanOrEqual(30);
    expect(routes.filter((route) => route.query !== undefined).map((route) => route.key)).toEqual(
      expect.arrayContaining(['GET /audit/events', 'GET /review-queue', 'GET /periods/:periodId/rankings/:tier/:part']),
    );
  });

  it('answers arbitrary JSON bodies with 4xx problem+json (or success when the body happens to be valid)', async () => {
    for (const route of bodyRoutes()) {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (body) => checkAnswer(await http.send(requestFor(route, { body })), `${route.key} with ${JSON.stringify(body).slice(0, 200)}`)),
        { numRuns: runs.arbitraryBody },
      );
    }
  }, 120_000);

  it('answers a wrongly typed known field with 400 naming that field', async () => {
    for (const route of bodyRoutes()) {
      const valid = validBodyOf(route);
      const paths = bodyPaths(valid);
      const arbitrary = fc.constantFrom(...paths).chain((path) => wronglyTyped(valueAt(valid, path)).map((value) => ({ path, value })));
      await fc.assert(
        fc.asyncProperty(arbitrary, async ({ path, value }) => {
          const res = await http.send(requestFor(route, { body: replaceAt(valid, path, value) }));
          checkNames(res, path.join('.'), `${route.key} with ${path.join('.')} = ${JSON.stringify(value).slice(0, 100)}`);
        }),
        { numRuns: runs.wrongType },
      );
    }
  }, 120_000);

  it('answers every known field given one value of each other JSON type with 400 naming that field', async () => {
    for (const route of bodyRoutes()) {
      const valid = validBodyOf(route);
      for (const path of bodyPaths(valid)) {
        for (const value of wronglyTypedExamples(valueAt(valid, path))) {
          const res = await http.send(requestFor(route, { body: replaceAt(valid, path, value) }));
          checkNames(res, path.join('.'), `${route.key} with ${path.join('.')} = ${JSON.stringify(value)}`);
        }
      }
    }
  }, 120_000);

  it('answers strings and arrays beyond their declared maximum with 400 naming the field', async () => {
    for (const route of bodyRoutes()) {
      const valid = validBodyOf(route);
      const limits = declaredLimits(route.body ?? Object);
      const sized = bodyPaths(valid).filter((path) => {
        const value = valueAt(valid, path);
        return typeof value === 'string' || Array.isArray(value);
      });
      if (sized.length === 0) continue;
      const arbitrary = fc.constantFrom(...sized).chain((path: BodyPath) => {
        const value = valueAt(valid, path);
        const limit = limits.get(propertyOf(path));
        const oversized = Array.isArray(value) ? oversizedArray(limit?.arrayMaxSize, value[0] ?? 'x') : oversizedString(limit?.maxLength);
        return oversized.map((big: unknown) => ({ path, big }));
      });
      await fc.assert(
        fc.asyncProperty(arbitrary, async ({ path, big }) => {
          const res = await http.send(requestFor(route, { body: replaceAt(valid, path, big) }));
          checkNames(res, path.join('.'), `${route.key} with an oversized ${path.join('.')}`);
        }),
        { numRuns: runs.oversized },
      );
    }
  }, 120_000);

  it('answers a body over the 1 MB limit with 400 REQUEST.BODY_TOO_LARGE', async () => {
    for (const route of postRoutes()) {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: oneMegabyte }), async (extra) => {
          const raw = `{"padding":"${'x'.repeat(oneMegabyte + extra)}"}`;
          const res = await http.send(requestFor(route, { raw }));
          checkNames(res, 'body', `${route.key} with ${raw.length} bytes`);
          if (res.body.code !== 'REQUEST.BODY_TOO_LARGE') throw new Error(`${route.key}: ${res.body.code}`);
        }),
        { numRuns: runs.tooLarge, examples: [[1]] },
      );
    }
  }, 120_000);

  it('answers malformed JSON text with 400 REQUEST.MALFORMED_BODY naming the body', async () => {
    for (const route of postRoutes()) {
      await fc.assert(
        fc.asyncProperty(malformedJson(), async (raw) => {
          const res = await http.send(requestFor(route, { raw }));
          checkNames(res, 'body', `${route.key} with ${JSON.stringify(raw)}`);
          if (res.body.code !== 'REQUEST.MALFORMED_BODY') throw new Error(`${route.key} with ${JSON.stringify(raw)}: ${res.body.code}`);
        }),
        { numRuns: runs.malformed },
      );
    }
  }, 120_000);

  it('answers bodies of other content types, charsets and encodings with 4xx problem+json, never a 5xx', async () => {
    const contentTypes = fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=xyz',
      'application/xml',
      'application/octet-stream',
      'application/json; charset=latin1',
      'application/json; charset=utf-16',
      'application/json; charset=nonsense',
      'application/*',
      'json',
    );
    const encodings = fc.constantFrom(undefined, 'gzip', 'deflate', 'br', 'compress', 'identity, gzip', 'x-unknown');
    for (const route of bodyRoutes()) {
      await fc.assert(
        fc.asyncProperty(contentTypes, encodings, async (contentType, encoding) => {
          const res = await http.send(
            requestFor(route, { raw: JSON.stringify(validBodyOf(route)), contentType, ...(encoding ? { headers: { 'Content-Encoding': encoding } } : {}) }),
          );
          checkAnswer(res, `${route.key} as ${contentType}${encoding ? ` (${encoding})` : ''}`);
        }),
        { numRuns: runs.contentType },
      );
    }
  }, 120_000);

  it('answers odd path parameters (unicode, dot segments, bad escapes, very long) with 4xx problem+json', async () => {
    for (const route of routes.filter((r) => r.pathParams.length > 0)) {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...route.pathParams), oddPathValue(), async (name, { value, raw }) => {
          const policy = expectedPolicyOf(route.key);
          const values = { ...DEFAULT_PATH_VALUES, ...policy.params };
          const url = raw
            ? fillPath(route.path, Object.fromEntries(Object.entries(values).map(([key, v]) => [key, key === name ? value : encodeURIComponent(v)])), true)
            : fillPath(route.path, { ...values, [name]: value });
          const res = await http.send({ ...requestFor(route), url });
          checkAnswer(res, `${route.key} with :${name} = ${JSON.stringify(value).slice(0, 80)}${raw ? ' (raw)' : ''}`);
          if (res.status === 400 && res.body.code === 'REQUEST.INVALID') checkNames(res, name, `${route.key} with :${name}`);
        }),
        { numRuns: runs.pathParam },
      );
    }
  }, 120_000);

  it('answers odd query parameters with 4xx problem+json naming the parameter', async () => {
    const names: Readonly<Record<string, readonly string[]>> = {
      'GET /audit/events': ['after', 'limit', 'stream', 'unknown'],
      'GET /accounts': ['province', 'unit', 'role', 'status', 'q', 'limit', 'offset', 'after', 'unknown'],
      'GET /periods/:periodId/assessments/:unitCode/audit': ['after', 'limit', 'unknown'],
      'GET /review-queue': ['periodId', 'unknown'],
      'GET /periods/:periodId/rankings/:tier/:part': ['decision', 'unknown'],
      'GET /periods': ['provinceCode', 'status', 'cursor', 'limit', 'after', 'unknown'],
      'GET /periods/:periodId': ['after', 'unknown'],
      'GET /periods/:periodId/assessments': ['tier', 'status', 'unitCode', 'cursor', 'limit', 'after', 'unknown'],
      'GET /periods/:periodId/assessments/:unitCode': ['after', 'unknown'],
      'GET /periods/:periodId/assessments/:unitCode/document.pdf': ['after', 'unknown'],
      'GET /periods/:periodId/rankings/:tier/:part/appendix.xlsx': ['decision', 'unknown'],
      'GET /periods/:periodId/rankings/:tier/:part/appendix.pdf': ['decision', 'unknown'],
      'GET /periods/:periodId/rankings/:tier/:part/open-data.csv': ['decision', 'unknown'],
      'GET /periods/:periodId/rankings/:tier/:part/open-data.json': ['decision', 'unknown'],
      'GET /auth/oidc/start': ['returnTo', 'unknown'],
      'GET /units': ['provinceCode', 'tier', 'status', 'parentCode', 'q', 'cursor', 'limit', 'after', 'unknown'],
      'GET /recalculation-runs': ['periodId', 'unknown'],
      'POST /provinces/:provinceCode/past-results': ['framework', 'unknown'],
    };
    const queryRoutes = routes.filter((route) => route.query !== undefined);
    expect(queryRoutes.map((route) => route.key).sort()).toEqual(Object.keys(names).sort());
    for (const route of queryRoutes) {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...(names[route.key] ?? [])), oddQueryValue(), fc.nat(3), async (name, value, shape) => {
          const base = requestFor(route);
          const { query, key } = querySpelling(name, value, shape);
          const res = await http.send({ ...base, url: `${base.url.split('?')[0] ?? ''}?${query}` });
          checkAnswer(res, `${route.key}?${query.slice(0, 120)}`);
          if (res.status === 400 && res.body.code === 'REQUEST.INVALID') checkNames(res, key, `${route.key} with ?${query.slice(0, 120)}`);
        }),
        { numRuns: runs.query },
      );
    }
  }, 120_000);

  it('answers odd If-Match and Idempotency-Key headers with 4xx problem+json, never a 5xx', async () => {
    const header = fc.constantFrom('If-Match', 'Idempotency-Key');
    const value = fc.oneof(
      fc.constantFrom('*', '"-1"', '"1.5"', 'W/"3"', '"99999999999999999999"', '"abc"', '3', '"3", "4"', ' ', 'x'.repeat(2000)),
      fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 60 }).filter((s) => s.trim() === s && s !== ''),
    );
    for (const route of postRoutes()) {
      await fc.assert(
        fc.asyncProperty(header, value, async (name, v) => checkAnswer(await http.send(requestFor(route, { headers: { [name]: v } })), `${route.key} with ${name}: ${v.slice(0, 80)}`)),
        { numRuns: runs.headers },
      );
    }
  }, 120_000);
});
