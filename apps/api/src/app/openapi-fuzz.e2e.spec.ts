import { ROLES, type Principal } from '@tieuchi/shared/auth';
import { MAX_JSON_DEPTH } from '@tieuchi/shared/http';
import fc from 'fast-check';
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Response, Test } from 'supertest';
import { type FuzzOperation, isNumeric, leavesOf, type OpenApiDocument, operationsOf, replaceLeaf, sampleOf, type Slot } from '../testing/fuzz/openapi-operations';
import { DEFAULT_PATH_VALUES, OWN_UNIT } from '../testing/matrix/expected-route-policies';
import { seedMatrixFixture } from '../testing/matrix/matrix-fixture';
import { problemDefect } from '../testing/matrix/matrix-http';
import { startTestApp, type TestApp } from '../testing/test-app';

/**
 * Issue 15: every operation of the OpenAPI document the running app serves (so operations added
 * later are fuzzed without anyone listing them) gets NUL characters and lone surrogates in every
 * text slot, JSON nested up to 10,000 levels, huge and non-finite numbers, wrong content types
 * and oversized headers. None may get a 5xx; every 4xx is problem+json.
 */
describe('fuzzing every operation of the OpenAPI document', () => {
  let t: TestApp;
  let document: OpenApiDocument;
  let operations: FuzzOperation[];
  let bearer: string;
  let port: number;
  // Holds every role, for every province, and the own unit: requests get past authorization to the input checks.
  const caller: Principal = { id: 'fuzz-every-role', roles: ROLES, unitCode: OWN_UNIT, provinceCode: null, national: true };
  const runs = { text: 8, depth: 2, numbers: 6, contentType: 3 } as const;

  beforeAll(async () => {
    t = await startTestApp();
    await seedMatrixFixture(t.app);
    // A personal API token: "sign out everywhere", which the fuzz calls, ends signed tokens but not these.
    const created = await t.http().post('/me/tokens').set('Authorization', await t.bearer(caller)).send({ name: 'fuzz' }).expect(201);
    bearer = `Bearer ${created.body.token as string}`;
    document = (await t.http().get('/docs/openapi.json').expect(200)).body as OpenApiDocument;
    operations = operationsOf(document);
    const server = t.app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  }, 60_000);

  afterAll(() => t.close());

  /** Never a 5xx; an error answer is a proper problem+json. */
  function checkAnswer(res: Response, what: string): void {
    if (res.status >= 500) throw new Error(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
    const defect = res.status >= 400 ? problemDefect(res) : null;
    if (defect) throw new Error(`${what}: ${res.status} is no proper problem+json (${defect}): ${res.text.slice(0, 300)}`);
  }

  function checkRefused(res: Response, code: string, field: string, what: string): void {
    checkAnswer(res, what);
    if (res.status !== 400 || res.body.code !== code || res.body.field !== field) {
      throw new Error(`${what}: expected 400 ${code} naming ${JSON.stringify(field)}, got ${res.status} ${res.text.slice(0, 300)}`);
    }
  }

  function pathValue(operation: FuzzOperation, name: string): string {
    const parameter = operation.pathParams.find((p) => p.name === name);
    const sampled = parameter?.schema ? sampleOf(parameter.schema, document) : undefined;
    return DEFAULT_PATH_VALUES[name] ?? (sampled === undefined ? 'x' : String(sampled));
  }

  interface Variation {
    /** Raw (already encoded) path values by parameter name. */
    readonly rawPath?: Readonly<Record<string, string>>;
    /** Raw (already encoded) query values by parameter name, in place of the operation's samples, beside its other required ones. */
    readonly rawQuery?: Readonly<Record<string, string>>;
    /** JSON text, or multipart fields; the operation's own sample when absent. */
    readonly json?: string;
    readonly fields?: Readonly<Record<string, unknown>>;
    readonly contentType?: string;
  }

  function urlOf(operation: FuzzOperation, variation: Variation): string {
    const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => variation.rawPath?.[name] ?? encodeURIComponent(pathValue(operation, name)));
    const query = new URLSearchParams();
    for (const parameter of operation.queryParams) {
      if (parameter.required && parameter.schema && variation.rawQuery?.[parameter.name] === undefined) query.set(parameter.name, String(sampleOf(parameter.schema, document)));
    }
    const raw = Object.entries(variation.rawQuery ?? {}).map(([name, value]) => `${encodeURIComponent(name)}=${value}`);
    const text = [query.toString(), ...raw].filter((part) => part !== '').join('&');
    return text ? `${path}?${text}` : path;
  }

  function send(operation: FuzzOperation, variation: Variation = {}): Test {
    const agent = t.http();
    const url = urlOf(operation, variation);
    const method = operation.method.toLowerCase() as 'get' | 'put' | 'post' | 'delete' | 'patch';
    const req = agent[method](url).set('Authorization', bearer);
    if (variation.json !== undefined) return req.set('Content-Type', variation.contentType ?? 'application/json').send(variation.json);
    const body = operation.body;
    if (!body) return req;
    if (body.kind === 'json') return req.set('Content-Type', variation.contentType ?? 'application/json').send(JSON.stringify(body.sample));
    let form = req;
    for (const [name, value] of Object.entries(variation.fields ?? (body.sample as Record<string, unknown>))) {
      form = form.field(name, typeof value === 'string' ? value : JSON.stringify(value));
    }
    for (const name of body.files) form = form.attach(name, Buffer.from('%PDF-1.4\n'), { filename: 'minh-chung.pdf', contentType: 'application/pdf' });
    return form;
  }

  const textSlotsOf = (operation: FuzzOperation): { readonly where: 'body' | 'query' | 'path'; readonly slot: Slot }[] => [
    ...(operation.body ? leavesOf(operation.body.sample, (leaf) => typeof leaf === 'string').map((slot) => ({ where: 'body' as const, slot })) : []),
    ...operation.queryParams.filter((p) => !isNumeric(p)).map((p) => ({ where: 'query' as const, slot: [p.name] })),
    ...operation.pathParams.map((p) => ({ where: 'path' as const, slot: [p.name] })),
  ];

  it('reads the operations from the document the app serves', () => {
    expect(operations.length).toBeGreaterThanOrEqual(45);
    expect(operations.map((operation) => operation.label)).toEqual(
      expect.arrayContaining(['GET /audit/events', 'POST /frameworks', 'GET /periods/{periodId}/rankings/{tier}/{part}', 'POST /periods/{periodId}/assessments/{unitCode}/criteria/{criterionCode}/score']),
    );
    expect(operations.filter((operation) => operation.body !== undefined).length).toBeGreaterThanOrEqual(20);
  });

  it('states a minimum and a maximum for every numeric query parameter, within the integers JavaScript represents exactly', () => {
    const unbounded = operations.flatMap((operation) =>
      operation.queryParams
        .filter(isNumeric)
        .filter((p) => typeof p.schema?.minimum !== 'number' || typeof p.schema.maximum !== 'number' || p.schema.maximum > Number.MAX_SAFE_INTEGER || p.schema.minimum < Number.MIN_SAFE_INTEGER)
        .map((p) => `${operation.label} ?${p.name}`),
    );
    expect(unbounded).toEqual([]);
  });

  it("answers each operation's own sample request without a 5xx", async () => {
    for (const operation of operations) checkAnswer(await send(operation), `${operation.label} (sample)`);
  }, 60_000);

  it('refuses a NUL or a lone surrogate in every text slot (body, query, path) with 400 REQUEST.INVALID_TEXT naming it', async () => {
    const bad = fc.constantFrom('\u0000', '\ud800', '\udfff', '\udbff\u0000');
    for (const operation of operations) {
      const slots = textSlotsOf(operation);
      if (slots.length === 0) continue;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...slots), bad, fc.string({ maxLength: 6 }), fc.boolean(), async ({ where, slot }, char, around, before) => {
          const value = before ? `${char}${around}` : `${around}${char}`;
          const name = slot.join('.');
          const what = `${operation.label} with ${JSON.stringify(value)} in ${where} ${name}`;
          if (where === 'body') {
            const body = operation.body;
            const replaced = replaceLeaf(body?.sample, slot, value);
            const res = await send(operation, body?.kind === 'multipart' ? { fields: replaced as Record<string, unknown> } : { json: JSON.stringify(replaced) });
            checkRefused(res, 'REQUEST.INVALID_TEXT', name, what);
            return;
          }
          // A URL carries no lone surrogate (its UTF-8 cannot encode one): a NUL there, and the bytes of a surrogate encoded anyway.
          const encoded = value.includes('\u0000') ? encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '')) : `${encodeURIComponent(around)}%ED%A0%80`;
          const res = await send(operation, where === 'query' ? { rawQuery: { [name]: encoded } } : { rawPath: { [name]: encoded } });
          if (value.includes('\u0000')) checkRefused(res, 'REQUEST.INVALID_TEXT', name, what);
          else checkAnswer(res, what);
        }),
        { numRuns: Math.min(runs.text, slots.length * 4) },
      );
    }
  }, 60_000);

  it(`refuses JSON nested past ${MAX_JSON_DEPTH} and up to 10,000 levels (4–30 KB) on every operation with 400 REQUEST.BODY_TOO_DEEP`, async () => {
    // Between 4 and 30 KB of text, as the issue found it.
    const deep = fc.record({ shape: fc.constantFrom('arrays', 'objects', 'mixed'), depth: fc.integer({ min: 2_000, max: 10_000 }) });
    const textOf = ({ shape, depth }: { shape: string; depth: number }): string => {
      if (shape === 'arrays') return `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const levels = Math.floor(depth / 2);
      if (shape === 'objects') return `${'{"a":'.repeat(levels)}0${'}'.repeat(levels)}`;
      const pairs = Math.floor(levels / 2);
      return `{"x":${'[{"y":'.repeat(pairs)}1${'}]'.repeat(pairs)}}`;
    };
    for (const operation of operations) {
      await fc.assert(
        fc.asyncProperty(deep, async (nesting) => {
          const json = textOf(nesting);
          checkRefused(await send(operation, { json }), 'REQUEST.BODY_TOO_DEEP', 'body', `${operation.label} with ${json.length} bytes of ${nesting.shape} nesting`);
        }),
        { numRuns: runs.depth },
      );
    }
  }, 60_000);

  it('answers huge and non-finite numbers in every numeric slot without a 5xx; in a query parameter with 400 naming it', async () => {
    const huge = fc.constantFrom('9223372036854775808', '-9223372036854775809', '9007199254740993', '1e308', '-1e308', '1e400', '1.5', '-0', `1${'0'.repeat(400)}`);
    for (const operation of operations) {
      const bodySlots = operation.body?.kind === 'json' ? leavesOf(operation.body.sample, (leaf) => typeof leaf === 'number').map((slot) => ({ where: 'body' as const, slot })) : [];
      const querySlots = operation.queryParams.filter(isNumeric).map((p) => ({ where: 'query' as const, slot: [p.name] }));
      const slots = [...bodySlots, ...querySlots];
      if (slots.length === 0) continue;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...slots), huge, async ({ where, slot }, number) => {
          const name = slot.join('.');
          const what = `${operation.label} with ${name} = ${number.slice(0, 30)}`;
          if (where === 'body') {
            const marker = '"__fuzzed_number__"';
            const json = JSON.stringify(replaceLeaf(operation.body?.sample, slot, JSON.parse(marker))).replace(marker, number);
            checkAnswer(await send(operation, { json }), what);
            return;
          }
          const res = await send(operation, { rawQuery: { [name]: number } });
          if (number === '-0') checkAnswer(res, what);
          else checkRefused(res, 'REQUEST.INVALID', name, what);
        }),
        { numRuns: Math.min(runs.numbers, slots.length * 9) },
      );
    }
  }, 60_000);

  it('answers bodies sent as other content types, charsets or encodings without a 5xx', async () => {
    const contentType = fc.constantFrom(
      'text/plain',
      'application/xml',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      'multipart/form-data; boundary=fuzz',
      'application/octet-stream',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/merge-patch+json',
      '*/*',
    );
    for (const operation of operations.filter((o) => o.body !== undefined || o.method !== 'GET')) {
      await fc.assert(
        fc.asyncProperty(contentType, async (type) => {
          const json = JSON.stringify(operation.body?.sample ?? {});
          checkAnswer(await send(operation, { json, contentType: type }), `${operation.label} as ${type}`);
        }),
        { numRuns: runs.contentType },
      );
    }
  }, 60_000);

  /** The raw answer to a raw request: Node closes the connection after refusing it. */
  function rawExchange(request: string): Promise<string> {
    return new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      // The server may reset a connection whose request it did not read to the end; what it answered first still counts.
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
      socket.end(request);
    });
  }

  it('answers oversized headers on every operation with 431 problem+json', async () => {
    for (const operation of operations) {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 17 * 1024, max: 64 * 1024 }), fc.nat(3), async (size, split) => {
          const url = urlOf(operation, {});
          // One huge header, or the same bytes spread over many.
          const headers =
            split === 0
              ? `X-Fuzz: ${'a'.repeat(size)}\r\n`
              : Array.from({ length: Math.ceil(size / 1024) }, (_, i) => `X-Fuzz-${i}: ${'b'.repeat(1000)}\r\n`).join('');
          const answer = await rawExchange(`${operation.method} ${url} HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${bearer}\r\n${headers}\r\n`);
          const [head = '', body = ''] = answer.split('\r\n\r\n');
          const what = `${operation.label} with ${size} bytes of headers: ${head.slice(0, 200)}`;
          if (!/^HTTP\/1\.1 431 /.test(head) || !/\r\ncontent-type: application\/problem\+json/i.test(head)) throw new Error(what);
          const problem = JSON.parse(body) as Record<string, unknown>;
          if (problem['status'] !== 431 || problem['code'] !== 'REQUEST.HEADERS_TOO_LARGE') throw new Error(`${what}: ${body}`);
        }),
        { numRuns: 1 },
      );
    }
  }, 60_000);
});
