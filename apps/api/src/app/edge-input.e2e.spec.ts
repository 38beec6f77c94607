import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Response } from 'supertest';
import { MATRIX_CALLERS } from '../testing/matrix/authorization-matrix';
import { MATRIX_PERIOD, OWN_UNIT, SCORED_CRITERION } from '../testing/matrix/expected-route-policies';
import { seedMatrixFixture } from '../testing/matrix/matrix-fixture';
import { matrixHttp, problemDefect } from '../testing/matrix/matrix-http';
import { startTestApp, type TestApp } from '../testing/test-app';

/** Issue 15, items 8–11: input the API refuses at its edge with a coded 4xx problem+json. */
describe('input refused at the edge', () => {
  let t: TestApp;
  let http: ReturnType<typeof matrixHttp>;
  const scoreUrl = `/periods/${MATRIX_PERIOD}/assessments/${OWN_UNIT}/criteria/${SCORED_CRITERION}/score`;
  const editor = MATRIX_CALLERS.unit_editor;
  const admin = MATRIX_CALLERS.admin;

  beforeAll(async () => {
    t = await startTestApp();
    http = matrixHttp(t);
    await seedMatrixFixture(t.app);
  }, 60_000);

  afterAll(() => t.close());

  function expectProblem(res: Response, status: number, code: string, field?: string): void {
    expect({ status: res.status, defect: problemDefect(res), code: res.body.code }).toEqual({ status, defect: null, code });
    if (field !== undefined) expect(res.body.field).toBe(field);
  }

  describe('NUL and lone UTF-16 surrogates in text (item 8)', () => {
    it('refuses a NUL in a query parameter of a public route, without a token, naming the parameter', async () => {
      const res = await t.http().get(`/periods/${MATRIX_PERIOD}/rankings/commune/readiness?decision=%00`);
      expectProblem(res, 400, 'REQUEST.INVALID_TEXT', 'decision');
    });

    it.each([
      ['a NUL', 'Đã triển khai\u0000'],
      ['a lone high surrogate', 'Đã triển khai \ud800'],
      ['a lone low surrogate', '\udc00 Đã triển khai'],
    ])('refuses %s in a body field, naming it by its path', async (_, text) => {
      const body = { answer: { kind: 'value', value: 1 }, evidence: [{ reference: 'Quyết định 12/QĐ-UBND' }, { reference: text }], explanation: 'Đã triển khai' };
      const res = await http.send({ method: 'POST', url: scoreUrl, who: editor, body });
      expectProblem(res, 400, 'REQUEST.INVALID_TEXT', 'evidence.1.reference');
      const explained = await http.send({ method: 'POST', url: scoreUrl, who: editor, body: { ...body, evidence: [], explanation: text } });
      expectProblem(explained, 400, 'REQUEST.INVALID_TEXT', 'explanation');
    });

    it('refuses them in the free-form parts of a body too (a framework definition is stored as it is)', async () => {
      const res = await http.send({ method: 'POST', url: '/frameworks', who: admin, body: { frameworkId: 'edge-nul', definition: { id: 'edge-nul', name: 'x\u0000' } } });
      expectProblem(res, 400, 'REQUEST.INVALID_TEXT', 'definition.name');
    });

    it('refuses them in a property name, naming it with the offending character replaced', async () => {
      const res = await http.send({ method: 'POST', url: '/units/660/rename', who: admin, body: { 'name\u0000': 'x' } });
      expectProblem(res, 400, 'REQUEST.INVALID_TEXT', 'name\ufffd');
    });

    it('refuses them in a path parameter, naming it', async () => {
      const res = await http.send({ method: 'GET', url: `/periods/${encodeURIComponent(`${MATRIX_PERIOD}\u0000`)}`, who: admin });
      expectProblem(res, 400, 'REQUEST.INVALID_TEXT', 'periodId');
    });

    it('still accepts paired surrogates (emoji) and Vietnamese text', async () => {
      const res = await http.send({ method: 'POST', url: scoreUrl, who: editor, body: { answer: { kind: 'value', value: 1 }, evidence: [{ reference: 'Ảnh 📷 số 1' }], explanation: 'Đã triển khai 😀' } });
      expect(res.status).toBeLessThan(300);
    });
  });

  describe('deeply nested JSON (item 9)', () => {
    it.each([
      ['arrays', `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
      ['objects', `${'{"a":'.repeat(6_000)}1${'}'.repeat(6_000)}`],
      ['arrays inside a valid body', `{"explanation":"x","evidence":${'['.repeat(5_000)}${']'.repeat(5_000)}}`],
    ])('refuses %s nested 5,000–10,000 deep with 400 REQUEST.BODY_TOO_DEEP, before validation recurses', async (_, raw) => {
      const res = await http.send({ method: 'POST', url: scoreUrl, who: editor, raw });
      expectProblem(res, 400, 'REQUEST.BODY_TOO_DEEP', 'body');
    });

    it('accepts a body of 64 nested objects and arrays and refuses one of 65', async () => {
      // The framework definition, the deepest body the API takes, is 13 levels deep.
      const objects = (count: number): unknown => (count === 0 ? 'x' : { a: objects(count - 1) });
      const within = await http.send({ method: 'POST', url: '/frameworks', who: admin, body: { frameworkId: 'edge-deep', definition: objects(63) } });
      expect(within.status).toBe(400);
      expect(within.body.code).not.toBe('REQUEST.BODY_TOO_DEEP');
      const past = await http.send({ method: 'POST', url: '/frameworks', who: admin, body: { frameworkId: 'edge-deep', definition: objects(64) } });
      expectProblem(past, 400, 'REQUEST.BODY_TOO_DEEP', 'body');
    });
  });

  describe('numeric query parameters (item 10)', () => {
    it.each(['9223372036854775808', '9007199254740992', '1e308', '-1'])('refuses after=%s on both audit routes with 400 naming `after`', async (after) => {
      for (const url of ['/audit/events', `/periods/${MATRIX_PERIOD}/assessments/${OWN_UNIT}/audit`]) {
        const res = await http.send({ method: 'GET', url: `${url}?after=${after}`, who: MATRIX_CALLERS.auditor });
        expectProblem(res, 400, 'REQUEST.INVALID', 'after');
      }
    });

    it('accepts the largest position a client may hold', async () => {
      const res = await http.send({ method: 'GET', url: `/audit/events?after=${Number.MAX_SAFE_INTEGER}`, who: MATRIX_CALLERS.auditor });
      expect(res.status).toBe(200);
    });
  });

  it('states these rules in the OpenAPI document: in its description, and as the 400 and 431 answers of every operation', async () => {
    const document = (await t.http().get('/docs/openapi.json').expect(200)).body as {
      info: { description: string };
      paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
    };
    for (const rule of ['1 MB', '64 levels', 'NUL', 'surrogate', '16 KB', 'REQUEST.INVALID_TEXT', 'REQUEST.BODY_TOO_DEEP', 'REQUEST.HEADERS_TOO_LARGE', 'maximum']) {
      expect(document.info.description).toContain(rule);
    }
    const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ label: `${method} ${path}`, operation })));
    const missing = operations.filter(({ operation }) => !operation.responses['400'] || !operation.responses['431']).map(({ label }) => label);
    expect(missing).toEqual([]);
  });

  describe('errors Node answers before the app sees the request (item 11)', () => {
    let server: Server;
    let port: number;

    beforeAll(async () => {
      server = t.app.getHttpServer() as Server;
      if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });

    /** The raw answer to raw request bytes: the server closes the connection after these errors. */
    function rawExchange(request: string): Promise<string> {
      return new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('error', reject);
        socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
        socket.end(request);
      });
    }

    function parseAnswer(text: string): { status: number; contentType: string; body: Record<string, unknown> } {
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
      const contentType = /\r\ncontent-type: *([^\r]+)/i.exec(head)?.[1] ?? '';
      return { status, contentType, body: body ? (JSON.parse(body) as Record<string, unknown>) : {} };
    }

    it('answers oversized headers with 431 problem+json', async () => {
      const answer = parseAnswer(await rawExchange(`GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
      expect(answer).toMatchObject({ status: 431, contentType: expect.stringMatching(/^application\/problem\+json/), body: { status: 431, code: 'REQUEST.HEADERS_TOO_LARGE' } });
    });

    it('answers a request line Node cannot parse with 400 problem+json', async () => {
      const answer = parseAnswer(await rawExchange('GET /health/live HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n'));
      expect(answer).toMatchObject({ status: 400, contentType: expect.stringMatching(/^application\/problem\+json/), body: { status: 400, code: 'REQUEST.MALFORMED_HTTP' } });
    });
  });
});
