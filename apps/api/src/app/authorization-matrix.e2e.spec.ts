import type { Principal } from '@tieuchi/shared/auth';
import type { Response } from 'supertest';
import { assessmentRoutes } from '../testing/assessment-workflow';
import { type AppRoute, appRoutes, openApiPath } from '../testing/matrix/app-routes';
import { type MatrixCase, matrixCases, MATRIX_ROLES } from '../testing/matrix/authorization-matrix';
import { EXPECTED_ROUTE_POLICIES, OTHER_UNIT, OWN_UNIT } from '../testing/matrix/expected-route-policies';
import { communeCriteria, countStoredEvents, driveAssessment, openPeriod, seedMatrixFixture } from '../testing/matrix/matrix-fixture';
import { matrixHttp, problemDefect } from '../testing/matrix/matrix-http';
import { startTestApp, type TestApp } from '../testing/test-app';

// Health readiness answers 503 when a dependency is down (Redis is optional here): not an authorization answer.
const mayBeUnavailable = new Set(['GET /health', 'GET /health/ready']);

describe('authorization: every route × every role × own unit / other unit', () => {
  let t: TestApp;
  let http: ReturnType<typeof matrixHttp>;
  let routes: AppRoute[];
  let cases: MatrixCase[];

  const send = (c: MatrixCase): Promise<Response> => http.send({ method: c.route.method, url: c.url, who: c.user, body: c.policy.body });

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
    const ownUnitReviewer: Principal = { id: `reviewer.${OWN_UNIT}@daknong`, roles: ['reviewer'], unitCode: OWN_UNIT, provinceCode: '67', national: false };
    const submitterApprover: Principal = { id: `lead.${OWN_UNIT}@daknong`, roles: ['unit_lead', 'approver'], unitCode: OWN_UNIT, provinceCode: '67', national: false };
    const reviewerApprover: Principal = { id: 'reviewer.1@daknong', roles: ['reviewer', 'approver'], unitCode: null, provinceCode: '67', national: false };

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

      await refused(own.approve, submitterApprover, revision, 403, 'ASSESSMENT.FOUR_EYES');
      await refused(own.approve, reviewerApprover, revision, 403, 'ASSESSMENT.FOUR_EYES');
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
});
