import { recalculationRunId } from '@tieuchi/recalculation/data-access';
import { adminCommands, lowerDistrictReadiness, PERIOD_ID, seedDaknong2019, type SeededPeriod } from '@tieuchi/recalculation/feature/testing';
import { findRoutesWithoutPolicy, type Principal } from '@tieuchi/shared/auth';
import { seedThroughExecutor, startTestApp, type TestApp } from '../testing/test-app';

const units = 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('recalculation over HTTP (embedded queue, dispatcher in the API process)', () => {
  let t: TestApp;
  let seeded: SeededPeriod;
  let admin: string;
  let auditor: string;
  /** The units the dry run's test registered, by code: their names. */
  const namedUnits = new Map<string, string>();
  /** The dry run of the threshold amendment before it was made, for its preview once issued. */
  let draftPreview: { changes: unknown[] };

  const whatIf = (body: unknown, token?: string) => {
    const req = t.http().post('/frameworks/2392-2017/amendments/what-if');
    return (token ? req.set('Authorization', token) : req).send(body as object);
  };

  beforeAll(async () => {
    t = await startTestApp({ redisUrl: undefined, runWorker: 'true' });
    seeded = await seedDaknong2019(t.eventStore, { units, published: true });
    admin = await t.bearer('admin@daknong');
    auditor = await t.bearer('auditor@daknong');
  }, 60_000);

  afterAll(() => t.close());

  it('states a policy on every route', () => {
    expect(findRoutesWithoutPolicy(t.app)).toEqual([]);
  });

  it('shows an administrator which units an amendment would move, and writes nothing', async () => {
    const body = { periodId: PERIOD_ID, amendment: lowerDistrictReadiness(seeded.framework, 5) };
    const streams = ['framework-2392-2017', `period-${PERIOD_ID}`, ...seeded.streams];
    const lengths = async () => Promise.all(streams.map(async (stream) => (await t.eventStore.readStream(stream)).length));
    const before = await lengths();
    let res = await whatIf(body, admin);
    for (let i = 0; i < 50 && res.body.assessments !== units; i += 1) {
      await sleep(100);
      res = await whatIf(body, admin);
    }
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ frameworkId: '2392-2017', periodId: PERIOD_ID, fromVersion: 1, toVersion: 2, assessments: units });
    expect(res.body.changes.length).toBeGreaterThan(0);
    expect(res.body.changes.every((c: { tier: string; partCode: string }) => c.tier === 'district' && c.partCode === 'readiness')).toBe(true);
    expect(res.body.changes.some((c: { levelChanged: boolean }) => c.levelChanged)).toBe(true);
    expect(await lengths()).toEqual(before);
    // A unit the units list does not know is given by its code alone; once registered, by its name too.
    expect(res.body.changes.map((c: { unitName: string | null }) => c.unitName)).toEqual(res.body.changes.map(() => null));
    const moved = [...new Set((res.body.changes as { unitCode: string }[]).map((c) => c.unitCode))];
    const registered = await seedThroughExecutor(t.app).daknongUnits(moved);
    const listed = await t.http().get('/units').query({ tier: 'district', after: registered }).set('Authorization', admin);
    for (const unit of listed.body.items as { code: string; name: string }[]) namedUnits.set(unit.code, unit.name);
    res = await whatIf(body, admin);
    expect(res.body.changes.length).toBeGreaterThan(0);
    for (const change of res.body.changes as { unitCode: string; unitName: string | null }[]) {
      expect(change.unitName).toEqual(expect.stringMatching(/\S/));
      expect(change.unitName).toBe(namedUnits.get(change.unitCode));
    }
    draftPreview = res.body;
  });

  it('refuses the dry run to other roles (403) and to anonymous callers (401), and names bad fields (400)', async () => {
    const body = { periodId: PERIOD_ID, amendment: lowerDistrictReadiness(seeded.framework, 5) };
    expect((await whatIf(body, auditor)).status).toBe(403);
    expect((await whatIf(body)).status).toBe(401);
    const missing = await whatIf({ amendment: body.amendment }, admin);
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('periodId');
    const badKind = await whatIf({ periodId: PERIOD_ID, amendment: { ...body.amendment, changes: [{ kind: 'everything_changed' }] } }, admin);
    expect(badKind.status).toBe(400);
    expect(badKind.body).toMatchObject({ field: 'amendment.changes.0.kind' });
    const unknownCriterion = await whatIf(
      { periodId: PERIOD_ID, amendment: { ...body.amendment, changes: [{ kind: 'criterion_removed', criterionCode: 'NO.SUCH' }] } },
      admin,
    );
    expect(unknownCriterion.status).toBe(400);
  });

  it('recalculates a published period after the amendment is pinned, as a provisional run whose progress admins and auditors read', async () => {
    const commands = adminCommands(t.eventStore);
    await commands.amend(lowerDistrictReadiness(seeded.framework, 5));
    await commands.pin(2);
    const runId = recalculationRunId((await t.eventStore.readStream(`period-${PERIOD_ID}`)).at(-1)!.id);
    let res = await t.http().get(`/recalculation-runs/${runId}`).set('Authorization', auditor);
    for (let i = 0; i < 100 && res.body.status !== 'done'; i += 1) {
      await sleep(100);
      res = await t.http().get(`/recalculation-runs/${runId}`).set('Authorization', auditor);
    }
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ runId, status: 'done', total: units, done: units, failed: 0, provisional: true, toVersion: 2 });
    expect((await t.http().get(`/recalculation-runs/${runId}`).set('Authorization', admin)).status).toBe(200);
    expect((await t.http().get(`/recalculation-runs/${runId}`).set('Authorization', await t.bearer('editor.24728@daknong'))).status).toBe(403);
    expect((await t.http().get(`/recalculation-runs/${runId}`)).status).toBe(401);
    expect((await t.http().get('/recalculation-runs/run-000000000000000000000000').set('Authorization', admin)).status).toBe(404);
    const badId = await t.http().get('/recalculation-runs/nope').set('Authorization', admin);
    expect(badId.status).toBe(400);
    expect(JSON.stringify(badId.body)).toContain('runId');

    const listed = await t.http().get('/recalculation-runs').query({ periodId: PERIOD_ID }).set('Authorization', admin);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ runId, periodId: PERIOD_ID, status: 'done', total: units, done: units, failed: 0, failures: [], fromVersion: 1, toVersion: 2 })]);
    expect((await t.http().get('/recalculation-runs').query({ periodId: 'other-period' }).set('Authorization', auditor)).body).toEqual({ items: [] });
    const noPeriod = await t.http().get('/recalculation-runs').set('Authorization', admin);
    expect(noPeriod.status).toBe(400);
    expect(JSON.stringify(noPeriod.body)).toContain('periodId');
    expect((await t.http().get('/recalculation-runs').query({ periodId: 'Bad Id' }).set('Authorization', admin)).status).toBe(400);
    expect((await t.http().get('/recalculation-runs').query({ periodId: PERIOD_ID }).set('Authorization', await t.bearer('editor.24728@daknong'))).status).toBe(403);
    expect((await t.http().get('/recalculation-runs').query({ periodId: PERIOD_ID })).status).toBe(401);

    expect((await t.http().post(`/recalculation-runs/${runId}/retry`).set('Authorization', auditor)).status).toBe(403);
    const retried = await t.http().post(`/recalculation-runs/${runId}/retry`).set('Authorization', admin);
    expect(retried.status).toBe(202);
    expect(retried.body).toEqual({ runId, retried: 0 });
    for (const stream of seeded.streams) {
      expect((await t.eventStore.readStream(stream)).filter((e) => e.type === 'ScoresRecalculated')).toHaveLength(1);
    }
  });

  it("shows another province's staff none of the period's runs: its list is empty, the run and its retry 403 AUTH.OTHER_PROVINCE; national accounts see every one", async () => {
    const runs = await t.http().get('/recalculation-runs').query({ periodId: PERIOD_ID }).set('Authorization', admin);
    const runId = (runs.body.items as { runId: string }[])[0]!.runId;
    const hue = (role: 'admin' | 'auditor'): Principal => ({ id: `${role}.so@hue`, roles: [role], unitCode: null, provinceCode: '46', national: false });
    const seen = async (who: Principal) => {
      const token = await t.bearer(who);
      const list = await t.http().get('/recalculation-runs').query({ periodId: PERIOD_ID }).set('Authorization', token);
      const run = await t.http().get(`/recalculation-runs/${runId}`).set('Authorization', token);
      return { list: [list.status, list.body.items?.map((item: { runId: string }) => item.runId)], run: [run.status, run.body.code ?? run.body.runId] };
    };
    expect(await seen(hue('admin'))).toEqual({ list: [200, []], run: [403, 'AUTH.OTHER_PROVINCE'] });
    expect(await seen(hue('auditor'))).toEqual({ list: [200, []], run: [403, 'AUTH.OTHER_PROVINCE'] });
    const retry = await t.http().post(`/recalculation-runs/${runId}/retry`).set('Authorization', await t.bearer(hue('admin')));
    expect([retry.status, retry.body.code]).toEqual([403, 'AUTH.OTHER_PROVINCE']);
    const national: Principal = { id: 'auditor@national', roles: ['auditor'], unitCode: null, provinceCode: null, national: true };
    expect(await seen(national)).toEqual({ list: [200, [runId]], run: [200, runId] });
  });

  it('previews an amendment already issued from the version it amended (baseVersion): the units it moved, as its dry run showed them', async () => {
    const amendment = lowerDistrictReadiness(seeded.framework, 5);
    const issued = await whatIf({ periodId: PERIOD_ID, amendment, baseVersion: 1 }, admin);
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ fromVersion: 1, toVersion: 2, assessments: units });
    expect(issued.body.changes).toEqual(draftPreview.changes);
    // Without it the same amendment is a new draft over the version now pinned: nothing moves again.
    const again = await whatIf({ periodId: PERIOD_ID, amendment }, admin);
    expect(again.body).toMatchObject({ fromVersion: 2, toVersion: 3, changes: [] });
    const unknown = await whatIf({ periodId: PERIOD_ID, amendment, baseVersion: 9 }, admin);
    expect({ status: unknown.status, code: unknown.body.code, field: unknown.body.field }).toEqual({ status: 400, code: 'FRAMEWORK.VERSION_NOT_FOUND', field: 'baseVersion' });
    const notInteger = await whatIf({ periodId: PERIOD_ID, amendment, baseVersion: 'one' }, admin);
    expect(notInteger.status).toBe(400);
    expect(JSON.stringify(notInteger.body)).toContain('baseVersion');
  });

  it("names the unit of each failed job from the units register, and leaves the name empty for a unit the register does not know", async () => {
    // The units the dry run's test registered are named too; of the others, one is registered now.
    const [registered, ...others] = seeded.unitCodes.filter((code) => !namedUnits.has(code));
    await seedThroughExecutor(t.app).daknongUnits([registered!]);
    const name = async () => (await t.http().get(`/units/${registered}`).set('Authorization', admin)).body.name as string | undefined;
    for (let i = 0; i < 50 && !(await name()); i += 1) await sleep(100);
    // Pinned to a version never issued, every job fails, attempt after attempt, until the run is settled as failed.
    await adminCommands(t.eventStore).pin(9, '14/QĐ-UBND');
    const runId = recalculationRunId((await t.eventStore.readStream(`period-${PERIOD_ID}`)).at(-1)!.id);
    let res = await t.http().get(`/recalculation-runs/${runId}`).set('Authorization', admin);
    for (let i = 0; i < 600 && res.body.status !== 'failed'; i += 1) {
      await sleep(100);
      res = await t.http().get(`/recalculation-runs/${runId}`).set('Authorization', admin);
    }
    expect(res.body).toMatchObject({ status: 'failed', failed: units });
    const byUnit = (failures: { unitCode: string; unitName: string | null }[]) => Object.fromEntries(failures.map((failure) => [failure.unitCode, failure.unitName]));
    const expected = Object.fromEntries([[registered!, await name()], ...others.map((code) => [code, null]), ...namedUnits]);
    expect(byUnit(res.body.failures)).toEqual(expected);
    const listed = await t.http().get('/recalculation-runs').query({ periodId: PERIOD_ID }).set('Authorization', auditor);
    expect(byUnit((listed.body.items as { runId: string; failures: { unitCode: string; unitName: string | null }[] }[]).find((run) => run.runId === runId)!.failures)).toEqual(expected);
  }, 120_000);
});
