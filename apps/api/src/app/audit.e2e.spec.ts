import { accountStreamId } from '@tieuchi/accounts/domain';
import { assessmentStreamName } from '@tieuchi/assessment/data-access';
import { frameworkStreamName } from '@tieuchi/framework/data-access';
import { loadBundledFramework } from '@tieuchi/framework/domain';
import { periodStreamName } from '@tieuchi/period/data-access';
import { unitStreamName } from '@tieuchi/unit/data-access';
import { findRoutesWithoutPolicy, type Principal } from '@tieuchi/shared/auth';
import { Client } from 'pg';
import type request from 'supertest';
import { seedThroughExecutor, startTestApp, type TestApp } from '../testing/test-app';
import { DAKNONG_PEOPLE } from '@tieuchi/demo/daknong';

const period = 'daknong-2019';
const unit = '24728'; // Xã Nâm N'Jang
const criterionPath = (code: string) => `/periods/${period}/assessments/${unit}/criteria/${code}/score`;
const assessmentAudit = `/periods/${period}/assessments/${unit}/audit`;
// The whole trail (accounts, frameworks, units of every province) is read by national auditors.
const nationalAuditor: Principal = { id: 'auditor@national', roles: ['auditor'], unitCode: null, provinceCode: null, national: true };
const hueAuditor: Principal = { id: 'auditor@hue', roles: ['auditor'], unitCode: null, provinceCode: '46', national: false };
const hueAdmin: Principal = { id: 'admin@hue', roles: ['admin'], unitCode: null, provinceCode: '46', national: false };

interface AuditRow {
  position: number;
  stream: string;
  version: number;
  type: string;
  actor: string;
  correlationId: string;
  summary: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  reason: string | null;
  hash: string;
}

describe('audit trail over HTTP', () => {
  let t: TestApp;
  let auditor: string;
  let admin: string;
  let eventCount = 0;

  const waitForTrail = async (count: number): Promise<AuditRow[]> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await t.http().get('/audit/events?limit=500').set('Authorization', auditor);
      expect(res.status).toBe(200);
      if (res.body.events.length >= count) return res.body.events as AuditRow[];
      if (Date.now() > deadline) throw new Error(`audit trail has ${res.body.events.length} of ${count} rows`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  /** Asks again until `done` holds (projections catch up on their own), at most 20 s. */
  const eventually = async (ask: () => Promise<request.Response>, done: (res: request.Response) => boolean): Promise<request.Response> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await ask();
      if (res.status !== 200 || done(res) || Date.now() > deadline) return res;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    t = await startTestApp();
    auditor = await t.bearer(nationalAuditor);
    admin = await t.bearer('admin@daknong');
    const seed = seedThroughExecutor(t.app);
    await seed.publishedFramework('2392-2017', loadBundledFramework('2392-2017'));
    await seed.daknongUnits([unit]);
    await seed.period(period, {
      type: 'OpenPeriod',
      data: {
        periodId: period,
        provinceCode: '67',
        year: 2019,
        framework: { id: '2392-2017', version: 1 },
        deadlines: { selfAssessment: '2099-11-30', review: '2099-12-20', appealWindowDays: 15 },
      },
    });
    const editor = await t.bearer(`editor.${unit}@daknong`);
    expect((await t.http().post(`/periods/${period}/assessments/${unit}`).set('Authorization', editor)).status).toBe(201);
    for (const [value, explanation] of [
      [1, 'bản đầu'],
      [2.5, 'bổ sung minh chứng'],
    ] as const) {
      const res = await t
        .http()
        .post(criterionPath('X.SS.HT.3'))
        .set('Authorization', editor)
        .set('X-Correlation-Id', `score-${value}-0001`)
        .send({ answer: { kind: 'value', value }, evidence: [], explanation });
      expect(res.status).toBe(200);
    }
    // Counted per stream: the global feed may still hold back an event behind an open transaction.
    // The accounts this file signs in as are in the trail too, counted per stream: its own principals,
    // and the Đắk Nông demo's people, all provisioned at the first sign-in as one of them.
    const principals = [nationalAuditor, hueAuditor, hueAdmin];
    for (const principal of principals) await t.bearer(principal);
    const accounts = [...principals.map((p) => p.id), ...DAKNONG_PEOPLE.map((person) => person.login)].map(accountStreamId);
    const streams = [...accounts, frameworkStreamName('2392-2017'), unitStreamName('67'), unitStreamName('665'), unitStreamName(unit), periodStreamName(period), assessmentStreamName(period, unit)];
    for (const stream of streams) eventCount += (await t.eventStore.readStream(stream)).length;
    await waitForTrail(eventCount);
  }, 60_000);

  afterAll(() => t?.close());

  it('states a policy on every route', () => {
    expect(findRoutesWithoutPolicy(t.app)).toEqual([]);
  });

  it('records every event with who, when, from → to, why and the correlation id', async () => {
    const rows = await waitForTrail(eventCount);
    expect(rows.map((r) => r.position)).toEqual(rows.map((_, i) => i + 1));
    const scores = rows.filter((r) => r.type === 'CriterionScored');
    expect(scores).toHaveLength(2);
    expect(scores[0]).toMatchObject({ before: { 'criterion:X.SS.HT.3': null }, reason: 'bản đầu', actor: `editor.${unit}@daknong`, correlationId: 'score-1-0001' });
    expect(scores[1]).toMatchObject({
      stream: `assessment-${period}-${unit}`,
      before: { 'criterion:X.SS.HT.3': scores[0]!.after['criterion:X.SS.HT.3'] },
      reason: 'bổ sung minh chứng',
    });
    expect(scores[1]!.summary).toContain('criterion:X.SS.HT.3');
    const started = rows.find((r) => r.type === 'AssessmentStarted');
    expect(started).toMatchObject({ before: { status: null }, after: { status: 'draft' } });

    const byStream = await t.http().get(`/audit/events?stream=assessment-${period}-${unit}&limit=2`).set('Authorization', admin);
    expect(byStream.status).toBe(200);
    expect(byStream.body.events.map((r: AuditRow) => r.type)).toEqual(['AssessmentStarted', 'CriterionScored']);
    const next = await t.http().get(`/audit/events?stream=assessment-${period}-${unit}&after=${byStream.body.next}`).set('Authorization', admin);
    expect(next.body.events.map((r: AuditRow) => r.type)).toEqual(['CriterionScored']);
    expect(next.body.next).toBeNull();
  });

  it("shows an assessment's history to auditors, admins and the unit's own users only", async () => {
    for (const user of ['auditor@daknong', 'admin@daknong', `editor.${unit}@daknong`, `lead.${unit}@daknong`]) {
      const res = await t.http().get(assessmentAudit).set('Authorization', await t.bearer(user));
      expect(res.status).toBe(200);
      expect(res.body.events.map((r: AuditRow) => r.type)).toEqual(['AssessmentStarted', 'CriterionScored', 'CriterionScored']);
    }
    const otherUnit = await t.http().get(assessmentAudit).set('Authorization', await t.bearer('editor.24655@daknong'));
    expect(otherUnit.status).toBe(403);
    expect(otherUnit.body.code).toBe('AUTH.OTHER_UNIT');
    for (const user of ['reviewer.1@daknong', 'approver.1@daknong']) {
      expect((await t.http().get(assessmentAudit).set('Authorization', await t.bearer(user))).status).toBe(403);
    }
    expect((await t.http().get(assessmentAudit)).status).toBe(401);
  });

  it("gives an auditor or admin of one province that province's trail only (its periods, assessments and accounts), and another province's nothing of it", async () => {
    const daknongAccounts = new Set(DAKNONG_PEOPLE.map((person) => accountStreamId(person.login)));
    const all = (await waitForTrail(eventCount)).filter(
      (row) => row.stream === periodStreamName(period) || row.stream === assessmentStreamName(period, unit) || daknongAccounts.has(row.stream),
    );
    expect(all.filter((row) => daknongAccounts.has(row.stream)).length).toBeGreaterThanOrEqual(2 * DAKNONG_PEOPLE.length);
    const daknongAuditor = await t.bearer('auditor@daknong');
    // The accounts read model, which names each account's province, is kept by its own projection.
    const own = await eventually(() => t.http().get('/audit/events?limit=500').set('Authorization', daknongAuditor), (res) => res.body.events.length >= all.length);
    expect(own.status).toBe(200);
    expect(own.body.events.map((r: AuditRow) => r.position)).toEqual(all.map((r) => r.position));
    const hueAccounts = [accountStreamId(hueAuditor.id), accountStreamId(hueAdmin.id)];
    for (const who of [hueAuditor, hueAdmin]) {
      const bearer = await t.bearer(who);
      const trail = await eventually(() => t.http().get('/audit/events?limit=500').set('Authorization', bearer), (res) => res.body.events.length > 0);
      expect(trail.status).toBe(200);
      expect([...new Set(trail.body.events.map((r: AuditRow) => r.stream))].sort()).toEqual([...hueAccounts].sort());
      for (const stream of [`assessment-${period}-${unit}`, accountStreamId('admin@daknong')]) {
        const byStream = await t.http().get(`/audit/events?stream=${stream}`).set('Authorization', bearer);
        expect({ status: byStream.status, events: byStream.body.events }).toEqual({ status: 200, events: [] });
      }
      const history = await t.http().get(assessmentAudit).set('Authorization', bearer);
      expect({ status: history.status, code: history.body.code }).toEqual({ status: 403, code: 'AUTH.OTHER_PROVINCE' });
    }
    const national = await t.http().get(assessmentAudit).set('Authorization', auditor);
    expect(national.status).toBe(200);
  });

  it.each([
    ['a province grant', { id: 'chuyen.cong.tac@daknong', roles: ['auditor'], unitCode: null, provinceCode: '67', national: false }, { role: 'auditor', provinceCode: '67' }],
    ['a unit grant', { id: 'roi.don.vi@daknong', roles: ['unit_editor'], unitCode: unit, provinceCode: '67', national: false }, { role: 'unit_editor', unitCode: unit, provinceCode: '67' }],
  ] as const)("keeps an account's history in its province's trail after its last grant there (%s) is revoked", async (_kind, principal, grant) => {
    const login = principal.id;
    await t.bearer({ ...principal, roles: [...principal.roles] });
    await t.accounts.revoke(login, grant);
    // Once the accounts read model has it without a province, only the trail's grant history places it.
    const sql = new Client({ connectionString: t.config.databaseUrl });
    await sql.connect();
    try {
      const deadline = Date.now() + 20_000;
      const provinceOf = async () => (await sql.query<{ province_code: string | null }>('SELECT province_code FROM read_model.accounts WHERE login = $1', [login])).rows;
      while (JSON.stringify(await provinceOf()) !== JSON.stringify([{ province_code: null }]) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await provinceOf()).toEqual([{ province_code: null }]);
    } finally {
      await sql.end();
    }
    const stream = accountStreamId(login);
    const stored = (await t.eventStore.readStream(stream)).length;
    eventCount += stored;
    const asDaknong = await t.bearer('admin@daknong');
    const seen = await eventually(() => t.http().get(`/audit/events?stream=${stream}`).set('Authorization', asDaknong), (res) => res.body.events.length >= stored);
    expect(seen.body.events.map((r: AuditRow) => r.type)).toEqual(['AccountInvited', 'AccountActivated', 'RoleRevoked']);
    const asHue = await t.http().get(`/audit/events?stream=${stream}`).set('Authorization', await t.bearer(hueAdmin));
    expect({ status: asHue.status, events: asHue.body.events }).toEqual({ status: 200, events: [] });
  });

  it('lets only auditors and admins read the global trail and verify it', async () => {
    for (const path of ['/audit/events', '/audit/verify']) {
      expect((await t.http().get(path)).status).toBe(401);
      for (const user of [`editor.${unit}@daknong`, `lead.${unit}@daknong`, 'reviewer.1@daknong', 'approver.1@daknong']) {
        const res = await t.http().get(path).set('Authorization', await t.bearer(user));
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('AUTH.FORBIDDEN_ROLE');
      }
    }
  });

  it('names the field of bad query input', async () => {
    const badLimit = await t.http().get('/audit/events?limit=0').set('Authorization', auditor);
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.field).toBe('limit');
    const badAfter = await t.http().get('/audit/events?after=abc').set('Authorization', auditor);
    expect(badAfter.status).toBe(400);
    expect(badAfter.body.field).toBe('after');
    const unknown = await t.http().get('/audit/events?foo=1').set('Authorization', auditor);
    expect(unknown.status).toBe(400);
    expect(unknown.body.field).toBe('foo');
    const badUnit = await t.http().get(`/periods/${period}/assessments/x1/audit`).set('Authorization', auditor);
    expect(badUnit.status).toBe(400);
    expect(badUnit.body.field).toBe('unitCode');
  });

  it('verifies an untouched chain, and names exactly the row altered in SQL as the first broken link', async () => {
    const untouched = await t.http().get('/audit/verify').set('Authorization', auditor);
    expect(untouched.status).toBe(200);
    expect(untouched.body).toEqual({ ok: true, rows: eventCount, evidenceFiles: 0 });

    const rows = await waitForTrail(eventCount);
    const target = rows.find((r) => r.type === 'CriterionScored')!;
    const sql = new Client({ connectionString: t.config.databaseUrl });
    await sql.connect();
    try {
      await sql.query(`UPDATE audit.audit_events SET summary = summary || ' (sửa lén)' WHERE position = $1`, [target.position]);
    } finally {
      await sql.end();
    }
    const broken = await t.http().get('/audit/verify').set('Authorization', admin);
    expect(broken.status).toBe(200);
    expect(broken.body).toMatchObject({ ok: false, firstBrokenAt: target.position, found: target.hash });
    expect(broken.body.expected).toMatch(/^[0-9a-f]{64}$/);
    expect(broken.body.expected).not.toBe(target.hash);
  });

  it('lists every runner the process hosts to admins: position, lag, running, and which can be rebuilt; refuses everyone else', async () => {
    expect((await t.http().get('/admin/projections')).status).toBe(401);
    for (const who of [auditor, await t.bearer(`editor.${unit}@daknong`), await t.bearer('reviewer.1@daknong')]) {
      expect((await t.http().get('/admin/projections').set('Authorization', who)).status).toBe(403);
    }
    const res = await t.http().get('/admin/projections').set('Authorization', admin);
    expect(res.status).toBe(200);
    const items = res.body.items as { projectionId: string; schema: string; checkpoint: string | null; lagEvents: number | null; state: string; rebuildable: boolean; version: number | null; building: boolean }[];
    const hosted = ['assessment-summary.v1', 'rankings.v1', 'units.v1', 'accounts.v1', 'audit-trail', 'recalculation-dispatcher', 'publish-assessments-with-period'];
    expect(items.map((item) => item.projectionId)).toEqual(expect.arrayContaining(hosted));
    // This API runs the worker's part (RUN_WORKER=true): every runner holds its lock here.
    for (const id of hosted) expect(items.find((item) => item.projectionId === id)).toMatchObject({ state: 'running', lagEvents: expect.any(Number) });
    expect(items.filter((item) => item.rebuildable)).toEqual([expect.objectContaining({ projectionId: 'audit-trail', schema: 'audit_v1', version: 1, building: false })]);
    expect(items.find((item) => item.projectionId === 'rankings.v1')).toMatchObject({ schema: 'read_model', rebuildable: false, version: null, building: false });
  });

  it('rebuilds the trail beside the live one on an admin command; the rebuilt chain verifies again', async () => {
    expect((await t.http().post('/admin/projections/audit-trail/rebuild')).status).toBe(401);
    const byAuditor = await t.http().post('/admin/projections/audit-trail/rebuild').set('Authorization', auditor);
    expect(byAuditor.status).toBe(403);
    expect((await t.http().get('/admin/projections/audit-trail').set('Authorization', auditor)).status).toBe(403);
    const unknown = await t.http().post('/admin/projections/rankings-nope/rebuild').set('Authorization', admin);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('PROJECTION.NOT_FOUND');

    const accepted = await t.http().post('/admin/projections/audit-trail/rebuild').set('Authorization', admin);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ projectionId: 'audit-trail', liveVersion: 1, state: 'building', building: { version: 2 } });

    const deadline = Date.now() + 20_000;
    let status = accepted.body;
    while (status.liveVersion !== 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const res = await t.http().get('/admin/projections/audit-trail').set('Authorization', admin);
      expect(res.status).toBe(200);
      status = res.body;
    }
    expect(status).toMatchObject({ liveVersion: 2, state: 'live', building: null });
    const verified = await t.http().get('/audit/verify').set('Authorization', auditor);
    expect(verified.body).toEqual({ ok: true, rows: eventCount, evidenceFiles: 0 });
  });
});
