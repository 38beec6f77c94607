import { loadBundledFramework } from '@tieuchi/framework/domain';
import { lowerDistrictReadiness } from '@tieuchi/recalculation/feature/testing';
import { seedThroughExecutor, startTestApp, type TestApp } from '../testing/test-app';
import { selfScoreBody, tierCriteriaOf } from '../testing/assessment-workflow';

const period = 'daknong-2019';
const unit = '24728';
const framework = loadBundledFramework('2392-2017');
const criteria = tierCriteriaOf(framework, 'commune');
const base = `/periods/${period}/assessments/${unit}`;

describe('endpoints the web app needs: bulk save, accept remaining, lists, read-your-writes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await seedThroughExecutor(t.app).twoCommunesInOpenPeriod(period, framework);
  }, 60_000);

  afterAll(() => t.close());

  it('saves a whole form in one command under If-Match, and the detail read after its position shows it', async () => {
    const editor = await t.bearer(`editor.${unit}@daknong`);
    expect((await t.http().post(base).set('Authorization', editor)).status).toBe(201);
    const items = criteria.map((criterion) => ({ criterionCode: criterion.code, ...selfScoreBody(criterion, 0.8, [{ reference: 'Quyết định 12/QĐ-UBND (bản giấy)' }]) }));
    const saved = await t.http().post(`${base}/answers`).set('Authorization', editor).set('If-Match', '"0"').send({ items });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ version: items.length, position: expect.any(String) });
    expect(saved.body.events).toHaveLength(items.length);

    const detail = await t.http().get(base).query({ after: saved.body.position }).set('Authorization', editor);
    expect(detail.status).toBe(200);
    expect(detail.body.version).toBe(items.length);
    expect(detail.body.criteria.filter((c: { self: unknown }) => c.self !== null)).toHaveLength(items.length);

    const stale = await t.http().post(`${base}/answers`).set('Authorization', editor).set('If-Match', '"0"').send({ items: items.slice(0, 1) });
    expect(stale.status).toBe(412);
    // The refusal names the position of the write it lost to: the detail read after it is that version ("theirs").
    expect(stale.body).toMatchObject({ code: 'REQUEST.STALE_VERSION', position: saved.body.position });
    const theirs = await t.http().get(base).query({ after: stale.body.position }).set('Authorization', editor);
    expect(theirs.body.version).toBe(items.length);
  });

  it('refuses a batch as a whole and names every refused criterion', async () => {
    const editor = await t.bearer(`editor.${unit}@daknong`);
    const manual = criteria.find((c) => c.rule.kind === 'manual')!;
    const res = await t
      .http()
      .post(`${base}/answers`)
      .set('Authorization', editor)
      .send({ items: [{ criterionCode: manual.code, answer: { kind: 'value', value: manual.maxPoints + 100 }, evidence: [{ reference: 'x' }] }, { criterionCode: 'X.NOPE', answer: { kind: 'value', value: 1 }, evidence: [] }] });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('ASSESSMENT.BATCH_REFUSED');
    expect(res.body.errors.map((e: { criterionCode: string }) => e.criterionCode)).toEqual([manual.code, 'X.NOPE']);
  });

  it('refuses bad bulk input with 400 naming the field, and other units with 403', async () => {
    const editor = await t.bearer(`editor.${unit}@daknong`);
    expect((await t.http().post(`${base}/answers`).set('Authorization', editor).send({ items: [] })).status).toBe(400);
    expect((await t.http().post(`${base}/answers`).set('Authorization', editor).send({ items: 'x' })).status).toBe(400);
    const other = await t.http().post(`/periods/${period}/assessments/24655/answers`).set('Authorization', editor).send({ items: [{ criterionCode: 'X', answer: { kind: 'value', value: 1 }, evidence: [] }] });
    expect(other.status).toBe(403);
  });

  it('lets a reviewer accept every remaining criterion in one command', async () => {
    const lead = await t.bearer(`lead.${unit}@daknong`);
    expect((await t.http().post(`${base}/submit`).set('Authorization', lead)).status).toBe(200);
    const reviewer = await t.bearer('reviewer.1@daknong');
    expect((await t.http().post(`${base}/review/start`).set('Authorization', reviewer)).status).toBe(200);
    const accepted = await t.http().post(`${base}/review/accept-remaining`).set('Authorization', reviewer);
    expect(accepted.status).toBe(200);
    expect(accepted.body.events).toHaveLength(criteria.length);
    expect(new Set(accepted.body.events)).toEqual(new Set(['CriterionAccepted']));
    const detail = await t.http().get(base).query({ after: accepted.body.position }).set('Authorization', reviewer);
    expect(detail.body.criteria.every((c: { review: unknown }) => c.review !== null)).toBe(true);
    expect((await t.http().post(`${base}/review/accept-remaining`).set('Authorization', lead)).status).toBe(403);
  });

  it('lists periods (published only for anonymous callers) and a period\'s assessments by cursor', async () => {
    const admin = await t.bearer('admin@daknong');
    const all = await t.http().get('/periods').set('Authorization', admin);
    expect(all.status).toBe(200);
    expect(all.body.items.map((p: { periodId: string }) => p.periodId)).toContain(period);
    const anonymous = await t.http().get('/periods');
    expect(anonymous.body.items).toEqual([]);

    const first = await t.http().get(`/periods/${period}/assessments`).query({ limit: 1 }).set('Authorization', admin);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    const lead = await t.bearer('lead.24655@daknong');
    const own = await t.http().get(`/periods/${period}/assessments`).set('Authorization', lead);
    expect(own.body.items.every((item: { unitCode: string }) => item.unitCode === '24655')).toBe(true);
    expect((await t.http().get(`/periods/${period}/assessments`).query({ cursor: 'DROP' }).set('Authorization', admin)).status).toBe(400);
    expect((await t.http().get(base).query({ after: 'not a position' }).set('Authorization', admin)).status).toBe(400);
  });

  it('answers the period list and a period after the position each period command returned: the change shows at once', async () => {
    const admin = await t.bearer('admin@daknong');
    const next = 'daknong-2020';
    const listed = async (after: string) => {
      const res = await t.http().get('/periods').query({ provinceCode: '67', after }).set('Authorization', admin);
      expect(res.status).toBe(200);
      return (res.body.items as { periodId: string; status: string; decisionNumber: string | null }[]).find((item) => item.periodId === next);
    };
    const read = async (after: string) => {
      const res = await t.http().get(`/periods/${next}`).query({ after }).set('Authorization', admin);
      expect(res.status).toBe(200);
      return res.body as { status: string; version: number; framework: { version: number }; deadlines: { review: string }; corrections?: { decisionNumber: string }[] };
    };
    /** A period command's answer: 200 or 201 with the position of its write. */
    const positionOf = (res: { status: number; body: { position?: string | null } }, status = 200): string => {
      expect({ status: res.status, position: typeof res.body.position }).toEqual({ status, position: 'string' });
      return res.body.position as string;
    };

    const opened = positionOf(
      await t.http().post('/periods').set('Authorization', admin).send({
        periodId: next,
        provinceCode: '67',
        year: 2020,
        framework: { id: framework.id, version: framework.version },
        deadlines: { selfAssessment: '2099-11-30', review: '2099-12-20', appealWindowDays: 15 },
      }),
      201,
    );
    expect(await listed(opened)).toMatchObject({ status: 'open', decisionNumber: null });
    expect(await read(opened)).toMatchObject({ status: 'open', version: 0 });

    const extended = positionOf(await t.http().post(`/periods/${next}/deadlines`).set('Authorization', admin).send({ review: '2099-12-31', reason: 'Thêm thời gian thẩm định' }));
    expect((await read(extended)).deadlines.review).toBe('2099-12-31');

    const amended = await t.http().post(`/frameworks/${framework.id}/amendments`).set('Authorization', admin).send(lowerDistrictReadiness(framework, 5));
    expect(amended.status).toBe(201);
    const pinned = positionOf(
      await t.http().post(`/periods/${next}/framework-version`).set('Authorization', admin).send({ frameworkId: framework.id, version: framework.version + 1, cause: 'Điều chỉnh ngưỡng mức', decisionRef: '12/QĐ-UBND' }),
    );
    expect((await read(pinned)).framework.version).toBe(framework.version + 1);

    const closed = positionOf(await t.http().post(`/periods/${next}/self-assessment/close`).set('Authorization', admin));
    expect(await listed(closed)).toMatchObject({ status: 'self_assessment_closed' });

    // No unit of the province has an approved assessment in 2020: the decision names each as not assessed.
    const refused = await t.http().post(`/periods/${next}/publish`).set('Authorization', admin).send({ decisionNumber: '20/QĐ-UBND', decisionDate: '2021-01-10' });
    expect(refused.status).toBe(409);
    const exclusions = (refused.body.units as { unitCode: string }[]).map((unit) => ({ unitCode: unit.unitCode, reason: 'Chưa tự đánh giá' }));
    const published = positionOf(await t.http().post(`/periods/${next}/publish`).set('Authorization', admin).send({ decisionNumber: '20/QĐ-UBND', decisionDate: '2021-01-10', exclusions }));
    expect(await listed(published)).toMatchObject({ status: 'published', decisionNumber: '20/QĐ-UBND' });

    const corrected = positionOf(
      await t.http().post(`/periods/${next}/corrections`).set('Authorization', admin).send({ decisionNumber: '21/QĐ-UBND', decisionDate: '2021-02-01', reason: 'Đính chính số liệu' }),
      201,
    );
    expect(await listed(corrected)).toMatchObject({ status: 'published', decisionNumber: '21/QĐ-UBND' });
    expect((await read(corrected)).corrections?.map((decision) => decision.decisionNumber)).toEqual(['21/QĐ-UBND']);
  });

  it('refuses a malformed or foreign position on the period list and a period (400 naming after)', async () => {
    const admin = await t.bearer('admin@daknong');
    for (const path of ['/periods', `/periods/${period}`]) {
      for (const after of ['not a position', 'x'.repeat(201)]) {
        const res = await t.http().get(path).query({ after }).set('Authorization', admin);
        expect({ path, status: res.status, field: res.body.field }).toEqual({ path, status: 400, field: 'after' });
      }
      // Shaped like a position, but not one of this store's.
      const foreign = await t.http().get(path).query({ after: 'stream-42' }).set('Authorization', admin);
      expect({ path, status: foreign.status, code: foreign.body.code, field: foreign.body.field }).toEqual({ path, status: 400, code: 'REQUEST.INVALID_POSITION', field: 'after' });
    }
  });
});
