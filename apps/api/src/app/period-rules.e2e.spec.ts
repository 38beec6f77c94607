import { assessmentStreamName } from '@tieuchi/assessment/data-access';
import { PublishAssessmentsWithPeriodProcess } from '@tieuchi/assessment/processes';
import { assessmentRoutes } from '../testing/assessment-workflow';
import type { FrameworkDefinition } from '@tieuchi/framework/domain';
import type { Principal } from '@tieuchi/shared/auth';
import { assessmentWorkflow, miniFramework } from '../testing/read-model-workflow';
import { seedThroughExecutor, startTestApp, type TestApp } from '../testing/test-app';

const units = ['660', '662', '664', '666'] as const;
const farDeadlines = { selfAssessment: '2099-11-30', review: '2099-12-20', appealWindowDays: 15 };

/** The mini framework with a third criterion answered as a percentage, which may not apply. */
const ratioFramework: FrameworkDefinition = {
  ...miniFramework,
  id: 'mini-ratio',
  tiers: miniFramework.tiers.map((tier) => ({
    ...tier,
    parts: tier.parts.map((part) => ({
      ...part,
      maxPoints: part.maxPoints + 10,
      groups: part.groups.map((group) => ({
        ...group,
        criteria: [
          ...group.criteria,
          { code: 'D.HT.3', title: 'tỷ lệ', maxPoints: 10, rule: { kind: 'ratio', target: 100 }, mayBeNotApplicable: true, evidenceRequired: false, explanationRequired: false },
        ],
      })),
    })),
  })),
};

/** Today in Vietnam (UTC+7), so that a decision of today has its appeal window open now. */
const todayLocal = (): string => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

describe('the period rules assessment commands over HTTP (issue 15 items 1, 5, 6; issue 22 item 1)', () => {
  let t: TestApp;
  let admin: string;
  const as = (user: string | Principal) => t.bearer(user);

  const openPeriod = (periodId: string, deadlines = farDeadlines, framework = 'mini') =>
    seedThroughExecutor(t.app).period(periodId, {
      type: 'OpenPeriod',
      data: { periodId, provinceCode: '67', year: 2030, framework: { id: framework, version: 1 }, deadlines },
    });

  beforeAll(async () => {
    t = await startTestApp();
    admin = await as('admin@daknong');
    const seed = seedThroughExecutor(t.app);
    await seed.publishedFramework('mini', miniFramework);
    await seed.publishedFramework('mini-ratio', ratioFramework);
    await seed.daknongUnits(units);
  }, 60_000);

  afterAll(() => t.close());

  it('refuses start, score, N/A and submit once self-assessment is closed, and start once published (409 ASSESSMENT.PERIOD_CLOSED)', async () => {
    const periodId = 'rules-closed';
    await openPeriod(periodId);
    const flow = assessmentWorkflow(t.app);
    await flow.send('editor.660@daknong', periodId, '660', { type: 'StartAssessment', data: { periodId, unitCode: '660', tier: 'district' } });
    expect((await t.http().post(`/periods/${periodId}/self-assessment/close`).set('Authorization', admin)).status).toBe(200);

    const r660 = assessmentRoutes(periodId, '660');
    const r662 = assessmentRoutes(periodId, '662');
    const editor660 = await as('editor.660@daknong');
    const refusals = [
      await t.http().post(r662.start).set('Authorization', await as('editor.662@daknong')).send({}),
      await t.http().post(r660.score('D.HT.1')).set('Authorization', editor660).send({ answer: { kind: 'value', value: 10 }, evidence: [] }),
      await t.http().post(r660.notApplicable('D.HT.2')).set('Authorization', editor660).send({ explanation: 'Không áp dụng' }),
      await t.http().post(r660.submit).set('Authorization', await as('lead.660@daknong')).send({}),
    ];
    for (const res of refusals) {
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('ASSESSMENT.PERIOD_CLOSED');
    }

    await seedThroughExecutor(t.app).period(periodId, { type: 'PublishPeriod', data: { periodId, decisionNumber: '1/QĐ-UBND', decisionDate: todayLocal(), exclusions: [], unitsWithoutApproval: [] } });
    const late = await t.http().post(assessmentRoutes(periodId, '664').start).set('Authorization', await as('editor.664@daknong')).send({});
    expect(late.body).toMatchObject({ status: 409, code: 'ASSESSMENT.PERIOD_CLOSED' });
  });

  it('enforces the self-assessment deadline and lets an administrator extend it, on record', async () => {
    const periodId = 'rules-deadline';
    await openPeriod(periodId, { selfAssessment: '2020-11-30', review: '2020-12-20', appealWindowDays: 15 });
    const start = () => t.http().post(assessmentRoutes(periodId, '660').start).set('Authorization', as660);
    const as660 = await as('editor.660@daknong');
    const refused = await start().send({});
    expect(refused.body).toMatchObject({ status: 409, code: 'ASSESSMENT.DEADLINE_PASSED' });

    const extend = (body: object) => t.http().post(`/periods/${periodId}/deadlines`).set('Authorization', admin).send(body);
    expect((await extend({ selfAssessment: '2020-11-01', reason: 'lùi' })).body).toMatchObject({ status: 400, code: 'PERIOD.INVALID_DEADLINES', field: 'selfAssessment' });
    expect((await extend({ selfAssessment: '2099-11-30' })).body).toMatchObject({ status: 400, field: 'reason' });
    const extended = await extend({ selfAssessment: '2099-11-30', review: '2099-12-20', reason: 'Gia hạn theo công văn 512' });
    expect(extended.status).toBe(200);
    expect(extended.body.events).toEqual(['PeriodDeadlinesExtended']);
    expect((await start().send({})).status).toBe(201);
    const forbidden = await t.http().post(`/periods/${periodId}/deadlines`).set('Authorization', as660).send({ review: '2099-12-31', reason: 'x' });
    expect(forbidden.status).toBe(403);
  });

  it('refuses N/A through the score endpoint without an explanation, and a percentage above 100, naming the field (400)', async () => {
    const periodId = 'rules-answers';
    await openPeriod(periodId, farDeadlines, 'mini-ratio');
    const editor = await as('editor.660@daknong');
    const r = assessmentRoutes(periodId, '660');
    expect((await t.http().post(r.start).set('Authorization', editor).send({})).status).toBe(201);
    const score = (body: object) => t.http().post(r.score('D.HT.3')).set('Authorization', editor).send({ evidence: [], ...body });
    const na = await score({ answer: { kind: 'not_applicable' } });
    expect(na.body).toMatchObject({ status: 400, code: 'ASSESSMENT.EXPLANATION_REQUIRED', field: 'data.explanation' });
    expect(na.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await score({ answer: { kind: 'not_applicable' }, explanation: 'Không có đơn vị trực thuộc' })).status).toBe(200);
    const above = await score({ answer: { kind: 'value', value: 101 } });
    expect(above.body).toMatchObject({ status: 400, code: 'ASSESSMENT.INVALID_ANSWER', field: 'data.answer.value' });
    expect((await score({ answer: { kind: 'value', value: 100 } })).status).toBe(200);
  });

  it('authorizes a keyed retry before replaying it: the same account, moved to another unit, is refused, not answered (issue 15 item 7)', async () => {
    const periodId = 'rules-replay';
    await openPeriod(periodId);
    const r = assessmentRoutes(periodId, '660');
    const editor = await as('editor.660@daknong');
    expect((await t.http().post(r.start).set('Authorization', editor).send({})).status).toBe(201);
    const body = { answer: { kind: 'value', value: 12 }, evidence: [{ reference: 'ev-1' }] };
    const first = await t.http().post(r.score('D.HT.1')).set('Authorization', editor).set('Idempotency-Key', 'score-660-ht1').send(body);
    expect(first.status).toBe(200);

    // Grants live in the account, not the token: the same token acts for unit 662 once the account is moved there.
    const own = { role: 'unit_editor', unitCode: '660', provinceCode: '67' } as const;
    const moved = { role: 'unit_editor', unitCode: '662', provinceCode: '67' } as const;
    await t.accounts.revoke('editor.660@daknong', own);
    await t.accounts.grant('editor.660@daknong', moved);
    const stolen = await t.http().post(r.score('D.HT.1')).set('Authorization', editor).set('Idempotency-Key', 'score-660-ht1').send(body);
    expect(stolen.status).toBe(403);
    expect(stolen.headers['idempotent-replayed']).toBeUndefined();
    expect(stolen.body.code).toBe('AUTH.OTHER_UNIT');
    await t.accounts.revoke('editor.660@daknong', moved);
    await t.accounts.grant('editor.660@daknong', own);

    const retry = await t.http().post(r.score('D.HT.1')).set('Authorization', editor).set('Idempotency-Key', 'score-660-ht1').send(body);
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
  });

  it("scopes reviewer authority to the period's province: a Huế reviewer cannot review a Đắk Nông unit, a national one can (issue 15 item 2)", async () => {
    const periodId = 'rules-province';
    await openPeriod(periodId);
    await assessmentWorkflow(t.app).submitted(periodId, '662', [20, 10]);
    const startReview = assessmentRoutes(periodId, '662').startReview;
    const hue = await as({ id: 'reviewer@hue', roles: ['reviewer'], unitCode: null, provinceCode: '46', national: false });
    const refused = await t.http().post(startReview).set('Authorization', hue).send({});
    expect(refused.body).toMatchObject({ status: 403, code: 'ASSESSMENT.FORBIDDEN' });
    const national = await as({ id: 'reviewer@bo', roles: ['reviewer'], unitCode: null, provinceCode: null, national: true });
    expect((await t.http().post(startReview).set('Authorization', national).send({})).status).toBe(200);
  });

  it('R-PUBLISHED: "an approved assessment is published from the moment a decision of its period covers it, for every reader at once": the detail and the list say so and the appeal is taken, 20 times', async () => {
    const flow = assessmentWorkflow(t.app);
    const leads = new Map(await Promise.all(units.map(async (code) => [code, await as(`lead.${code}@daknong`)] as const)));
    const periods = ['race-1', 'race-2', 'race-3', 'race-4', 'race-5'];
    for (const periodId of periods) {
      await openPeriod(periodId);
      for (const code of units) {
        await flow.submitted(periodId, code, [20, 10]);
        await flow.reviewedAndApproved(periodId, code);
      }
      expect((await t.http().post(`/periods/${periodId}/self-assessment/close`).set('Authorization', admin)).status).toBe(200);
    }
    const answers: { periodId: string; unit: string; status: number; code?: string; events?: string[] }[] = [];
    let checkpoint: string | null = null;
    for (const periodId of periods) {
      const published = await t.http().post(`/periods/${periodId}/publish`).set('Authorization', admin).send({ decisionNumber: `9/QĐ-${periodId}`, decisionDate: todayLocal() });
      expect(published.status).toBe(200);
      // Every reader sees the publication at once: the detail says published and offers the appeal.
      const detail = await t.http().get(`/periods/${periodId}/assessments/${units[0]}`).set('Authorization', leads.get(units[0])!);
      expect([periodId, detail.body.status, detail.body.nextActions]).toEqual([periodId, 'published', expect.arrayContaining(['AppealAssessment'])]);
      const listed = await t.http().get(`/periods/${periodId}/assessments`).query({ status: 'published', after: flow.lastCheckpoint }).set('Authorization', admin);
      expect([periodId, listed.body.items?.map((item: { unitCode: string; status: string }) => [item.unitCode, item.status])]).toEqual([periodId, units.map((code) => [code, 'published'])]);
      // The appeals leave as soon as the publication is answered: the process has not caught up yet.
      const appeals = await Promise.all(
        units.map((code) =>
          t.http().post(assessmentRoutes(periodId, code).appeal).set('Authorization', leads.get(code)!).send({ reason: 'Xin phúc khảo tiêu chí D.HT.1' }),
        ),
      );
      appeals.forEach((res, i) => answers.push({ periodId, unit: units[i]!, status: res.status, code: res.body.code, events: res.body.events }));
      checkpoint = [published, ...appeals].map((res) => res.body.position as string | null | undefined).findLast((c) => typeof c === 'string') ?? checkpoint;
    }
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(answers.every((a) => a.events?.at(-1) === 'AssessmentAppealed')).toBe(true);

    // The process then finds them published already and appends nothing twice.
    await t.app.get(PublishAssessmentsWithPeriodProcess).waitFor(checkpoint!, 30_000);
    for (const periodId of periods) {
      for (const code of units) {
        const types = (await t.eventStore.readStream(assessmentStreamName(periodId, code))).map((e) => e.type);
        expect([periodId, code, types.filter((type) => type === 'AssessmentPublished').length]).toEqual([periodId, code, 1]);
        expect(types.at(-1)).toBe('AssessmentAppealed');
      }
    }
  }, 180_000);
});
