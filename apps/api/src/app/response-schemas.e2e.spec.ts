import { bootstrapAdmin } from '@tieuchi/accounts/feature';
import { recalculationRunId } from '@tieuchi/recalculation/data-access';
import { adminCommands, lowerDistrictReadiness, PERIOD_ID, seedDaknong2019 } from '@tieuchi/recalculation/feature/testing';
import type { FrameworkDefinition } from '@tieuchi/framework/domain';
import { samplePdf } from '@tieuchi/shared/evidence-storage/testing';
import type { Response } from 'supertest';
import { type OpenApiResponsesDocument, responseSchemaOf, schemaDefects } from '../testing/openapi-response';
import { miniFramework } from '../testing/read-model-workflow';
import { startTestApp, type TestApp } from '../testing/test-app';

const password = 'mật-khẩu-hợp-đồng-1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every `METHOD /path` whose answer a test below judged against its declared schema, and the document served. */
const judgedOperations = new Set<string>();
let servedDocument: OpenApiResponsesDocument | undefined;

/** The status expected and the body's departures from the declared schema (none when it matches). */
function judgeAgainst(document: OpenApiResponsesDocument, res: Response, method: string, path: string, status: number) {
  judgedOperations.add(`${method} ${path}`);
  return {
    status: res.status,
    defects: res.status === status ? schemaDefects(document, responseSchemaOf(document, method, path, status), res.body) : [JSON.stringify(res.body)],
  };
}

/**
 * The answers the web app reads through its generated client match the response schemas the
 * OpenAPI document declares for them, field by field (nothing missing, nothing undeclared).
 */
describe('response schemas: answers match the OpenAPI document the app serves', () => {
  let t: TestApp;
  let document: OpenApiResponsesDocument;
  let cookie: string;
  let csrf: string;
  let activated: Response;
  let signInAnswer: Response;
  let daknongFramework: string;

  const judged = (res: Response, method: string, path: string, status: number) => judgeAgainst(document, res, method, path, status);

  beforeAll(async () => {
    t = await startTestApp({ redisUrl: undefined, runWorker: 'true' });
    const seeded = await seedDaknong2019(t.eventStore, { units: 3, published: true });
    daknongFramework = seeded.framework.id;
    const commands = adminCommands(t.eventStore);
    await commands.amend(lowerDistrictReadiness(seeded.framework, 5));
    await commands.pin(2);
    document = (await t.http().get('/docs/openapi.json').expect(200)).body as OpenApiResponsesDocument;
    servedDocument = document;
    const issued = await bootstrapAdmin(t.app, { login: 'qt@tinh.gov.vn', name: 'Quản trị', provinceCode: '67' });
    const token = new URL(issued.activationLink!).searchParams.get('token')!;
    activated = await t.http().post('/auth/activate').send({ token, password });
    const signedIn = await t.http().post('/auth/sign-in').send({ login: 'qt@tinh.gov.vn', password });
    signInAnswer = signedIn;
    cookie = (signedIn.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('tieuchi_session='))!.split(';')[0]!;
    csrf = signedIn.body.csrfToken as string;
  }, 90_000);

  afterAll(() => t.close());

  it('GET /periods/{periodId}: a published period with its pins, decision and exclusions', async () => {
    const res = await t.http().get(`/periods/${PERIOD_ID}`).set('Authorization', await t.bearer('admin@daknong'));
    expect(judged(res, 'GET', '/periods/{periodId}', 200)).toEqual({ status: 200, defects: [] });
    expect(res.body).toMatchObject({ status: 'published', frameworkPins: [expect.anything(), expect.objectContaining({ version: 2 })], publication: expect.anything() });
  });

  it("GET /frameworks/{frameworkId} and a version of it: Đắk Nông's whole definition, every kind of scoring rule, and its amendment", async () => {
    const auditor = await t.bearer('auditor@daknong');
    const framework = await t.http().get(`/frameworks/${daknongFramework}`).set('Authorization', auditor);
    expect(judged(framework, 'GET', '/frameworks/{frameworkId}', 200)).toEqual({ status: 200, defects: [] });
    const rules = new Set(
      (framework.body.current.definition.tiers as { parts: { groups: { criteria: { rule: { kind: string } }[] }[] }[] }[]).flatMap((tier) =>
        tier.parts.flatMap((part) => part.groups.flatMap((group) => group.criteria.map((criterion) => criterion.rule.kind))),
      ),
    );
    expect([...rules].sort()).toEqual(['banded', 'manual', 'ratio', 'yes_no']);
    const amended = await t.http().get(`/frameworks/${daknongFramework}/versions/2`).set('Authorization', auditor);
    expect(judged(amended, 'GET', '/frameworks/{frameworkId}/versions/{version}', 200)).toEqual({ status: 200, defects: [] });
    expect(amended.body.amendment).toMatchObject({ changes: [expect.objectContaining({ kind: 'levels_changed' })] });
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

  it('POST /auth/activate, POST /auth/sign-in, GET /auth/methods and GET /me: the account that may now sign in, and its session', async () => {
    expect(judged(activated, 'POST', '/auth/activate', 200)).toEqual({ status: 200, defects: [] });
    expect(judged(signInAnswer, 'POST', '/auth/sign-in', 200)).toEqual({ status: 200, defects: [] });
    expect(judged(await t.http().get('/auth/methods'), 'GET', '/auth/methods', 200)).toEqual({ status: 200, defects: [] });
    expect(judged(await t.http().get('/me').set('cookie', cookie), 'GET', '/me', 200)).toEqual({ status: 200, defects: [] });
    expect(judged(await t.http().get('/accounts').set('cookie', cookie), 'GET', '/accounts', 200)).toEqual({ status: 200, defects: [] });
  });

  it('GET /accounts/{login} and the changes to an account: grants, revocation, disable, enable, unlock', async () => {
    const send = (path: string, body: object) => t.http().post(path).set('cookie', cookie).set('x-csrf-token', csrf).send(body);
    const login = 'reviewer@tinh.gov.vn';
    const ok = { status: 200, defects: [] };
    const auditorGrant = { grant: { role: 'auditor', provinceCode: '67' }, reason: 'Kiểm tra năm 2019' };
    expect(judged(await send(`/accounts/${login}/grants`, auditorGrant), 'POST', '/accounts/{login}/grants', 200)).toEqual(ok);
    expect(judged(await send(`/accounts/${login}/grants/revoke`, auditorGrant), 'POST', '/accounts/{login}/grants/revoke', 200)).toEqual(ok);
    expect(judged(await send(`/accounts/${login}/disable`, { reason: 'Chuyển công tác' }), 'POST', '/accounts/{login}/disable', 200)).toEqual(ok);
    expect(judged(await send(`/accounts/${login}/enable`, { reason: 'Trở lại công tác' }), 'POST', '/accounts/{login}/enable', 200)).toEqual(ok);
    expect(judged(await send(`/accounts/${login}/unlock`, { reason: 'Quên mật khẩu' }), 'POST', '/accounts/{login}/unlock', 200)).toEqual(ok);
    const account = await t.http().get(`/accounts/${login}`).set('cookie', cookie);
    expect(judged(account, 'GET', '/accounts/{login}', 200)).toEqual(ok);
    expect(account.body).toMatchObject({ login, status: 'invited', grants: [{ role: 'reviewer', provinceCode: '67' }], lastSignInAt: null, apiTokens: [] });
  });

  it('POST /me/tokens and GET /me/tokens: the secret once, then never', async () => {
    const createdToken = await t.http().post('/me/tokens').set('cookie', cookie).set('x-csrf-token', csrf).send({ name: 'Đồng bộ số liệu', expiresInDays: 30 });
    expect(judged(createdToken, 'POST', '/me/tokens', 201)).toEqual({ status: 201, defects: [] });
    const listed = await t.http().get('/me/tokens').set('Authorization', `Bearer ${createdToken.body.token as string}`);
    expect(judged(listed, 'GET', '/me/tokens', 200)).toEqual({ status: 200, defects: [] });
    expect(listed.body).toEqual([{ tokenId: createdToken.body.tokenId, name: 'Đồng bộ số liệu', createdAt: expect.any(String), expiresAt: createdToken.body.expiresAt }]);
  });

  it('GET /health, /health/live and /health/ready', async () => {
    for (const path of ['/health', '/health/live', '/health/ready']) {
      expect(judged(await t.http().get(path), 'GET', path, 200)).toEqual({ status: 200, defects: [] });
    }
  });

  it('POST /recalculation-runs/{runId}/retry: a finished run has nothing to retry', async () => {
    const runId = recalculationRunId((await t.eventStore.readStream(`period-${PERIOD_ID}`)).at(-1)!.id);
    const retried = await t.http().post(`/recalculation-runs/${runId}/retry`).set('Authorization', await t.bearer('admin@daknong'));
    expect(judged(retried, 'POST', '/recalculation-runs/{runId}/retry', 202)).toEqual({ status: 202, defects: [] });
    expect(retried.body).toEqual({ runId, retried: 0 });
  });

  it('GET /admin/projections, POST /admin/projections/{projectionId}/rebuild and GET /admin/projections/{projectionId}: building, then live', async () => {
    const admin = await t.bearer('admin@daknong');
    const listed = await t.http().get('/admin/projections').set('Authorization', admin);
    expect(judged(listed, 'GET', '/admin/projections', 200)).toEqual({ status: 200, defects: [] });
    const accepted = await t.http().post('/admin/projections/audit-trail/rebuild').set('Authorization', admin);
    expect(judged(accepted, 'POST', '/admin/projections/{projectionId}/rebuild', 202)).toEqual({ status: 202, defects: [] });
    let status = await t.http().get('/admin/projections/audit-trail').set('Authorization', admin);
    for (let i = 0; i < 200 && status.body.state !== 'live'; i += 1) {
      await sleep(100);
      status = await t.http().get('/admin/projections/audit-trail').set('Authorization', admin);
    }
    expect(judged(status, 'GET', '/admin/projections/{projectionId}', 200)).toEqual({ status: 200, defects: [] });
    expect(status.body).toMatchObject({ liveVersion: 2, state: 'live', building: null, lastSwitchedAt: expect.any(String) });
  });

  it('names what departs from a schema: a missing field, an undeclared one, a wrong type, a null where none is allowed', () => {
    const schema = responseSchemaOf(document, 'POST', '/accounts/{login}/reset', 200);
    expect(schemaDefects(document, schema, { login: 'a@b.vn', expiresAt: '2026-12-07T00:00:00Z', mailed: 'no', activationLink: null, position: null, extra: 1 })).toEqual([
      '$.mailed: expected a boolean, got "no"',
      '$.extra: sent but not in the schema',
    ]);
    expect(schemaDefects(document, schema, { login: null, expiresAt: 'soon', mailed: true })).toEqual([
      '$.activationLink: required but missing',
      '$.position: required but missing',
      '$.login: null where the schema does not allow it',
      '$.expiresAt: "soon" is not a date-time',
    ]);
  });
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Collects a binary answer (the form workbook) as a Buffer. */
function binary(res: Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}
const PERIOD = 'schemas-2030';
const FRAMEWORK = 'schemas-mini';
const UNIT = '660';
/** The mini framework, its second criterion one a unit may mark not applicable. */
const framework: FrameworkDefinition = {
  ...miniFramework,
  id: FRAMEWORK,
  tiers: miniFramework.tiers.map((tier) => ({
    ...tier,
    parts: tier.parts.map((part) => ({
      ...part,
      groups: part.groups.map((group) => ({ ...group, criteria: group.criteria.map((c) => (c.code === 'D.HT.2' ? { ...c, mayBeNotApplicable: true } : c)) })),
    })),
  })),
};

/**
 * One small province carried through HTTP by the demo's people: units registered and reorganised, a
 * framework drafted, published and amended, a period opened, one district's assessment through
 * every step of its workflow to an appeal and a correction; each answer judged against its schema.
 */
describe('response schemas: a journey from units to a corrected ranking', () => {
  let t: TestApp;
  let document: OpenApiResponsesDocument;
  const bearers = new Map<string, string>();
  const as = async (login: string) => {
    if (!bearers.has(login)) bearers.set(login, await t.bearer(login));
    return bearers.get(login)!;
  };
  const post = async (login: string, path: string, body?: object) => t.http().post(path).set('Authorization', await as(login)).send(body ?? {});
  const get = async (login: string | null, path: string) => (login === null ? t.http().get(path) : t.http().get(path).set('Authorization', await as(login)));
  const judged = (res: Response, method: string, path: string, status: number) => judgeAgainst(document, res, method, path, status);
  const ok = { status: 200, defects: [] };
  const created = { status: 201, defects: [] };
  /** Reads until `ready` holds: the read side follows the commands a moment later. */
  const until = async (read: () => Promise<Response>, ready: (res: Response) => boolean, what: string): Promise<Response> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await read();
      if (ready(res)) return res;
      if (Date.now() > deadline) throw new Error(`${what}: still ${res.status} ${JSON.stringify(res.body)}`);
      await sleep(50);
    }
  };
  const base = `/periods/${PERIOD}/assessments/${UNIT}`;
  const A = '/periods/{periodId}/assessments/{unitCode}';
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    t = await startTestApp({ redisUrl: undefined, runWorker: 'true' });
    document = (await t.http().get('/docs/openapi.json').expect(200)).body as OpenApiResponsesDocument;
    servedDocument = document;
  }, 90_000);

  afterAll(() => t.close());

  it('unit commands, the unit list import and GET /units, GET /units/{code}: registered, renamed, retyped, dissolved, merged', async () => {
    expect(judged(await post('admin@daknong', '/units', { code: '67', name: 'Tỉnh Đắk Nông', type: 'tỉnh', tier: 'province', parentCode: null }), 'POST', '/units', 201)).toEqual(created);
    await until(() => get('admin@daknong', '/units/67'), (res) => res.status === 200, 'the province');
    expect((await post('admin@daknong', '/units', { code: UNIT, name: 'Thị xã Gia Nghĩa', type: 'thị xã', tier: 'district', parentCode: '67' })).status).toBe(201);
    for (const code of ['24611', '24612', '24613', '24614']) {
      expect((await post('admin@daknong', '/units', { code, name: `Xã ${code}`, type: 'xã', tier: 'commune', parentCode: UNIT })).status).toBe(201);
    }
    const change = { effectiveDate: '2030-01-01', decisionRef: '1/NQ-UBTVQH' };
    expect(judged(await post('admin@daknong', '/units/24611/rename', { name: 'Xã Quảng Thành', ...change }), 'POST', '/units/{code}/rename', 200)).toEqual(ok);
    expect(judged(await post('admin@daknong', '/units/24612/type', { type: 'phường', ...change }), 'POST', '/units/{code}/type', 200)).toEqual(ok);
    expect(judged(await post('admin@daknong', '/units/24613/dissolve', { effectiveDate: '2030-01-01', legalBasis: '2/NQ-UBTVQH' }), 'POST', '/units/{code}/dissolve', 200)).toEqual(ok);
    const merged = await post('admin@daknong', '/units/merges', {
      successorCode: '24615',
      predecessorCodes: ['24611', '24614'],
      comparisonRule: 'mean',
      effectiveDate: '2030-02-01',
      legalBasis: '3/NQ-UBTVQH',
      name: 'Xã Quảng Thành mới',
      type: 'xã',
      tier: 'commune',
      parentCode: UNIT,
    });
    expect(judged(merged, 'POST', '/units/merges', 201)).toEqual(created);
    const successor = await get('admin@daknong', '/units/24615');
    expect(judged(successor, 'GET', '/units/{code}', 200)).toEqual(ok);
    expect(successor.body.merges).toHaveLength(1);
    const imported = await t.http().post('/units/import').set('Authorization', await as('admin@daknong')).set('Content-Type', 'text/csv').send(['code,name,type,parent_code', '24616,Xã Đắk Ha,xã,660'].join('\n'));
    expect(judged(imported, 'POST', '/units/import', 200)).toEqual(ok);
    const listed = await get('admin@daknong', `/units?provinceCode=67&after=${encodeURIComponent(imported.body.position)}`);
    expect(judged(listed, 'GET', '/units', 200)).toEqual(ok);
    expect(listed.body.items.map((unit: { code: string }) => unit.code)).toContain('24616');
    const renamed = await get('admin@daknong', '/units/24611');
    expect(judged(renamed, 'GET', '/units/{code}', 200)).toEqual(ok);
    expect(renamed.body).toMatchObject({ status: 'merged_into', successorCode: '24615', history: [expect.objectContaining({ name: 'Xã 24611' })] });
  });

  it('framework commands and reads: a draft, then a published version', async () => {
    expect(judged(await post('admin@daknong', '/frameworks', { frameworkId: FRAMEWORK, definition: framework }), 'POST', '/frameworks', 201)).toEqual(created);
    const draft = await get('admin@daknong', `/frameworks/${FRAMEWORK}`);
    expect(judged(draft, 'GET', '/frameworks/{frameworkId}', 200)).toEqual(ok);
    expect(draft.body).toMatchObject({ status: 'draft', current: null });
    expect(judged(await post('admin@daknong', `/frameworks/${FRAMEWORK}/publish`, { decisionReference: '2392/QĐ-BTTTT' }), 'POST', '/frameworks/{frameworkId}/publish', 200)).toEqual(ok);
    const published = await get('editor.660@daknong', `/frameworks/${FRAMEWORK}`);
    expect(judged(published, 'GET', '/frameworks/{frameworkId}', 200)).toEqual(ok);
    expect(published.body).toMatchObject({ status: 'published', draft: null, current: { frameworkVersion: 1, amendment: null } });
    expect(judged(await get('reviewer.1@daknong', `/frameworks/${FRAMEWORK}/versions/1`), 'GET', '/frameworks/{frameworkId}/versions/{version}', 200)).toEqual(ok);
  });

  it('POST /periods, POST /periods/{periodId}/deadlines and GET /periods', async () => {
    const opened = await until(
      () => post('admin@daknong', '/periods', { periodId: PERIOD, provinceCode: '67', year: 2030, framework: { id: FRAMEWORK, version: 1 }, deadlines: { selfAssessment: '2099-11-30', review: '2099-12-20', appealWindowDays: 15 } }),
      (res) => res.body?.code !== 'PERIOD.UNKNOWN_PROVINCE',
      'opening the period',
    );
    expect(judged(opened, 'POST', '/periods', 201)).toEqual(created);
    const extended = await post('admin@daknong', `/periods/${PERIOD}/deadlines`, { selfAssessment: '2099-12-01', reason: 'Gia hạn theo đề nghị của các đơn vị' });
    expect(judged(extended, 'POST', '/periods/{periodId}/deadlines', 200)).toEqual(ok);
    const periods = await until(() => get('admin@daknong', '/periods'), (res) => res.body?.items?.some((period: { periodId: string }) => period.periodId === PERIOD), 'the period listed');
    expect(judged(periods, 'GET', '/periods', 200)).toEqual(ok);
  });

  it('the self-assessment: start, score, not applicable, a file uploaded, the answers saved at once, the form round trip, submit, withdraw, submit again', async () => {
    expect(judged(await post('editor.660@daknong', base), 'POST', A, 201)).toEqual(created);
    const scored = await post('editor.660@daknong', `${base}/criteria/D.HT.1/score`, { answer: { kind: 'value', value: 28 }, evidence: [{ reference: 'Quyết định 12/QĐ-UBND (bản giấy)' }] });
    expect(judged(scored, 'POST', `${A}/criteria/{criterionCode}/score`, 200)).toEqual(ok);
    const notApplicable = await post('editor.660@daknong', `${base}/criteria/D.HT.2/not-applicable`, { explanation: 'Đơn vị không có hạ tầng này' });
    expect(judged(notApplicable, 'POST', `${A}/criteria/{criterionCode}/not-applicable`, 200)).toEqual(ok);
    expect((await post('editor.660@daknong', `${base}/criteria/D.HT.2/score`, { answer: { kind: 'value', value: 18 }, evidence: [] })).status).toBe(200);
    const upload = await t.http().post(`${base}/evidence`).set('Authorization', await as('editor.660@daknong')).attach('file', samplePdf('Ke hoach 2030'), { filename: 'Kế hoạch 2030.pdf', contentType: 'application/pdf' });
    expect(judged(upload, 'POST', `${A}/evidence`, 201)).toEqual(created);
    const answers = await post('editor.660@daknong', `${base}/answers`, {
      items: [{ criterionCode: 'D.HT.1', answer: { kind: 'value', value: 28 }, evidence: [{ id: upload.body.id }, { reference: 'Quyết định 12/QĐ-UBND (bản giấy)' }] }],
    });
    expect(judged(answers, 'POST', `${A}/answers`, 200)).toEqual(ok);
    const draft = await get('editor.660@daknong', `${base}?after=${encodeURIComponent(answers.body.position)}`);
    expect(judged(draft, 'GET', A, 200)).toEqual(ok);
    expect(draft.body.criteria[0]).toMatchObject({ self: { evidence: [{ kind: 'file', uploadId: upload.body.id }, { kind: 'reference' }] }, review: null });
    const form = await t.http().get(`${base}/form.xlsx`).set('Authorization', await as('editor.660@daknong')).buffer(true).parse(binary);
    expect(form.status).toBe(200);
    const unchanged = await t.http().post(`${base}/form.xlsx`).set('Authorization', await as('editor.660@daknong')).set('Content-Type', XLSX).send(form.body as Buffer);
    expect(judged(unchanged, 'POST', `${A}/form.xlsx`, 200)).toEqual(ok);
    expect(judged(await post('lead.660@daknong', `${base}/submit`), 'POST', `${A}/submit`, 200)).toEqual(ok);
    expect(judged(await post('lead.660@daknong', `${base}/withdraw`), 'POST', `${A}/withdraw`, 200)).toEqual(ok);
    expect((await post('lead.660@daknong', `${base}/submit`)).status).toBe(200);
  });

  it('the review: start, accept, adjust, return, resubmit, accept the rest, complete, send back, reopen, approve; the queue on the way', async () => {
    const queued = await until(() => get('reviewer.1@daknong', '/review-queue'), (res) => res.body?.items?.length === 1, 'the review queue');
    expect(judged(queued, 'GET', '/review-queue', 200)).toEqual(ok);
    expect(judged(await post('reviewer.1@daknong', `${base}/review/start`), 'POST', `${A}/review/start`, 200)).toEqual(ok);
    expect(judged(await post('reviewer.1@daknong', `${base}/criteria/D.HT.1/accept`), 'POST', `${A}/criteria/{criterionCode}/accept`, 200)).toEqual(ok);
    const adjusted = await post('reviewer.1@daknong', `${base}/criteria/D.HT.2/adjust`, { answer: { kind: 'value', value: 16 }, reason: 'Thiếu minh chứng một phần' });
    expect(judged(adjusted, 'POST', `${A}/criteria/{criterionCode}/adjust`, 200)).toEqual(ok);
    const returned = await post('reviewer.1@daknong', `${base}/return`, { comment: 'Bổ sung minh chứng tiêu chí D.HT.2', flaggedCriteria: ['D.HT.2'] });
    expect(judged(returned, 'POST', `${A}/return`, 200)).toEqual(ok);
    expect(judged(await post('lead.660@daknong', `${base}/resubmit`), 'POST', `${A}/resubmit`, 200)).toEqual(ok);
    expect((await post('reviewer.1@daknong', `${base}/review/start`)).status).toBe(200);
    expect(judged(await post('reviewer.1@daknong', `${base}/review/accept-remaining`), 'POST', `${A}/review/accept-remaining`, 200)).toEqual(ok);
    expect(judged(await post('reviewer.1@daknong', `${base}/review/complete`), 'POST', `${A}/review/complete`, 200)).toEqual(ok);
    expect(judged(await post('approver.1@daknong', `${base}/send-back`, { comment: 'Xem lại điểm D.HT.1' }), 'POST', `${A}/send-back`, 200)).toEqual(ok);
    expect((await post('reviewer.1@daknong', `${base}/review/complete`)).status).toBe(200);
    const reopened = await post('reviewer.1@daknong', `${base}/review/reopen`, { reason: 'Phát hiện sai sót khi đối chiếu' });
    expect(judged(reopened, 'POST', `${A}/review/reopen`, 200)).toEqual(ok);
    const completed = await post('reviewer.1@daknong', `${base}/review/complete`);
    expect(completed.status).toBe(200);
    const reviewed = await get('approver.2@daknong', `${base}?after=${encodeURIComponent(completed.body.position)}`);
    expect(judged(reviewed, 'GET', A, 200)).toEqual(ok);
    expect(reviewed.body).toMatchObject({ status: 'reviewed', nextActions: expect.arrayContaining(['ApproveAssessment']) });
    const approvals = await until(() => get('approver.2@daknong', '/review-queue'), (res) => res.body?.items?.[0]?.queue === 'approval', 'the approval queue');
    expect(judged(approvals, 'GET', '/review-queue', 200)).toEqual(ok);
    expect(judged(await post('approver.2@daknong', `${base}/approve`, { revision: reviewed.body.revision }), 'POST', `${A}/approve`, 200)).toEqual(ok);
  });

  it('what-if, an amendment and its pin, then the period closed and published', async () => {
    const amendment = { cause: 'Điều chỉnh ngưỡng mức', decisionReference: '12/QĐ-UBND', changes: [{ kind: 'levels_changed', tier: 'district', partCode: 'readiness', levels: framework.tiers[0]!.parts[0]!.levels.map((band) => ({ ...band, minScore: band.minScore - 2 })) }] };
    const whatIf = await post('admin@daknong', `/frameworks/${FRAMEWORK}/amendments/what-if`, { periodId: PERIOD, amendment });
    expect(judged(whatIf, 'POST', '/frameworks/{frameworkId}/amendments/what-if', 200)).toEqual(ok);
    expect(judged(await post('admin@daknong', `/frameworks/${FRAMEWORK}/amendments`, amendment), 'POST', '/frameworks/{frameworkId}/amendments', 201)).toEqual(created);
    const amended = await get('admin@daknong', `/frameworks/${FRAMEWORK}/versions/2`);
    expect(judged(amended, 'GET', '/frameworks/{frameworkId}/versions/{version}', 200)).toEqual(ok);
    expect(amended.body.amendment).toMatchObject({ cause: amendment.cause });
    const pinned = await post('admin@daknong', `/periods/${PERIOD}/framework-version`, { frameworkId: FRAMEWORK, version: 2, cause: 'Áp dụng ngưỡng mới', decisionRef: '12/QĐ-UBND' });
    expect(judged(pinned, 'POST', '/periods/{periodId}/framework-version', 200)).toEqual(ok);
    expect(judged(await post('admin@daknong', `/periods/${PERIOD}/self-assessment/close`), 'POST', '/periods/{periodId}/self-assessment/close', 200)).toEqual(ok);
    const published = await until(
      () => post('admin@daknong', `/periods/${PERIOD}/publish`, { decisionNumber: '15/QĐ-UBND', decisionDate: today }),
      (res) => res.body?.code !== 'PERIOD.UNITS_NOT_APPROVED',
      'publishing the period',
    );
    expect(judged(published, 'POST', '/periods/{periodId}/publish', 200)).toEqual(ok);
  });

  it('the rankings, open data, public evidence, past results imported and the unit history', async () => {
    const ranking = await until(() => get(null, `/periods/${PERIOD}/rankings/district/readiness`), (res) => res.status === 200 && res.body.ranked?.length === 1, 'the public ranking');
    expect(judged(ranking, 'GET', '/periods/{periodId}/rankings/{tier}/{part}', 200)).toEqual(ok);
    expect(ranking.body).toMatchObject({ provisional: false, decision: { number: '15/QĐ-UBND' } });
    expect(judged(await get(null, `/periods/${PERIOD}/rankings/district/readiness/open-data.json`), 'GET', '/periods/{periodId}/rankings/{tier}/{part}/open-data.json', 200)).toEqual(ok);
    // The assessment summary, which public evidence reads, follows the publication on its own runner: the ranking may show it first.
    const publicEvidence = await until(() => get(null, `/periods/${PERIOD}/units/${UNIT}/public-evidence`), (res) => res.status === 200, 'the public evidence of the published assessment');
    expect(judged(publicEvidence, 'GET', '/periods/{periodId}/units/{unitCode}/public-evidence', 200)).toEqual(ok);
    const pastResults = await t.http().post('/provinces/67/past-results').set('Authorization', await as('admin@daknong')).set('Content-Type', 'text/csv').send(['unit,year,part,score,level,decision_number,decision_date', `${UNIT},2024,readiness,40.5,II,25/QĐ-UBND,15/01/2025`].join('\n'));
    expect(judged(pastResults, 'POST', '/provinces/{provinceCode}/past-results', 200)).toEqual(ok);
    const history = await get(null, `/units/${UNIT}/history`);
    expect(judged(history, 'GET', '/units/{unitCode}/history', 200)).toEqual(ok);
    expect(history.body.periods).toEqual(expect.arrayContaining([expect.objectContaining({ periodId: PERIOD, source: 'assessed', decision: { number: '15/QĐ-UBND', date: today } })]));
  });

  it('an appeal, its resolution and the correction decision', async () => {
    const appealed = await until(() => post('lead.660@daknong', `${base}/appeal`, { reason: 'Đề nghị xem xét lại điểm D.HT.2', criteriaCodes: ['D.HT.2'] }), (res) => res.status !== 409, 'appealing');
    expect(judged(appealed, 'POST', `${A}/appeal`, 200)).toEqual(ok);
    const resolved = await post('reviewer.2@daknong', `${base}/appeal/resolve`, {
      outcome: 'revised',
      reason: 'Minh chứng bổ sung hợp lệ',
      adjustments: [{ criterionCode: 'D.HT.2', answer: { kind: 'value', value: 19 }, reason: 'Minh chứng bổ sung hợp lệ' }],
    });
    expect(judged(resolved, 'POST', `${A}/appeal/resolve`, 200)).toEqual(ok);
    const corrected = await until(
      () => post('admin@daknong', `/periods/${PERIOD}/corrections`, { decisionNumber: '16/QĐ-UBND', decisionDate: today, reason: 'Điều chỉnh sau khiếu nại' }),
      (res) => res.status !== 409,
      'the correction',
    );
    expect(judged(corrected, 'POST', '/periods/{periodId}/corrections', 201)).toEqual(created);
    const detail = await get('auditor@daknong', base);
    expect(judged(detail, 'GET', A, 200)).toEqual(ok);
  });

  it("an assessment's audit trail, the whole trail, its verification and the period's assessments", async () => {
    const trail = await until(() => get('auditor@daknong', `${base}/audit`), (res) => res.body?.events?.length > 5, 'the audit trail');
    expect(judged(trail, 'GET', `${A}/audit`, 200)).toEqual(ok);
    expect(judged(await get('admin@daknong', '/audit/events?limit=50'), 'GET', '/audit/events', 200)).toEqual(ok);
    const assessments = await get('auditor@daknong', `/periods/${PERIOD}/assessments`);
    expect(judged(assessments, 'GET', '/periods/{periodId}/assessments', 200)).toEqual(ok);
    expect(assessments.body.items).toHaveLength(1);
    const verified = await get('auditor@daknong', '/audit/verify');
    expect(judged(verified, 'GET', '/audit/verify', 200)).toEqual(ok);
    expect(verified.body.ok).toBe(true);
  });
});

describe('response schemas: coverage', () => {
  it('judges at least one real answer of every operation whose answer the document describes as JSON', () => {
    const described = Object.entries(servedDocument!.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => Object.entries(operation.responses ?? {}).some(([code, response]) => code.startsWith('2') && response.content?.['application/json']?.schema))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(described.filter((operation) => !judgedOperations.has(operation))).toEqual([]);
  });
});
