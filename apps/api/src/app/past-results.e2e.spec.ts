import type { Principal } from '@tieuchi/shared/auth';
import type { Response } from 'supertest';
import { countStoredEvents } from '../testing/matrix/matrix-fixture';
import { problemDefect } from '../testing/matrix/matrix-http';
import { waitForProjections } from '../testing/read-model-workflow';
import { loadDaknongDemo, seedThroughExecutor, startTestApp, type TestApp } from '../testing/test-app';

const path = '/provinces/67/past-results';
const header = 'unit,year,part,score,level,decision_number,decision_date';
// Đắk Nông 2017, as a decision of the year before the demo's first would have printed it.
const results2017 = [
  header,
  '660,2017,readiness,40.5,II,25/QĐ-UBND,15/01/2018',
  '661,2017,readiness,30,,25/QĐ-UBND,15/01/2018',
  '662,2017,readiness,35.25,III,25/QĐ-UBND,15/01/2018',
  '660,2017,kết quả,20,III,25/QĐ-UBND,15/01/2018',
].join('\n');
const hueAdmin: Principal = { id: 'admin@hue', roles: ['admin'], unitCode: null, provinceCode: '46', national: false };
const nationalAdmin: Principal = { id: 'admin@national', roles: ['admin'], unitCode: null, provinceCode: null, national: true };

describe("a province's results published before tieuchi, imported (POST /provinces/{provinceCode}/past-results)", () => {
  let t: TestApp;
  let admin: string;

  async function upload(who: string | Principal, body: string, to = path): Promise<{ res: Response; appended: number }> {
    const before = await countStoredEvents(t.app);
    const res = await t.http().post(to).set('Authorization', await t.bearer(who)).set('Content-Type', 'text/csv').send(body);
    if (res.status >= 400) expect(problemDefect(res)).toBeNull();
    return { res, appended: (await countStoredEvents(t.app)) - before };
  }

  beforeAll(async () => {
    t = await startTestApp();
    await loadDaknongDemo(t.eventStore);
    const seed = seedThroughExecutor(t.app);
    await seed.unit('46', { type: 'RegisterUnit', data: { code: '46', name: 'Thừa Thiên Huế', type: 'tỉnh', tier: 'province', parentCode: null } });
    await seed.unit('481', { type: 'RegisterUnit', data: { code: '481', name: 'A Lưới', type: 'huyện', tier: 'district', parentCode: '46' } });
    admin = await t.bearer('admin@daknong');
    // The demo's 2018 publication must be in the rankings read model: year 2018 is then refused as assessed here.
    const deadline = Date.now() + 150_000;
    for (;;) {
      const res = await t.http().get('/periods/daknong-2018/rankings/district/readiness');
      if (res.status === 200 && res.body.decision !== null) break;
      if (Date.now() > deadline) throw new Error(`daknong-2018 not published in time: ${res.status}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }, 180_000);

  afterAll(() => t?.close());

  it("refuses another province's admin (403) and an unregistered province (409), recording nothing", async () => {
    const other = await upload(hueAdmin, results2017);
    expect({ status: other.res.status, code: other.res.body.code, appended: other.appended }).toEqual({ status: 403, code: 'AUTH.OTHER_PROVINCE', appended: 0 });
    const unreadable = await upload(hueAdmin, 'không phải bảng kết quả');
    expect({ status: unreadable.res.status, code: unreadable.res.body.code }).toEqual({ status: 403, code: 'AUTH.OTHER_PROVINCE' });
    const unknown = await upload(nationalAdmin, results2017, '/provinces/99/past-results');
    expect({ status: unknown.res.status, code: unknown.res.body.code, field: unknown.res.body.field, appended: unknown.appended }).toEqual({
      status: 409,
      code: 'RESULTS.UNKNOWN_PROVINCE',
      field: 'provinceCode',
      appended: 0,
    });
  });

  it('names every bad row by row, column and a Vietnamese reason, and records nothing', async () => {
    const csv = [
      header,
      '660,2017,readiness,40.5,II,25/QĐ-UBND,15/01/2018',
      '99999,2017,readiness,10,,25/QĐ-UBND,15/01/2018',
      '481,2017,readiness,10,,25/QĐ-UBND,15/01/2018',
      '67,2017,readiness,10,,25/QĐ-UBND,15/01/2018',
      '660,2018,readiness,40,II,47/QĐ-UBND,10/01/2019',
      '661,năm ngoái,readiness,10,,25/QĐ-UBND,15/01/2018',
      '661,2017,readiness,mười,,25/QĐ-UBND,15/01/2018',
      '661,2017,readiness,10,,25/QĐ-UBND,31/02/2018',
      '660,2017,readiness,41,II,25/QĐ-UBND,15/01/2018',
      '662,2017,readiness,30,III,26/QĐ-UBND,15/01/2018',
    ].join('\n');
    const { res, appended } = await upload('admin@daknong', csv);
    expect({ status: res.status, code: res.body.code, appended }).toEqual({ status: 400, code: 'RESULTS.IMPORT_INVALID_ROWS', appended: 0 });
    expect(res.body.errors.map((e: { row: number; column: string; code: string }) => [e.row, e.column, e.code])).toEqual([
      [3, 'A', 'RESULTS.UNKNOWN_UNIT'],
      [4, 'A', 'RESULTS.UNIT_OUTSIDE_PROVINCE'],
      [5, 'A', 'RESULTS.NOT_RANKED_TIER'],
      [6, 'B', 'RESULTS.YEAR_ASSESSED'],
      [7, 'B', 'RESULTS.INVALID_YEAR'],
      [8, 'D', 'RESULTS.INVALID_SCORE'],
      [9, 'G', 'RESULTS.INVALID_DECISION_DATE'],
      [10, 'A', 'RESULTS.DUPLICATE_IN_FILE'],
      [11, 'F', 'RESULTS.DECISION_MISMATCH'],
    ]);
    const message = (row: number): string => res.body.errors.find((e: { row: number }) => e.row === row).message;
    expect(message(4)).toBe('Đơn vị 481 không thuộc tỉnh 67');
    expect(message(6)).toBe('Năm 2018 đã được đánh giá và công bố trong hệ thống (kỳ daknong-2018); kết quả của năm này không nhập từ tệp');
    expect(message(11)).toBe('Năm 2017 đã ghi quyết định 25/QĐ-UBND ngày 2018-01-15 ở dòng 2; mỗi năm một quyết định');
  });

  it("refuses a part the framework of the province's periods does not have for the unit's tier, naming row and column; a province without periods names its framework", async () => {
    const csv = [header, '660,2017,readiness,40.5,II,25/QĐ-UBND,15/01/2018', '661,2017,ket_qua,30,,25/QĐ-UBND,15/01/2018', '662,2017,dti,35,,25/QĐ-UBND,15/01/2018'].join('\n');
    const { res, appended } = await upload('admin@daknong', csv);
    expect({ status: res.status, code: res.body.code, appended }).toEqual({ status: 400, code: 'RESULTS.IMPORT_INVALID_ROWS', appended: 0 });
    expect(res.body.errors.map((e: { row: number; column: string; code: string }) => [e.row, e.column, e.code])).toEqual([
      [3, 'C', 'RESULTS.UNKNOWN_PART'],
      [4, 'C', 'RESULTS.UNKNOWN_PART'],
    ]);
    expect(res.body.errors[0].message).toBe('Phần "ket_qua" không có trong bộ tiêu chí 2392-2017 cho cấp huyện; các phần: readiness, results');

    // Huế has no period in tieuchi: the import must name the framework of its published years.
    const hue = (part: string): string => [header, `481,2019,${part},40,II,5/QĐ-UBND,10/01/2020`].join('\n');
    const unnamed = await upload(hueAdmin, hue('readiness'), '/provinces/46/past-results');
    expect({ status: unnamed.res.status, code: unnamed.res.body.code, field: unnamed.res.body.field, appended: unnamed.appended }).toEqual({
      status: 400,
      code: 'RESULTS.FRAMEWORK_REQUIRED',
      field: 'framework',
      appended: 0,
    });
    const unknown = await upload(hueAdmin, hue('readiness'), '/provinces/46/past-results?framework=khong-co');
    expect({ status: unknown.res.status, code: unknown.res.body.code, field: unknown.res.body.field }).toEqual({ status: 400, code: 'RESULTS.UNKNOWN_FRAMEWORK', field: 'framework' });
    const malformed = await upload(hueAdmin, hue('readiness'), '/provinces/46/past-results?framework=Khong%20Co');
    expect({ status: malformed.res.status, field: malformed.res.body.field }).toEqual({ status: 400, field: 'framework' });
    const wrongPart = await upload(hueAdmin, hue('ket_qua'), '/provinces/46/past-results?framework=2392-2017');
    expect(wrongPart.res.body.errors?.map((e: { row: number; column: string; code: string }) => [e.row, e.column, e.code])).toEqual([[2, 'C', 'RESULTS.UNKNOWN_PART']]);
    const named = await upload(hueAdmin, hue('sẵn sàng'), '/provinces/46/past-results?framework=2392-2017');
    expect({ status: named.res.status, appended: named.appended }).toEqual({ status: 200, appended: 1 });
  });

  it('records a good file as one event per year, the same file again records nothing, and other results for that year are refused (409)', async () => {
    const first = await upload('admin@daknong', results2017);
    expect({ status: first.res.status, appended: first.appended }).toEqual({ status: 200, appended: 1 });
    expect(first.res.body).toMatchObject({
      streamName: 'past-results-67',
      version: 0,
      years: [{ year: 2017, decisionNumber: '25/QĐ-UBND', decisionDate: '2018-01-15', results: 4, recorded: true }],
    });
    await waitForProjections(t.app, first.res.body.position);

    const again = await upload('admin@daknong', results2017.split('\n').reverse().filter((line) => line !== header).concat(header).reverse().join('\r\n'));
    expect({ status: again.res.status, version: again.res.body.version, recorded: again.res.body.years[0].recorded, appended: again.appended }).toEqual({ status: 200, version: 0, recorded: false, appended: 0 });

    const changed = await upload('admin@daknong', results2017.replace('40.5', '41.5'));
    expect({ status: changed.res.status, code: changed.res.body.code, appended: changed.appended }).toEqual({ status: 409, code: 'RESULTS.YEAR_ALREADY_IMPORTED', appended: 0 });
  });

  it("publishes the imported year as an official edition of its own, marked imported, and the next year's changes are taken against it", async () => {
    const imported = await t.http().get('/periods/imported-67-2017/rankings/district/readiness');
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ provisional: false, decision: { number: '25/QĐ-UBND', date: '2018-01-15' }, comparedWith: null });
    expect(imported.body.ranked.map((r: { unitCode: string; rank: number; score: number; level: string }) => [r.unitCode, r.rank, r.score, r.level])).toEqual([
      ['660', 1, 40.5, 'II'],
      ['662', 2, 35.25, 'III'],
    ]);
    expect(imported.body.unranked.map((r: { unitCode: string; score: number }) => [r.unitCode, r.score])).toEqual([['661', 30]]);

    // 2018 was published before the import: its official edition stays as printed, the working ranking now compares with 2017.
    const official = await t.http().get('/periods/daknong-2018/rankings/district/readiness');
    expect(official.body.comparedWith).toBeNull();
    const working = await t.http().get('/periods/daknong-2018/rankings/district/readiness?view=working').set('Authorization', admin);
    expect(working.status).toBe(200);
    expect(working.body.comparedWith).toEqual({ periodId: 'imported-67-2017', decision: { number: '25/QĐ-UBND', date: '2018-01-15' }, imported: true });
    expect(working.body.correctionPending).toBe(true);
    const gia = [...working.body.ranked, ...working.body.unranked].find((r: { unitCode: string }) => r.unitCode === '660');
    expect(gia.previousScore).toBe(40.5);
    expect(gia.change).toBeCloseTo(gia.score - 40.5, 6);

    // A correction decision of 2018 makes the comparison official, still marked imported.
    const corrected = await t.http().post('/periods/daknong-2018/corrections').set('Authorization', admin).send({ decisionNumber: '30/QĐ-UBND', decisionDate: '2019-03-01', reason: 'So sánh với kết quả năm 2017 đã công bố' });
    expect(corrected.status).toBe(201);
    await waitForProjections(t.app, corrected.body.position);
    const deadline = Date.now() + 20_000;
    let republished = await t.http().get('/periods/daknong-2018/rankings/district/readiness');
    while (republished.body.decision?.number !== '30/QĐ-UBND' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      republished = await t.http().get('/periods/daknong-2018/rankings/district/readiness');
    }
    expect(republished.body.decision).toEqual({ number: '30/QĐ-UBND', date: '2019-03-01' });
    expect(republished.body.comparedWith).toEqual({ periodId: 'imported-67-2017', decision: { number: '25/QĐ-UBND', date: '2018-01-15' }, imported: true });
  });

  it("shows the imported year in the unit's public history, marked imported, and in the province's audit trail", async () => {
    const history = await t.http().get('/units/660/history');
    expect(history.status).toBe(200);
    expect(history.body.periods[0]).toMatchObject({
      periodId: 'imported-67-2017',
      year: 2017,
      status: 'imported',
      source: 'imported',
      provisional: false,
      decision: { number: '25/QĐ-UBND', date: '2018-01-15' },
    });
    expect(history.body.periods[0].parts.map((p: { partCode: string; score: number }) => [p.partCode, p.score])).toEqual([
      ['readiness', 40.5],
      ['results', 20],
    ]);
    expect(history.body.periods.slice(1).every((period: { source: string }) => period.source === 'assessed')).toBe(true);

    const auditor = await t.bearer('auditor@daknong');
    const deadline = Date.now() + 20_000;
    let audit = await t.http().get('/audit/events?stream=past-results-67').set('Authorization', auditor);
    while (audit.status === 200 && audit.body.events.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      audit = await t.http().get('/audit/events?stream=past-results-67').set('Authorization', auditor);
    }
    expect(audit.status).toBe(200);
    expect(audit.body.events).toHaveLength(1);
    expect(audit.body.events[0]).toMatchObject({ type: 'PastResultsImported' });
    expect(JSON.stringify(audit.body.events[0])).toContain('không đánh giá trong hệ thống');
  });
});
