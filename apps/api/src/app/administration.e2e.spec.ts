import { PublishAssessmentsWithPeriodProcess } from '@tieuchi/assessment/processes';
import { loadBundledFramework } from '@tieuchi/framework/domain';
import { findRoutesWithoutPolicy } from '@tieuchi/shared/auth';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedApprovedAssessment } from '../testing/approved-assessment';
import { startTestApp, type TestApp } from '../testing/test-app';

const framework = '2392-2017';
const period = 'daknong-2019';
const approvedUnit = '24728'; // Xã Nâm N'Jang
const daknongUnitList = readFileSync(join(__dirname, '..', '..', '..', '..', 'config', 'units', 'daknong-2019.csv'));
const definition = JSON.parse(JSON.stringify(loadBundledFramework(framework))) as Record<string, unknown>;
const openBody = {
  periodId: period,
  provinceCode: '67',
  year: 2019,
  framework: { id: framework, version: 1 },
  // Deadlines are enforced against the server's clock: far enough ahead that the seeded assessment is in time.
  deadlines: { selfAssessment: '2099-11-30', review: '2099-12-20', appealWindowDays: 15 },
};
const amendment = {
  cause: 'Điều chỉnh ngưỡng theo hướng dẫn của Bộ',
  decisionReference: '12/QĐ-UBND 05/03/2019',
  changes: [{ kind: 'criterion_applicability_changed', criterionCode: 'H.SS.HT.1', mayBeNotApplicable: true }],
};
// Every write route with a body it would accept, for the role matrix.
const writes: readonly (readonly [string, object])[] = [
  ['/frameworks', { frameworkId: framework, definition }],
  [`/frameworks/${framework}/publish`, {}],
  [`/frameworks/${framework}/amendments`, amendment],
  ['/units', { code: '99999', name: 'Thử', type: 'xã', tier: 'commune', parentCode: '660' }],
  ['/units/660/rename', { name: 'Gia Nghĩa', effectiveDate: '2020-01-01', decisionRef: 'x' }],
  ['/units/660/type', { type: 'thành phố', effectiveDate: '2020-01-01', decisionRef: 'x' }],
  ['/units/merges', { successorCode: '24611', predecessorCodes: ['24611'], comparisonRule: 'mean', effectiveDate: '2025-07-01', legalBasis: 'x', name: 'x', type: 'phường', tier: 'commune', parentCode: '68' }],
  ['/units/660/dissolve', { effectiveDate: '2025-07-01', legalBasis: 'x' }],
  ['/units/import', {}],
  ['/periods', openBody],
  [`/periods/${period}/self-assessment/close`, {}],
  [`/periods/${period}/publish`, { decisionNumber: '47/QĐ-UBND', decisionDate: '2020-01-10' }],
  [`/periods/${period}/corrections`, { decisionNumber: '5/QĐ-UBND', decisionDate: '2020-03-01', reason: 'x' }],
  [`/periods/${period}/framework-version`, { frameworkId: framework, version: 2, cause: 'x', decisionRef: 'x' }],
];

describe('administration over HTTP: frameworks, units, periods', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.bearer('admin@daknong');
  }, 30_000);

  afterAll(() => t.close());

  const post = (path: string, body: object = {}) => t.http().post(path).set('Authorization', admin).send(body);

  it('states a policy on every route', () => {
    expect(findRoutesWithoutPolicy(t.app)).toEqual([]);
  });

  it('refuses every write to anonymous callers (401) and to every role but admin (403), writing nothing', async () => {
    const roles = ['auditor@daknong', 'reviewer.1@daknong', 'approver.1@daknong', 'editor.660@daknong', 'lead.660@daknong'];
    const bearers = await Promise.all(roles.map((user) => t.bearer(user)));
    for (const [path, body] of writes) {
      expect([path, (await t.http().post(path).send(body)).status]).toEqual([path, 401]);
      for (const bearer of bearers) {
        expect([path, (await t.http().post(path).set('Authorization', bearer).send(body)).status]).toEqual([path, 403]);
      }
    }
    expect(await t.eventStore.readStream(`framework-${framework}`)).toEqual([]);
  });

  it('refuses a bad framework definition with 400 naming its JSON path', async () => {
    const broken = structuredClone(definition) as { tiers: { parts: { maxPoints: unknown }[] }[] };
    broken.tiers[0]!.parts[0]!.maxPoints = 'năm mươi';
    const res = await post('/frameworks', { frameworkId: framework, definition: broken });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'FRAMEWORK.INVALID_DEFINITION', field: 'definition.tiers[0].parts[0].maxPoints' });
    const badId = await post('/frameworks', { frameworkId: 'Bộ 2392', definition });
    expect(badId.status).toBe(400);
    expect(badId.body.field).toBe('frameworkId');
  });

  it('drafts, publishes and amends the 2392 framework; every version stays readable', async () => {
    const drafted = await post('/frameworks', { frameworkId: framework, definition });
    expect(drafted.status).toBe(201);
    expect(drafted.body).toEqual({ streamName: `framework-${framework}`, version: 0, events: ['FrameworkDrafted'] });

    const published = await post(`/frameworks/${framework}/publish`, { decisionReference: '2392/QĐ-BTTTT 25/12/2017' });
    expect(published.status).toBe(200);
    expect(published.headers['etag']).toBe('"1"');
    expect((await post(`/frameworks/${framework}/publish`)).status).toBe(409);
    expect((await post('/frameworks', { frameworkId: framework, definition })).body.code).toBe('FRAMEWORK.ALREADY_PUBLISHED');

    const stale = await t.http().post(`/frameworks/${framework}/amendments`).set('Authorization', admin).set('If-Match', '"0"').send(amendment);
    expect(stale.status).toBe(412);
    const amended = await t.http().post(`/frameworks/${framework}/amendments`).set('Authorization', admin).set('If-Match', '"1"').send({ ...amendment, basedOnVersion: 1 });
    expect(amended.status).toBe(201);
    expect(amended.body.events).toEqual(['FrameworkAmended']);
    expect((await post(`/frameworks/${framework}/amendments`, { ...amendment, basedOnVersion: 1 })).body).toMatchObject({ code: 'FRAMEWORK.VERSION_MISMATCH', field: 'basedOnVersion' });
    const noKind = await post(`/frameworks/${framework}/amendments`, { ...amendment, changes: [{ kind: 'criterion_removed' }] });
    expect(noKind.status).toBe(400);
    expect(noKind.body.field).toBe('changes.0.criterionCode');

    const auditor = await t.bearer('auditor@daknong');
    const current = await t.http().get(`/frameworks/${framework}`).set('Authorization', auditor);
    expect(current.status).toBe(200);
    expect(current.headers['etag']).toBe('"2"');
    expect(current.body.current).toMatchObject({ frameworkVersion: 2, decisionReference: '12/QĐ-UBND 05/03/2019' });
    expect(current.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const v1 = await t.http().get(`/frameworks/${framework}/versions/1`).set('Authorization', await t.bearer('editor.660@daknong'));
    expect(v1.status).toBe(200);
    expect(v1.body.definition).toEqual(definition);
    expect((await t.http().get(`/frameworks/${framework}/versions/3`).set('Authorization', auditor)).status).toBe(404);
    expect((await t.http().get(`/frameworks/${framework}`)).status).toBe(401);
  });

  it('registers a unit, imports the 80 Đắk Nông units skipping it, and refuses duplicates', async () => {
    const province = await post('/units', { code: '67', name: 'Đắk Nông', type: 'tỉnh', tier: 'province', parentCode: null });
    expect(province.status).toBe(201);
    expect((await post('/units', { code: '67', name: 'Đắk Nông', type: 'tỉnh', tier: 'province' })).status).toBe(409);
    const badCode = await post('/units', { code: 'abc', name: 'x', type: 'xã', tier: 'commune' });
    expect(badCode.status).toBe(400);
    expect(badCode.body.field).toBe('code');

    const importList = () => t.http().post('/units/import').set('Authorization', admin).set('Content-Type', 'text/csv').send(daknongUnitList);
    const imported = await importList();
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ total: 80, registered: 79, unchanged: 1 });
    expect((await importList()).body).toMatchObject({ total: 80, registered: 0, unchanged: 80 });
  });

  it('renames Gia Nghĩa from thị xã to thành phố on 2020-01-01, keeping what it was', async () => {
    const changed = await post('/units/660/type', { type: 'thành phố', effectiveDate: '2020-01-01', decisionRef: 'Nghị quyết 835/NQ-UBTVQH14 (17/12/2019)' });
    expect(changed.status).toBe(200);
    expect(changed.body.events).toEqual(['UnitTypeChanged']);
    const renamed = await post('/units/660/rename', { name: 'Thành phố Gia Nghĩa', effectiveDate: '2020-01-01', decisionRef: 'Nghị quyết 835/NQ-UBTVQH14 (17/12/2019)' });
    expect(renamed.body.events).toEqual(['UnitRenamed']);
    const badDate = await post('/units/660/rename', { name: 'x', effectiveDate: '01/01/2020', decisionRef: 'x' });
    expect(badDate.status).toBe(400);
    expect(badDate.body.field).toBe('effectiveDate');

    const own = await t.http().get('/units/660').set('Authorization', await t.bearer('lead.660@daknong'));
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ code: '660', name: 'Thành phố Gia Nghĩa', type: 'thành phố', tier: 'district', status: 'active' });
    expect(own.body.history[0]).toMatchObject({ type: 'thị xã', name: 'Gia Nghĩa', effectiveDate: '2020-01-01' });
    expect((await t.http().get('/units/660').set('Authorization', await t.bearer('lead.662@daknong'))).status).toBe(403);
    expect((await t.http().get('/units/660').set('Authorization', await t.bearer('reviewer.1@daknong'))).status).toBe(200);
    expect((await t.http().get('/units/660')).status).toBe(401);
  });

  it('merges Bắc Gia Nghĩa (2025) into the code that lives on; a retry appends nothing', async () => {
    const body = {
      successorCode: '24611',
      predecessorCodes: ['24611', '24612', '24619', '24622'],
      comparisonRule: 'mean',
      effectiveDate: '2025-07-01',
      legalBasis: 'Nghị quyết 1671/NQ-UBTVQH15 (16/6/2025)',
      name: 'Bắc Gia Nghĩa',
      type: 'phường',
      tier: 'commune',
      parentCode: '68',
    };
    const merged = await t.http().post('/units/merges').set('Authorization', admin).set('Idempotency-Key', 'merge-bac-gia-nghia').send(body);
    expect(merged.status).toBe(201);
    expect(merged.body.successor.events).toEqual(['UnitsMerged']);
    expect(merged.body.predecessors.map((p: { code: string; events: string[] }) => [p.code, p.events])).toEqual([
      ['24612', ['UnitMergedInto']],
      ['24619', ['UnitMergedInto']],
      ['24622', ['UnitMergedInto']],
    ]);
    const again = await post('/units/merges', body);
    expect(again.status).toBe(201);
    expect(again.body.successor.events).toEqual([]);
    expect(await t.eventStore.readStream('unit-24612')).toHaveLength(2);
    const absorbed = await t.http().get('/units/24612').set('Authorization', admin);
    expect(absorbed.body).toMatchObject({ status: 'merged_into', successorCode: '24611', endedOn: '2025-07-01' });

    const unknown = await post('/units/merges', { ...body, successorCode: '30001', predecessorCodes: ['24640', '99998'] });
    expect(unknown.status).toBe(404);
    expect(await t.eventStore.readStream('unit-30001')).toEqual([]);
    expect((await post('/units/merges', { ...body, comparisonRule: 'median' })).body.field).toBe('comparisonRule');
  });

  it('opens, closes and publishes a period under 47/QĐ-UBND; the approved assessment is published with it', async () => {
    expect((await post('/periods', { ...openBody, framework: { id: framework, version: 9 } })).body).toMatchObject({
      code: 'PERIOD.FRAMEWORK_VERSION_NOT_PUBLISHED',
      field: 'framework',
    });
    const opened = await post('/periods', openBody);
    expect(opened.status).toBe(201);
    expect((await post('/periods', openBody)).status).toBe(409);
    const badYear = await post('/periods', { ...openBody, year: 'hai nghìn' });
    expect(badYear.status).toBe(400);
    expect(badYear.body.field).toBe('year');

    await seedApprovedAssessment(t.app, period, approvedUnit, 'commune');
    const early = await post(`/periods/${period}/publish`, { decisionNumber: '47/QĐ-UBND', decisionDate: '2020-01-10' });
    expect(early.body).toMatchObject({ status: 409, code: 'PERIOD.WRONG_STATE' });

    expect((await post(`/periods/${period}/self-assessment/close`)).status).toBe(200);
    const badDate = await post(`/periods/${period}/publish`, { decisionNumber: '47/QĐ-UBND', decisionDate: '10/01/2020' });
    expect(badDate.body).toMatchObject({ code: 'REQUEST.INVALID', field: 'decisionDate' });
    // Every other unit of the province has no approved assessment: the decision must name each, with a reason.
    const unnamed = await post(`/periods/${period}/publish`, { decisionNumber: '47/QĐ-UBND', decisionDate: '2020-01-10' });
    expect(unnamed.body).toMatchObject({ status: 409, code: 'PERIOD.UNITS_NOT_APPROVED', field: 'exclusions' });
    const awaiting: { unitCode: string }[] = unnamed.body.units;
    expect(awaiting.length).toBeGreaterThan(0);
    expect(awaiting.map((unit) => unit.unitCode)).not.toContain(approvedUnit);
    const exclusions = awaiting.map(({ unitCode }) => ({ unitCode, reason: 'Không tham gia kỳ đánh giá' }));
    const published = await post(`/periods/${period}/publish`, { decisionNumber: '47/QĐ-UBND', decisionDate: '2020-01-10', exclusions });
    expect(published.status).toBe(200);
    expect(published.body.events).toEqual(['PeriodPublished']);
    expect((await post(`/periods/${period}/publish`, { decisionNumber: '48/QĐ-UBND', decisionDate: '2020-01-11' })).status).toBe(409);

    await t.app.get(PublishAssessmentsWithPeriodProcess).waitFor(published.body.position);
    const events = await t.eventStore.readStream(`assessment-${period}-${approvedUnit}`);
    expect(events.at(-1)).toMatchObject({
      type: 'AssessmentPublished',
      data: { periodId: period, decisionNumber: '47/QĐ-UBND', decisionDate: '2020-01-10', by: 'system:period-publisher' },
      metadata: { actor: 'system:period-publisher', correlationId: published.headers['x-correlation-id'] ?? expect.any(String) },
    });
    expect(events.filter((e) => e.type === 'AssessmentPublished')).toHaveLength(1);

    const view = await t.http().get(`/periods/${period}`).set('Authorization', await t.bearer('editor.24728@daknong'));
    expect(view.body).toMatchObject({ status: 'published', publication: { decisionNumber: '47/QĐ-UBND', decisionDate: '2020-01-10' } });
  });

  it('corrects the published period by a later decision, and pins the amended framework version', async () => {
    const tooEarly = await post(`/periods/${period}/corrections`, { decisionNumber: '5/QĐ-UBND', decisionDate: '2020-01-01', reason: 'Phúc khảo' });
    expect(tooEarly.body).toMatchObject({ code: 'PERIOD.DECISION_BEFORE_PUBLICATION', field: 'decisionDate' });
    const corrected = await post(`/periods/${period}/corrections`, { decisionNumber: '5/QĐ-UBND', decisionDate: '2020-03-01', reason: 'Phúc khảo' });
    expect(corrected.status).toBe(201);
    expect((await post(`/periods/${period}/corrections`, { decisionNumber: '5/QĐ-UBND', decisionDate: '2020-03-02', reason: 'x' })).status).toBe(409);
    await t.app.get(PublishAssessmentsWithPeriodProcess).waitFor(corrected.body.position);
    // The assessment was published by 47/QĐ-UBND already: the correction publishes nothing twice.
    const events = await t.eventStore.readStream(`assessment-${period}-${approvedUnit}`);
    expect(events.filter((e) => e.type === 'AssessmentPublished')).toHaveLength(1);

    const pinned = await post(`/periods/${period}/framework-version`, { frameworkId: framework, version: 2, cause: 'Ngưỡng mới', decisionRef: '12/QĐ-UBND' });
    expect(pinned.status).toBe(200);
    expect((await post(`/periods/${period}/framework-version`, { frameworkId: framework, version: 2, cause: 'x', decisionRef: 'x' })).status).toBe(409);
    const view = await t.http().get(`/periods/${period}`).set('Authorization', admin);
    expect(view.body).toMatchObject({ framework: { id: framework, version: 2 }, corrections: [{ decisionNumber: '5/QĐ-UBND' }] });
    expect(view.headers['etag']).toBe(`"${view.body.version}"`);
  });
});
