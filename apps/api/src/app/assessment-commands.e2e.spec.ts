import { loadBundledFramework } from '@tieuchi/framework/domain';
import { findRoutesWithoutPolicy } from '@tieuchi/shared/auth';
import { seedThroughExecutor, startTestApp, type TestApp } from '../testing/test-app';

const period = 'daknong-2019';
const unit = '24728'; // Xã Nâm N'Jang
const scorePath = `/periods/${period}/assessments/${unit}/criteria/X.SS.HT.3/score`;

describe('assessment commands over HTTP', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    const seed = seedThroughExecutor(t.app);
    await seed.twoCommunesInOpenPeriod(period, loadBundledFramework('2392-2017'));
  }, 60_000);

  afterAll(() => t.close());

  it('states a policy on every route', () => {
    expect(findRoutesWithoutPolicy(t.app)).toEqual([]);
  });

  it('reports readiness of the event store and the read-model database, and liveness apart', async () => {
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info).toMatchObject({ eventStore: { status: 'up' }, readModelDatabase: { status: 'up' } });
    expect((await t.http().get('/health/live')).status).toBe(200);
  });

  it('serves the OpenAPI document generated from the code', async () => {
    const res = await t.http().get('/docs/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toContain(`/periods/{periodId}/assessments/{unitCode}/criteria/{criterionCode}/score`);
  });

  it('lets the unit editor start the form and score a criterion, with the version as ETag', async () => {
    const editor = await t.bearer(`editor.${unit}@daknong`);
    const started = await t.http().post(`/periods/${period}/assessments/${unit}`).set('Authorization', editor);
    expect(started.status).toBe(201);
    expect(started.headers['etag']).toBe('"0"');

    const scored = await t
      .http()
      .post(scorePath)
      .set('Authorization', editor)
      .set('If-Match', '"0"')
      .send({ answer: { kind: 'value', value: 2.5 }, evidence: [] });
    expect(scored.status).toBe(200);
    expect(scored.body).toEqual({ streamName: `assessment-${period}-${unit}`, version: 1, events: ['CriterionScored'], position: expect.any(String) });
    expect(scored.headers['etag']).toBe('"1"');

    const events = await t.eventStore.readStream(`assessment-${period}-${unit}`);
    expect(events.map((e) => e.type)).toEqual(['AssessmentStarted', 'CriterionScored']);
    expect(events[1]?.metadata).toMatchObject({ actor: `editor.${unit}@daknong`, schemaVersion: 2 });
  });

  it('answers a stale If-Match with 412 and writes nothing', async () => {
    const editor = await t.bearer(`editor.${unit}@daknong`);
    const res = await t.http().post(scorePath).set('Authorization', editor).set('If-Match', '"0"').send({ answer: { kind: 'value', value: 1 }, evidence: [] });
    expect(res.status).toBe(412);
    expect(res.body).toMatchObject({ code: 'REQUEST.STALE_VERSION', field: 'If-Match' });
    expect(await t.eventStore.readStream(`assessment-${period}-${unit}`)).toHaveLength(2);
  });

  it('lets exactly one of 20 parallel writes with the same If-Match through; the others get 412', async () => {
    const editor = await t.bearer(`editor.${unit}@daknong`);
    const before = await t.eventStore.readStream(`assessment-${period}-${unit}`);
    const version = before.length - 1;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t
          .http()
          .post(scorePath)
          .set('Authorization', editor)
          .set('If-Match', `"${version}"`)
          .send({ answer: { kind: 'value', value: (i % 3) + 0.5 }, evidence: [] }),
      ),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    expect(answers.filter((r) => r.status === 412)).toHaveLength(19);
    const after = await t.eventStore.readStream(`assessment-${period}-${unit}`);
    expect(after).toHaveLength(before.length + 1);
    expect(after.map((e) => e.version)).toEqual(after.map((_, i) => i));
  });

  it('replays a retried request with the same Idempotency-Key and appends nothing', async () => {
    const editor = await t.bearer(`editor.${unit}@daknong`);
    const body = { answer: { kind: 'value', value: 3 }, evidence: [] };
    const first = await t.http().post(scorePath).set('Authorization', editor).set('Idempotency-Key', 'retry-key-0001').send(body);
    const count = (await t.eventStore.readStream(`assessment-${period}-${unit}`)).length;
    const retry = await t.http().post(scorePath).set('Authorization', editor).set('Idempotency-Key', 'retry-key-0001').send(body);
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['etag']).toBe(first.headers['etag']);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await t.eventStore.readStream(`assessment-${period}-${unit}`)).toHaveLength(count);

    const reused = await t.http().post(scorePath).set('Authorization', editor).set('Idempotency-Key', 'retry-key-0001').send({ ...body, explanation: 'khác' });
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({ code: 'REQUEST.IDEMPOTENCY_KEY_REUSED', field: 'Idempotency-Key' });
  });

  it("refuses another unit's editor, anonymous callers and wrong roles", async () => {
    const other = await t.bearer('editor.24655@daknong');
    const res = await t.http().post(scorePath).set('Authorization', other).send({ answer: { kind: 'value', value: 1 }, evidence: [] });
    expect(res.status).toBe(403);
    expect((await t.http().post(scorePath).send({ answer: { kind: 'value', value: 1 }, evidence: [] })).status).toBe(401);
    const reviewer = await t.bearer('reviewer.1@daknong');
    expect((await t.http().post(scorePath).set('Authorization', reviewer).send({ answer: { kind: 'value', value: 1 }, evidence: [] })).status).toBe(403);
  });

  it('names the field of bad input', async () => {
    const editor = await t.bearer(`editor.${unit}@daknong`);
    const tooHigh = await t.http().post(scorePath).set('Authorization', editor).send({ answer: { kind: 'value', value: 99 }, evidence: [] });
    expect(tooHigh.status).toBe(400);
    expect(tooHigh.body.code).toBe('ASSESSMENT.SCORE_ABOVE_MAXIMUM');
    const wrongType = await t.http().post(scorePath).set('Authorization', editor).send({ answer: { kind: 'value', value: 'ba' }, evidence: [] });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.field).toBe('answer.value');
    const badCode = await t.http().post(`/periods/${period}/assessments/${unit}/criteria/NOPE.1/score`).set('Authorization', editor).send({ answer: { kind: 'value', value: 1 }, evidence: [] });
    expect(badCode.status).toBe(400);
    expect(badCode.body.code).toBe('ASSESSMENT.UNKNOWN_CRITERION');
  });
});
