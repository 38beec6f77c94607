import type { Grant } from '@tieuchi/accounts/domain';
import { isProvinceRole, isUnitRole, type Principal, type Role } from '@tieuchi/shared/auth';
import type { Response } from 'supertest';
import { assessmentRoutes } from '../testing/assessment-workflow';
import { type AppRoute, appRoutes, openApiPath } from '../testing/matrix/app-routes';
import { type MatrixCase, matrixCases, MATRIX_ROLES } from '../testing/matrix/authorization-matrix';
import { EXPECTED_ROUTE_POLICIES, OTHER_UNIT, OWN_UNIT } from '../testing/matrix/expected-route-policies';
import { communeCriteria, countStoredEvents, driveAssessment, openPeriod, seedMatrixFixture } from '../testing/matrix/matrix-fixture';
import { seedThroughExecutor } from '../testing/seed-through-executor';
import { matrixHttp, problemDefect } from '../testing/matrix/matrix-http';
import { startTestApp, type TestApp } from '../testing/test-app';

// Health readiness answers 503 when a dependency is down (Redis is optional here): not an authorization answer.
const mayBeUnavailable = new Set(['GET /health', 'GET /health/ready']);

describe('authorization: every route × every role × own unit / other unit', () => {
  let t: TestApp;
  let http: ReturnType<typeof matrixHttp>;
  let routes: AppRoute[];
  let cases: MatrixCase[];

  const send = (c: MatrixCase): Promise<Response> => http.send({ method: c.route.method, url: c.url, who: c.user, body: c.policy.body, raw: c.policy.raw, contentType: c.policy.contentType });

  beforeAll(async () => {
    t = await startTestApp();
    http = matrixHttp(t);
    await seedMatrixFixture(t.app);
    routes = appRoutes(t.app);
    cases = matrixCases(routes, EXPECTED_ROUTE_POLICIES);
  }, 60_000);

  afterAll(() => t.close());

  it('has an expected policy for every route the app registers, and no entry for a route it lacks', () => {
    const registered = routes.map((route) => route.key);
    const listed = EXPECTED_ROUTE_POLICIES.map((entry) => entry.key);
    expect(registered.filter((key) => !listed.includes(key))).toEqual([]);
    const stale = EXPECTED_ROUTE_POLICIES.filter((entry) => !registered.includes(entry.key) && entry.pendingModule === undefined).map((entry) => entry.key);
    expect(stale).toEqual([]);
    expect(new Set(listed).size).toBe(listed.length);
    expect(routes.length).toBeGreaterThanOrEqual(40);
  });

  it('finds on each route exactly the @Public() / @Roles(...) the table expects', () => {
    const declared = routes.map((route) => ({ key: route.key, access: route.policy?.kind === 'roles' ? [...route.policy.roles].sort() : (route.policy?.kind ?? 'none') }));
    const expected = routes.map((route) => {
      const entry = EXPECTED_ROUTE_POLICIES.find((candidate) => candidate.key === route.key);
      return { key: route.key, access: entry?.access === 'public' || entry?.access === 'authenticated' ? entry.access : [...(entry?.access ?? [])].sort() };
    });
    expect(declared).toEqual(expected);
  });

  it('documents exactly these routes in the OpenAPI document generated from the code', async () => {
    const res = await t.http().get('/docs/openapi.json');
    const paths = res.body.paths as Record<string, Record<string, unknown>>;
    const documented = Object.entries(paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(routes.map((route) => `${route.method} ${openApiPath(route.path)}`).sort());
  });

  it('covers every route with every role, and both units where a route names one', () => {
    const covered = new Set(cases.map((c) => c.route.key));
    expect(routes.filter((route) => !covered.has(route.key)).map((route) => route.key)).toEqual([]);
    const withUnit = new Set(cases.filter((c) => c.unit !== null).map((c) => c.route.key)).size;
    expect(cases).toHaveLength((routes.length + withUnit) * MATRIX_ROLES.length);
  });

  it('refuses every denied call with 401 (anonymous) or 403 problem+json naming the reason, and appends nothing', async () => {
    const denied = cases.filter((c) => !c.expected.allowed);
    expect(denied.length).toBeGreaterThan(200);
    const wrong: string[] = [];
    for (const c of denied) {
      const before = await countStoredEvents(t.app);
      const res = await send(c);
      const after = await countStoredEvents(t.app);
      const expected = c.expected.allowed ? null : c.expected;
      const defect = problemDefect(res);
      if (res.status !== expected?.status || res.body.code !== expected.code || defect !== null || after !== before) {
        wrong.push(`${c.label}: ${res.status} ${String(res.body.code)} (expected ${expected?.status} ${expected?.code})${defect ? `, ${defect}` : ''}${after !== before ? `, ${after - before} events appended` : ''}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('lets every admitted call past authorization (what follows may still refuse it for want of prerequisites)', async () => {
    const admitted = cases.filter((c) => c.expected.allowed);
    expect(admitted.length).toBeGreaterThan(80);
    const wrong: string[] = [];
    for (const c of admitted) {
      const res = await send(c);
      const refusedByAuth = res.status === 401 || res.status === 403;
      const failed = res.status >= 500 && !mayBeUnavailable.has(c.route.key);
      const defect = res.status >= 400 ? problemDefect(res) : null;
      if (refusedByAuth || failed || defect) wrong.push(`${c.label}: ${res.status} ${String(res.body.code)}${defect ? `, ${defect}` : ''}`);
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it("hides another unit's draft as a 404, exactly as a missing assessment", async () => {
    const draft = `/periods/daknong-2019/assessments/${OWN_UNIT}`;
    const res = await http.send({ method: 'GET', url: draft, who: `editor.${OTHER_UNIT}@daknong` });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'ASSESSMENT.NOT_FOUND' });
    const missing = await http.send({ method: 'GET', url: '/periods/daknong-2019/assessments/99999', who: `editor.${OTHER_UNIT}@daknong` });
    expect({ status: missing.status, code: missing.body.code, detail: missing.body.detail.replace('99999', OWN_UNIT) }).toEqual({ status: 404, code: 'ASSESSMENT.NOT_FOUND', detail: res.body.detail });
  });

  describe('four eyes, end to end (period daknong-2018)', () => {
    const period = 'daknong-2018';
    const own = assessmentRoutes(period, OWN_UNIT);
    const other = assessmentRoutes(period, OTHER_UNIT);
    const criterion = communeCriteria[0]?.code ?? 'X.SS.HT.1';
    // A reviewer of the Sở who belongs to the unit's own staff (bound to 24728 in the token).
    // A reviewer of the Sở who is also on the unit's staff: the account holds a reviewer and a unit grant.
    const ownUnitReviewer: Principal = { id: `reviewer.${OWN_UNIT}@daknong`, roles: ['reviewer', 'unit_editor'], unitCode: OWN_UNIT, provinceCode: '67', national: false };
    const approverGrant = { role: 'approver', provinceCode: '67' } as const;

    async function refused(url: string, who: string | Principal, body: object | undefined, status: number, code: string): Promise<void> {
      const before = await countStoredEvents(t.app);
      const res = await http.send({ method: 'POST', url, who, body });
      expect({ url, status: res.status, code: res.body.code, defect: problemDefect(res), appended: (await countStoredEvents(t.app)) - before }).toEqual({
        url,
        status,
        code,
        defect: null,
        appended: 0,
      });
    }

    async function reviewedRevision(): Promise<number> {
      const completed = (await t.eventStore.readStream(own.streamName)).filter((e) => e.type === 'ReviewCompleted').at(-1);
      return Number((completed?.data as { revision?: unknown } | undefined)?.revision);
    }

    beforeAll(async () => {
      await openPeriod(t.app, period, 2018);
      await driveAssessment(t.app, period, OWN_UNIT, 'submitted');
      await driveAssessment(t.app, period, OTHER_UNIT, 'submitted');
    }, 60_000);

    it("never lets a reviewer bound to the unit touch that unit's review, while they may review another unit", async () => {
      const reviewerCalls: readonly [string, object | undefined][] = [
        [own.startReview, undefined],
        [own.accept(criterion), undefined],
        [own.adjust(criterion), { answer: { kind: 'value', value: 1 }, reason: 'Thiếu minh chứng' }],
        [own.returnToUnit, { comment: 'Bổ sung minh chứng' }],
        [own.completeReview, undefined],
        [own.resolveAppeal, { outcome: 'upheld', reason: 'Giữ nguyên' }],
      ];
      for (const [url, body] of reviewerCalls) await refused(url, ownUnitReviewer, body, 403, 'ASSESSMENT.OWN_UNIT_REVIEW');
      const elsewhere = await http.send({ method: 'POST', url: other.startReview, who: ownUnitReviewer });
      expect({ status: elsewhere.status, events: elsewhere.body.events }).toEqual({ status: 200, events: ['ReviewStarted'] });
    });

    it('never lets the submitter or the reviewer approve; another approver does', async () => {
      const reviewer = 'reviewer.1@daknong';
      expect((await http.send({ method: 'POST', url: own.startReview, who: reviewer })).status).toBe(200);
      for (const c of communeCriteria) expect((await http.send({ method: 'POST', url: own.accept(c.code), who: reviewer })).status).toBe(200);
      const completed = await http.send({ method: 'POST', url: own.completeReview, who: reviewer });
      expect({ status: completed.status, events: completed.body.events }).toEqual({ status: 200, events: ['ReviewCompleted'] });
      const revision = { revision: await reviewedRevision() };

      // The submitter's and the reviewer's own accounts, granted the approver role as well.
      await t.accounts.withGrant(`lead.${OWN_UNIT}@daknong`, approverGrant, () => refused(own.approve, `lead.${OWN_UNIT}@daknong`, revision, 403, 'ASSESSMENT.FOUR_EYES'));
      await t.accounts.withGrant(reviewer, approverGrant, () => refused(own.approve, reviewer, revision, 403, 'ASSESSMENT.FOUR_EYES'));
      await refused(own.approve, reviewer, revision, 403, 'AUTH.FORBIDDEN_ROLE');
      await refused(own.approve, `lead.${OWN_UNIT}@daknong`, revision, 403, 'AUTH.FORBIDDEN_ROLE');
      await refused(own.approve, 'admin@daknong', revision, 403, 'AUTH.FORBIDDEN_ROLE');

      const approved = await http.send({ method: 'POST', url: own.approve, who: 'approver.2@daknong', body: revision });
      expect({ status: approved.status, events: approved.body.events }).toEqual({ status: 200, events: ['AssessmentApproved'] });
      const stream = await t.eventStore.readStream(own.streamName);
      const actors = (type: string) => [...new Set(stream.filter((e) => e.type === type).map((e) => e.metadata.actor))];
      expect({ submitted: actors('AssessmentSubmitted'), reviewed: actors('ReviewCompleted'), approved: actors('AssessmentApproved') }).toEqual({
        submitted: [`lead.${OWN_UNIT}@daknong`],
        reviewed: [reviewer],
        approved: ['approver.2@daknong'],
      });
    }, 30_000);
  });
  describe('four eyes on every judging route: approve, send back, resolve an appeal (issue 15 item 4; period daknong-2017)', () => {
    const period = 'daknong-2017';
    const own = assessmentRoutes(period, OWN_UNIT);
    type Judge = readonly [login: string, role: 'approver' | 'reviewer'];
    // Staff of the unit who also judge, and the people who took a part in the assessment since moved to the judging role only.
    const parts = (role: Judge[1]): readonly [string, Judge][] => [
      ['belongs to the unit', [`${role}.${OWN_UNIT}@daknong`, role]],
      ['scored its criteria', [`editor.${OWN_UNIT}@daknong`, role]],
      ['submitted it', [`lead.${OWN_UNIT}@daknong`, role]],
    ];

    async function judged(url: string, [login, role]: Judge, body: object): Promise<{ status: number; code: unknown; defect: string | null; appended: number }> {
      const act = async () => {
        const before = await countStoredEvents(t.app);
        const res = await http.send({ method: 'POST', url, who: login, body });
        return { status: res.status, code: res.body.code, defect: problemDefect(res), appended: (await countStoredEvents(t.app)) - before };
      };
      const holds = (await t.accounts.grantsOf(login)).some((grant) => grant.role === role);
      return holds ? act() : t.accounts.holding(login, [{ role, provinceCode: '67' }], act);
    }

    beforeAll(async () => {
      // Staff of the unit who also hold a judging role of the province.
      for (const role of ['approver', 'reviewer'] as const) {
        await t.bearer({ id: `${role}.${OWN_UNIT}@daknong`, roles: [role, 'unit_editor'], unitCode: OWN_UNIT, provinceCode: '67', national: false });
      }
      await openPeriod(t.app, period, 2017);
      await driveAssessment(t.app, period, OWN_UNIT, 'submitted');
      const reviewer = 'reviewer.1@daknong';
      expect((await http.send({ method: 'POST', url: own.startReview, who: reviewer })).status).toBe(200);
      for (const c of communeCriteria) expect((await http.send({ method: 'POST', url: own.accept(c.code), who: reviewer })).status).toBe(200);
      expect((await http.send({ method: 'POST', url: own.completeReview, who: reviewer })).status).toBe(200);
    }, 60_000);

    it('refuses approval and send-back to whoever belongs to the unit, scored, submitted or reviewed it (403 ASSESSMENT.FOUR_EYES)', async () => {
      const completed = (await t.eventStore.readStream(own.streamName)).filter((e) => e.type === 'ReviewCompleted').at(-1);
      const revision = Number((completed?.data as { revision?: unknown } | undefined)?.revision);
      const routes: readonly [string, object][] = [
        [own.approve, { revision }],
        [own.sendBack, { comment: 'Xem lại' }],
      ];
      const answers: Record<string, unknown> = {};
      const expected: Record<string, unknown> = {};
      for (const [url, body] of routes) {
        for (const [part, who] of [...parts('approver'), ['reviewed it', ['reviewer.1@daknong', 'approver']] as const]) {
          answers[`${url} × ${part}`] = await judged(url, who, body);
          expected[`${url} × ${part}`] = { status: 403, code: 'ASSESSMENT.FOUR_EYES', defect: null, appended: 0 };
        }
      }
      expect(answers).toEqual(expected);
      const approved = await http.send({ method: 'POST', url: own.approve, who: 'approver.2@daknong', body: { revision } });
      expect({ status: approved.status, events: approved.body.events }).toEqual({ status: 200, events: ['AssessmentApproved'] });
    });

    it('refuses an appeal to the unit, the original reviewer, and whoever scored, submitted or approved it; another reviewer resolves it', async () => {
      const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
      const seed = seedThroughExecutor(t.app);
      await seed.period(period, { type: 'CloseSelfAssessment', data: { periodId: period } });
      await seed.period(period, { type: 'PublishPeriod', data: { periodId: period, decisionNumber: '9/QĐ-UBND', decisionDate: today, exclusions: [], unitsWithoutApproval: [] } });
      const appealed = await http.send({ method: 'POST', url: own.appeal, who: `lead.${OWN_UNIT}@daknong`, body: { reason: 'Điểm chưa đúng', criteriaCodes: [communeCriteria[0]?.code] } });
      expect({ status: appealed.status, events: appealed.body.events }).toEqual({ status: 200, events: expect.arrayContaining(['AssessmentAppealed']) });
      const body = { outcome: 'upheld', reason: 'Giữ nguyên' };
      const answers: Record<string, unknown> = {};
      for (const [part, who] of [
        ...parts('reviewer'),
        ['reviewed it', ['reviewer.1@daknong', 'reviewer']],
        ['approved it', ['approver.2@daknong', 'reviewer']],
      ] as const) {
        answers[part] = await judged(own.resolveAppeal, who, body);
      }
      const refused = (code: string) => ({ status: 403, code, defect: null, appended: 0 });
      expect(answers).toEqual({
        'belongs to the unit': refused('ASSESSMENT.OWN_UNIT_REVIEW'),
        'scored its criteria': refused('ASSESSMENT.FOUR_EYES'),
        'submitted it': refused('ASSESSMENT.FOUR_EYES'),
        'reviewed it': refused('ASSESSMENT.ORIGINAL_REVIEWER'),
        'approved it': refused('ASSESSMENT.FOUR_EYES'),
      });
      const resolved = await http.send({ method: 'POST', url: own.resolveAppeal, who: 'reviewer.2@daknong', body });
      expect(resolved.status).toBe(200);
    });
  });

  describe('jurisdiction and replays: another province, another unit (issue 15 items 2 and 7)', () => {
    const HUE = '46';
    const scoped = EXPECTED_ROUTE_POLICIES.filter((policy) => policy.provinceScoped !== undefined);
    const staffRoles = (c: MatrixCase): boolean => c.role !== 'anonymous' && isProvinceRole(c.role);
    // Units of the assessment routes: the other unit's assessment is submitted, so staff may read it.
    const scopedCases = (): MatrixCase[] => matrixCases(routes, scoped).filter((c) => c.expected.allowed && staffRoles(c) && c.unit !== 'own');

    it('refuses every province-scoped route to each staff role held for another province, before anything is appended', async () => {
      const cases = scopedCases();
      expect(new Set(cases.map((c) => c.route.key)).size).toBe(scoped.filter((policy) => routes.some((route) => route.key === policy.key)).length);
      const wrong: string[] = [];
      for (const c of cases) {
        const role = c.role as Role;
        const who: Principal = { id: `${role}@hue`, roles: [role], unitCode: null, provinceCode: HUE, national: false };
        const before = await countStoredEvents(t.app);
        const res = await http.send({ method: c.route.method, url: c.url, who, body: c.policy.body, raw: c.policy.raw, contentType: c.policy.contentType });
        const appended = (await countStoredEvents(t.app)) - before;
        const defect = problemDefect(res);
        if (res.status !== 403 || res.body.code !== c.policy.provinceScoped || defect || appended !== 0) {
          wrong.push(`${role} of ${HUE} × ${c.route.key}: ${res.status} ${String(res.body.code)} (expected 403 ${c.policy.provinceScoped})${defect ? `, ${defect}` : ''}${appended ? `, ${appended} appended` : ''}`);
        }
      }
      expect(wrong).toEqual([]);
      expect(cases.length).toBeGreaterThanOrEqual(25);
    }, 60_000);

    it('admits national staff to every province-scoped route', async () => {
      const wrong: string[] = [];
      for (const c of scopedCases()) {
        const role = c.role as Role;
        const who: Principal = { id: `${role}@national`, roles: [role], unitCode: null, provinceCode: null, national: true };
        const res = await http.send({ method: c.route.method, url: c.url, who, body: c.policy.body, raw: c.policy.raw, contentType: c.policy.contentType });
        if (res.status === 401 || res.status === 403 || res.status >= 500) wrong.push(`national ${role} × ${c.route.key}: ${res.status} ${String(res.body.code)}`);
      }
      expect(wrong).toEqual([]);
    }, 60_000);

    // On a fresh copy of the matrix's world, so that the first calls find their prerequisites and are remembered.
    describe('Idempotency-Key replays', () => {
      let f: TestApp;
      let fresh: ReturnType<typeof matrixHttp>;

      beforeAll(async () => {
        f = await startTestApp();
        fresh = matrixHttp(f);
        await seedMatrixFixture(f.app);
      }, 60_000);

      afterAll(() => f.close());

      it("never replays an answer remembered under an Idempotency-Key to the same account once it holds another unit's or province's grant", async () => {
        const posts = matrixCases(routes, EXPECTED_ROUTE_POLICIES).filter(
          (c) =>
            c.route.method === 'POST' &&
            c.expected.allowed &&
            c.unit !== 'other' &&
            c.role !== 'anonymous' &&
            ((c.policy.unitBound && isUnitRole(c.role)) || (c.policy.provinceScoped !== undefined && isProvinceRole(c.role))),
        );
        const wrong: string[] = [];
        const remembered: string[] = [];
        for (const [index, c] of posts.entries()) {
          const role = c.role as Role;
          const key = `matrix-replay-${index}-${role}`;
          const headers = { 'Idempotency-Key': key };
          const first = await fresh.send({ method: 'POST', url: c.url, who: c.user, body: c.policy.body, raw: c.policy.raw, contentType: c.policy.contentType, headers });
          if (first.status < 300) {
            remembered.push(c.label);
            const again = await fresh.send({ method: 'POST', url: c.url, who: c.user, body: c.policy.body, raw: c.policy.raw, contentType: c.policy.contentType, headers });
            if (again.headers['idempotent-replayed'] !== 'true') wrong.push(`${c.label}: the same authority got no replay`);
          }
          // The same token, its account moved to another unit or province: grants are read from the account.
          const moved: Grant[] = [isUnitRole(role) ? { role: role as 'unit_editor' | 'unit_lead', unitCode: OTHER_UNIT, provinceCode: '67' } : { role: role as Exclude<Role, 'unit_editor' | 'unit_lead'>, provinceCode: HUE }];
          const expectedCode = isUnitRole(role) ? 'AUTH.OTHER_UNIT' : c.policy.provinceScoped;
          const before = await countStoredEvents(f.app);
          const replay = await f.accounts.holding(c.user!, moved, () =>
            fresh.send({ method: 'POST', url: c.url, who: c.user, body: c.policy.body, raw: c.policy.raw, contentType: c.policy.contentType, headers }),
          );
          const appended = (await countStoredEvents(f.app)) - before;
          if (replay.status !== 403 || replay.body.code !== expectedCode || replay.headers['idempotent-replayed'] !== undefined || appended !== 0) {
            wrong.push(`${c.label} replayed with another ${isUnitRole(role) ? 'unit' : 'province'}: ${replay.status} ${String(replay.body.code)} (expected 403 ${expectedCode})${appended ? `, ${appended} appended` : ''}`);
          }
        }
        expect(wrong).toEqual([]);
        // The replays above were real: this many first answers were remembered under their keys.
        expect(remembered.length).toBeGreaterThanOrEqual(8);
      }, 90_000);
    });
  });
});
