import type { Principal } from '@tieuchi/shared/auth';
import type { Response } from 'supertest';
import { assessmentRoutes } from '../testing/assessment-workflow';
import { countStoredEvents, driveAssessment, matrixFramework, openPeriod } from '../testing/matrix/matrix-fixture';
import { matrixHttp, problemDefect } from '../testing/matrix/matrix-http';
import { waitForProjections } from '../testing/read-model-workflow';
import { seedThroughExecutor, startTestApp, type TestApp } from '../testing/test-app';

// Thừa Thiên Huế (46): a district and a commune of it, registered beside Đắk Nông's (67).
const HUE = '46';
const HUE_DISTRICT = '481';
const HUE_COMMUNE = '20275';
const hue = (role: Principal['roles'][number], unitCode: string | null = null): Principal => ({
  id: `${role}.${unitCode ?? 'so'}@hue`,
  roles: [role],
  unitCode,
  provinceCode: HUE,
  national: false,
});
const nationalAdmin: Principal = { id: 'admin@national', roles: ['admin'], unitCode: null, provinceCode: null, national: true };
const nationalAuditor: Principal = { id: 'auditor@national', roles: ['auditor'], unitCode: null, provinceCode: null, national: true };

describe('jurisdiction: every unit, period and staff role belongs to one province (issue 15 item 2)', () => {
  let t: TestApp;
  let http: ReturnType<typeof matrixHttp>;

  /** Sends the call and says what came back: status, code, field, whether it is proper problem+json, what it appended. */
  async function answer(method: 'GET' | 'POST', url: string, who: string | Principal, body?: object, csv?: string): Promise<{ status: number; code?: string; field?: string; appended: number }> {
    const before = await countStoredEvents(t.app);
    const res: Response = await http.send({ method, url, who, body, ...(csv === undefined ? {} : { raw: csv, contentType: 'text/csv' }) });
    const appended = (await countStoredEvents(t.app)) - before;
    if (res.status >= 400) expect(problemDefect(res)).toBeNull();
    return { status: res.status, ...(res.status >= 400 ? { code: res.body.code } : {}), ...(res.body?.field ? { field: res.body.field } : {}), appended };
  }

  beforeAll(async () => {
    t = await startTestApp();
    http = matrixHttp(t);
    const seed = seedThroughExecutor(t.app);
    await seed.publishedFramework(matrixFramework.id, matrixFramework);
    await seed.daknongUnits(['24728', '24655', '660', '662']);
    await seed.unit(HUE, { type: 'RegisterUnit', data: { code: HUE, name: 'Thừa Thiên Huế', type: 'tỉnh', tier: 'province', parentCode: null } });
    await seed.unit(HUE_DISTRICT, { type: 'RegisterUnit', data: { code: HUE_DISTRICT, name: 'A Lưới', type: 'huyện', tier: 'district', parentCode: HUE } });
    await seed.unit(HUE_COMMUNE, { type: 'RegisterUnit', data: { code: HUE_COMMUNE, name: 'Hồng Thái', type: 'xã', tier: 'commune', parentCode: HUE_DISTRICT } });
    await openPeriod(t.app, 'daknong-2019', 2019);
    await seed.period('hue-2019', {
      type: 'OpenPeriod',
      data: { periodId: 'hue-2019', provinceCode: HUE, year: 2019, framework: { id: matrixFramework.id, version: 1 }, deadlines: { selfAssessment: '2099-11-30', review: '2099-12-20', appealWindowDays: 15 } },
    });
  }, 60_000);

  afterAll(() => t.close());

  it('registers a unit only under a registered parent of the tier above it (province → district → commune), naming the field', async () => {
    const commune = { code: '99001', name: 'Xã Thử', type: 'xã', tier: 'commune' };
    const refusals = {
      unknownParent: await answer('POST', '/units', 'admin@daknong', { ...commune, parentCode: '99999' }),
      communeUnderProvince: await answer('POST', '/units', 'admin@daknong', { ...commune, parentCode: '67' }),
      districtUnderDistrict: await answer('POST', '/units', 'admin@daknong', { code: '99002', name: 'Huyện Thử', type: 'huyện', tier: 'district', parentCode: '660' }),
      districtWithoutParent: await answer('POST', '/units', 'admin@daknong', { code: '99002', name: 'Huyện Thử', type: 'huyện', tier: 'district' }),
      provinceWithParent: await answer('POST', '/units', nationalAdmin, { code: '99', name: 'Tỉnh Thử', type: 'tỉnh', tier: 'province', parentCode: '67' }),
      unknownTier: await answer('POST', '/units', 'admin@daknong', { ...commune, tier: 'hamlet', parentCode: '660' }),
    };
    expect(refusals).toEqual({
      unknownParent: { status: 409, code: 'UNIT.PARENT_NOT_FOUND', field: 'parentCode', appended: 0 },
      communeUnderProvince: { status: 409, code: 'UNIT.INCONSISTENT_TIER', field: 'parentCode', appended: 0 },
      districtUnderDistrict: { status: 409, code: 'UNIT.INCONSISTENT_TIER', field: 'parentCode', appended: 0 },
      districtWithoutParent: { status: 400, code: 'UNIT.PARENT_REQUIRED', field: 'parentCode', appended: 0 },
      provinceWithParent: { status: 400, code: 'UNIT.INCONSISTENT_TIER', field: 'parentCode', appended: 0 },
      unknownTier: { status: 400, code: 'UNIT.INVALID_TIER', field: 'tier', appended: 0 },
    });
    expect(await answer('POST', '/units', 'admin@daknong', { ...commune, parentCode: '660' })).toEqual({ status: 201, appended: 1 });
  });

  it("keeps an admin's unit commands to the units of their own province; a national admin reaches every one", async () => {
    const hueAdmin = hue('admin');
    const refusals = [
      await answer('POST', '/units', hueAdmin, { code: '99003', name: 'Xã Thử', type: 'xã', tier: 'commune', parentCode: '660' }),
      await answer('POST', '/units/660/rename', hueAdmin, { name: 'Thành phố Gia Nghĩa', effectiveDate: '2020-01-01', decisionRef: 'NQ 835' }),
      await answer('POST', '/units/660/type', hueAdmin, { type: 'thành phố', effectiveDate: '2020-01-01', decisionRef: 'NQ 835' }),
      await answer('POST', '/units/662/dissolve', hueAdmin, { effectiveDate: '2025-07-01', legalBasis: 'NQ 1671' }),
      await answer('POST', '/units/import', hueAdmin, undefined, 'code,name,type,parent_code\n99005,Xã Thử,xã,660\n'),
      await answer('POST', '/units', 'admin@daknong', { code: '20276', name: 'Xã Huế', type: 'xã', tier: 'commune', parentCode: HUE_DISTRICT }),
    ];
    for (const refusal of refusals) expect(refusal).toEqual({ status: 403, code: 'AUTH.OTHER_PROVINCE', appended: 0 });
    expect(await answer('POST', '/units', hueAdmin, { code: '20276', name: 'Xã Huế', type: 'xã', tier: 'commune', parentCode: HUE_DISTRICT })).toEqual({ status: 201, appended: 1 });
    expect(await answer('POST', '/units', nationalAdmin, { code: '99004', name: 'Xã Thử', type: 'xã', tier: 'commune', parentCode: '660' })).toEqual({ status: 201, appended: 1 });
  });

  it('opens a period only for a registered province, by its own admin or a national one', async () => {
    const body = (periodId: string, provinceCode: string) => ({
      periodId,
      provinceCode,
      year: 2020,
      framework: { id: matrixFramework.id, version: 1 },
      deadlines: { selfAssessment: '2099-11-30', review: '2099-12-20', appealWindowDays: 15 },
    });
    expect(await answer('POST', '/periods', 'admin@daknong', body('hue-2020', HUE))).toEqual({ status: 403, code: 'AUTH.OTHER_PROVINCE', appended: 0 });
    expect(await answer('POST', '/periods', nationalAdmin, body('nowhere-2020', '99'))).toEqual({ status: 409, code: 'PERIOD.UNKNOWN_PROVINCE', field: 'provinceCode', appended: 0 });
    expect(await answer('POST', '/periods', hue('admin'), body('hue-2020', HUE))).toMatchObject({ status: 201, appended: 1 });
  });

  it("refuses every period command of another province's admin before anything is decided; a national admin may", async () => {
    const period = '/periods/daknong-2019';
    const calls: readonly [string, object | undefined][] = [
      [`${period}/self-assessment/close`, undefined],
      [`${period}/deadlines`, { review: '2099-12-31', reason: 'Gia hạn' }],
      [`${period}/publish`, { decisionNumber: '47/QĐ-UBND', decisionDate: '2020-01-10' }],
      [`${period}/corrections`, { decisionNumber: '48/QĐ-UBND', decisionDate: '2020-02-01', reason: 'Đính chính' }],
      [`${period}/framework-version`, { frameworkId: matrixFramework.id, version: 1, cause: 'Ghim lại', decisionRef: '12/QĐ-UBND' }],
    ];
    for (const [url, body] of calls) expect({ url, ...(await answer('POST', url, hue('admin'), body)) }).toEqual({ url, status: 403, code: 'AUTH.OTHER_PROVINCE', appended: 0 });
    expect(await answer('POST', '/periods/hue-2019/deadlines', nationalAdmin, { review: '2099-12-31', reason: 'Gia hạn' })).toEqual({ status: 200, appended: 1 });
  });

  it("assesses in a period only the units of the period's province (409 ASSESSMENT.UNIT_OUTSIDE_PROVINCE)", async () => {
    const hueEditor = hue('unit_editor', HUE_COMMUNE);
    expect(await answer('POST', assessmentRoutes('daknong-2019', HUE_COMMUNE).start, hueEditor)).toEqual({ status: 409, code: 'ASSESSMENT.UNIT_OUTSIDE_PROVINCE', field: 'unitCode', appended: 0 });
    expect(await answer('POST', assessmentRoutes('hue-2019', '24728').start, 'editor.24728@daknong')).toEqual({ status: 409, code: 'ASSESSMENT.UNIT_OUTSIDE_PROVINCE', field: 'unitCode', appended: 0 });
    expect(await answer('POST', assessmentRoutes('hue-2019', HUE_COMMUNE).start, hueEditor)).toEqual({ status: 201, appended: 1 });
  });

  it("gives reviewers, approvers and auditors authority in their own province's periods only; national ones in every period", async () => {
    await driveAssessment(t.app, 'daknong-2019', '24655', 'submitted');
    const routes = assessmentRoutes('daknong-2019', '24655');
    // The reads below come from the read model: wait until it holds the submission.
    const submitted = (await t.eventStore.readStream(routes.streamName)).at(-1);
    await waitForProjections(t.app, submitted?.checkpoint ?? null);
    expect(await answer('POST', routes.startReview, hue('reviewer'))).toEqual({ status: 403, code: 'ASSESSMENT.FORBIDDEN', appended: 0 });
    for (const who of [hue('auditor'), hue('reviewer'), hue('approver'), hue('admin')]) {
      expect({ who: who.id, ...(await answer('GET', routes.start, who)) }).toEqual({ who: who.id, status: 403, code: 'AUTH.OTHER_PROVINCE', appended: 0 });
    }
    for (const who of ['auditor@daknong', nationalAuditor]) expect((await answer('GET', routes.start, who)).status).toBe(200);

    const queue = async (who: string | Principal) => (await http.send({ method: 'GET', url: '/review-queue?periodId=daknong-2019', who })).body.items.map((item: { unitCode: string }) => item.unitCode);
    expect(await queue(hue('reviewer'))).toEqual([]);
    expect(await queue('reviewer.1@daknong')).toEqual(['24655']);
    const listed = async (who: string | Principal) =>
      (await http.send({ method: 'GET', url: '/periods/daknong-2019/assessments', who })).body.items.map((item: { unitCode: string }) => item.unitCode);
    expect(await listed(hue('auditor'))).toEqual([]);
    expect(await listed(nationalAuditor)).toEqual(['24655']);
  });

  it("shows a period to the staff of its own province and national accounts; another province's staff get 403 AUTH.OTHER_PROVINCE", async () => {
    for (const who of [hue('admin'), hue('auditor'), hue('reviewer'), hue('approver')]) {
      expect({ who: who.id, ...(await answer('GET', '/periods/daknong-2019', who)) }).toEqual({ who: who.id, status: 403, code: 'AUTH.OTHER_PROVINCE', appended: 0 });
    }
    for (const who of ['admin@daknong', 'auditor@daknong', 'editor.24728@daknong', nationalAdmin, nationalAuditor]) {
      expect(await answer('GET', '/periods/daknong-2019', who)).toEqual({ status: 200, appended: 0 });
    }
    expect(await answer('GET', '/periods/hue-2019', hue('admin'))).toEqual({ status: 200, appended: 0 });
    expect(await answer('GET', '/periods/hue-2019', 'admin@daknong')).toEqual({ status: 403, code: 'AUTH.OTHER_PROVINCE', appended: 0 });
    expect(await answer('GET', '/periods/hue-2019', nationalAdmin)).toEqual({ status: 200, appended: 0 });
  });

  it("lists a period before publication to its province's staff and unit users and to national accounts, as the single read shows it; a published one to everyone", async () => {
    const seed = seedThroughExecutor(t.app);
    await seed.period('hue-2018', {
      type: 'OpenPeriod',
      data: { periodId: 'hue-2018', provinceCode: HUE, year: 2018, framework: { id: matrixFramework.id, version: 1 }, deadlines: { selfAssessment: '2018-11-30', review: '2018-12-20', appealWindowDays: 15 } },
    });
    await seed.period('hue-2018', { type: 'CloseSelfAssessment', data: { periodId: 'hue-2018' } });
    await seed.period('hue-2018', { type: 'PublishPeriod', data: { periodId: 'hue-2018', decisionNumber: '5/QĐ-UBND', decisionDate: '2019-03-01', exclusions: [], unitsWithoutApproval: [] } });
    // A Huế commune's editor holds a unit grant only: the province is the unit's.
    const hueEditor: Principal = { id: 'editor.20275@hue', roles: ['unit_editor'], unitCode: HUE_COMMUNE, provinceCode: null, national: false };
    const ours = ['daknong-2019', 'hue-2018', 'hue-2019'];
    const listed = async (who?: string | Principal, query: Record<string, string> = {}) => {
      const request = t.http().get('/periods').query({ limit: 200, ...query });
      const res = who === undefined ? await request : await request.set('Authorization', await t.bearer(who));
      expect(res.status).toBe(200);
      return (res.body.items as { periodId: string }[]).map((item) => item.periodId).filter((id) => ours.includes(id)).sort();
    };
    for (let i = 0; i < 300 && !(await listed()).includes('hue-2018'); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));

    expect({
      anonymous: await listed(),
      daknongAdmin: await listed('admin@daknong'),
      daknongEditor: await listed('editor.24728@daknong'),
      hueAdmin: await listed(hue('admin')),
      hueAuditor: await listed(hue('auditor')),
      hueEditor: await listed(hueEditor),
      nationalAuditor: await listed(nationalAuditor),
      // A filter narrows what the caller may see; it never widens it.
      hueAdminAskingForDaknong: await listed(hue('admin'), { provinceCode: '67' }),
      anonymousAskingForOpen: await listed(undefined, { status: 'open' }),
    }).toEqual({
      anonymous: ['hue-2018'],
      daknongAdmin: ['daknong-2019', 'hue-2018'],
      daknongEditor: ['daknong-2019', 'hue-2018'],
      hueAdmin: ['hue-2018', 'hue-2019'],
      hueAuditor: ['hue-2018', 'hue-2019'],
      hueEditor: ['hue-2018', 'hue-2019'],
      nationalAuditor: ['daknong-2019', 'hue-2018', 'hue-2019'],
      hueAdminAskingForDaknong: [],
      anonymousAskingForOpen: [],
    });
    // The single read agrees: a published period is public, one not published yet stays its province's.
    expect(await answer('GET', '/periods/hue-2018', 'admin@daknong')).toEqual({ status: 200, appended: 0 });
    expect(await answer('GET', '/periods/hue-2018', 'editor.24728@daknong')).toEqual({ status: 200, appended: 0 });
    expect(await answer('GET', '/periods/hue-2019', hueEditor)).toEqual({ status: 200, appended: 0 });
    expect(await answer('GET', '/periods/daknong-2019', hueEditor)).toEqual({ status: 403, code: 'AUTH.OTHER_PROVINCE', appended: 0 });
    expect(await answer('GET', '/periods/hue-2019', 'editor.24728@daknong')).toEqual({ status: 403, code: 'AUTH.OTHER_PROVINCE', appended: 0 });
  });
});
