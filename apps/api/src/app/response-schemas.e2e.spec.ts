import { bootstrapAdmin } from '@tieuchi/accounts/feature';
import { recalculationRunId } from '@tieuchi/recalculation/data-access';
import { adminCommands, lowerDistrictReadiness, PERIOD_ID, seedDaknong2019 } from '@tieuchi/recalculation/feature/testing';
import type { Response } from 'supertest';
import { type OpenApiResponsesDocument, responseSchemaOf, schemaDefects } from '../testing/openapi-response';
import { startTestApp, type TestApp } from '../testing/test-app';

const password = 'mật-khẩu-hợp-đồng-1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The answers the web app reads through its generated client match the response schemas the
 * OpenAPI document declares for them, field by field (nothing missing, nothing undeclared).
 */
describe('response schemas: answers match the OpenAPI document the app serves', () => {
  let t: TestApp;
  let document: OpenApiResponsesDocument;
  let cookie: string;
  let csrf: string;

  /** The status expected and the body's departures from the declared schema (none when it matches). */
  const judged = (res: Response, method: string, path: string, status: number) => ({
    status: res.status,
    defects: res.status === status ? schemaDefects(document, responseSchemaOf(document, method, path, status), res.body) : [JSON.stringify(res.body)],
  });

  beforeAll(async () => {
    t = await startTestApp({ redisUrl: undefined, runWorker: 'true' });
    const seeded = await seedDaknong2019(t.eventStore, { units: 3, published: true });
    const commands = adminCommands(t.eventStore);
    await commands.amend(lowerDistrictReadiness(seeded.framework, 5));
    await commands.pin(2);
    document = (await t.http().get('/docs/openapi.json').expect(200)).body as OpenApiResponsesDocument;
    const issued = await bootstrapAdmin(t.app, { login: 'qt@tinh.gov.vn', name: 'Quản trị', provinceCode: '67' });
    const token = new URL(issued.activationLink!).searchParams.get('token')!;
    expect((await t.http().post('/auth/activate').send({ token, password })).status).toBe(200);
    const signedIn = await t.http().post('/auth/sign-in').send({ login: 'qt@tinh.gov.vn', password });
    cookie = (signedIn.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('tieuchi_session='))!.split(';')[0]!;
    csrf = signedIn.body.csrfToken as string;
  }, 90_000);

  afterAll(() => t.close());

  it('GET /periods/{periodId}: a published period with its pins, decision and exclusions', async () => {
    const res = await t.http().get(`/periods/${PERIOD_ID}`).set('Authorization', await t.bearer('admin@daknong'));
    expect(judged(res, 'GET', '/periods/{periodId}', 200)).toEqual({ status: 200, defects: [] });
    expect(res.body).toMatchObject({ status: 'published', frameworkPins: [expect.anything(), expect.objectContaining({ version: 2 })], publication: expect.anything() });
  });

  it('GET /recalculation-runs/{runId} and GET /recalculation-runs: a finished run with its counts', async () => {
    const runId = recalculationRunId((await t.eventStore.readStream(`period-${PERIOD_ID}`)).at(-1)!.id);
    const auditor = await t.bearer('auditor@daknong');
    let res = await t.http().get(`/recalculation-runs/${runId}`).set('Authorization', auditor);
    for (let i = 0; i < 100 && res.body.status !== 'done'; i += 1) {
      await sleep(100);
      res = await t.http().get(`/recalculation-runs/${runId}`).set('Authorization', auditor);
    }
    expect(judged(res, 'GET', '/recalculation-runs/{runId}', 200)).toEqual({ status: 200, defects: [] });
    expect(res.body).toMatchObject({ runId, status: 'done', total: 3 });
    const listed = await t.http().get('/recalculation-runs').query({ periodId: PERIOD_ID }).set('Authorization', auditor);
    expect(judged(listed, 'GET', '/recalculation-runs', 200)).toEqual({ status: 200, defects: [] });
    expect(listed.body.items).toHaveLength(1);
  });

  it('POST /accounts, POST /accounts/import and POST /accounts/{login}/reset: the one-time links and the per-row errors', async () => {
    const send = (path: string) => t.http().post(path).set('cookie', cookie).set('x-csrf-token', csrf);
    const invited = await send('/accounts').send({ login: 'reviewer@tinh.gov.vn', name: 'Thẩm định viên', grants: [{ role: 'reviewer', provinceCode: '67' }] });
    expect(judged(invited, 'POST', '/accounts', 201)).toEqual({ status: 201, defects: [] });
    expect(invited.body).toMatchObject({ login: 'reviewer@tinh.gov.vn', mailed: false, activationLink: expect.stringContaining('token=') });

    const csv = ['login,name,role,unit,province', 'approver@tinh.gov.vn,Phê duyệt,approver,,67', 'who@tinh.gov.vn,Ai,janitor,,67'].join('\n');
    const imported = await send('/accounts/import').set('content-type', 'text/csv').send(csv);
    expect(judged(imported, 'POST', '/accounts/import', 200)).toEqual({ status: 200, defects: [] });
    expect([imported.body.imported.length, imported.body.errors.length]).toEqual([1, 1]);

    const reset = await send('/accounts/reviewer@tinh.gov.vn/reset');
    expect(judged(reset, 'POST', '/accounts/{login}/reset', 200)).toEqual({ status: 200, defects: [] });
  });

  it('names what departs from a schema: a missing field, an undeclared one, a wrong type, a null where none is allowed', () => {
    const schema = responseSchemaOf(document, 'POST', '/accounts/{login}/reset', 200);
    expect(schemaDefects(document, schema, { login: 'a@b.vn', expiresAt: '2026-12-07T00:00:00Z', mailed: 'no', activationLink: null, extra: 1 })).toEqual([
      '$.mailed: expected a boolean, got "no"',
      '$.extra: sent but not in the schema',
    ]);
    expect(schemaDefects(document, schema, { login: null, expiresAt: 'soon', mailed: true })).toEqual([
      '$.activationLink: required but missing',
      '$.login: null where the schema does not allow it',
      '$.expiresAt: "soon" is not a date-time',
    ]);
  });
});
