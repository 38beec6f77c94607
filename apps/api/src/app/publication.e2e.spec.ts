import type { Principal } from '@tieuchi/shared/auth';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { assessmentWorkflow, miniFramework, publicAnswerOnceItShows, waitForProjections } from '../testing/read-model-workflow';
import { seedThroughExecutor, startTestApp, type TestApp } from '../testing/test-app';

const farDeadlines = { selfAssessment: '2099-11-30', review: '2099-12-20', appealWindowDays: 15 };
function binary(res: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

const hueAdmin: Principal = { id: 'admin@hue', roles: ['admin'], unitCode: null, provinceCode: '46', national: false, name: 'Quản trị Huế' };

/** Issue 15 item 3: a decision number is unique per province; a publication names every unit it publishes without an approved assessment. */
describe('publication rules over HTTP', () => {
  let t: TestApp;
  let admin: string;

  const open = async (periodId: string, provinceCode = '67', year = 2030) => {
    await seedThroughExecutor(t.app).period(periodId, {
      type: 'OpenPeriod',
      data: { periodId, provinceCode, year, framework: { id: 'mini', version: 1 }, deadlines: farDeadlines },
    });
  };
  const close = async (periodId: string, bearer = admin) => {
    expect((await t.http().post(`/periods/${periodId}/self-assessment/close`).set('Authorization', bearer)).status).toBe(200);
  };
  const publish = (periodId: string, body: object, bearer = admin) => t.http().post(`/periods/${periodId}/publish`).set('Authorization', bearer).send(body);

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.bearer('admin@daknong');
    const seed = seedThroughExecutor(t.app);
    await seed.publishedFramework('mini', miniFramework);
    await seed.unit('67', { type: 'RegisterUnit', data: { code: '67', name: 'Tỉnh Đắk Nông', type: 'tỉnh', tier: 'province', parentCode: null } });
    let last: string | null = null;
    for (const code of ['660', '662', '664']) {
      last = (await seed.unit(code, { type: 'RegisterUnit', data: { code, name: `Huyện ${code}`, type: 'huyện', tier: 'district', parentCode: '67' } })).checkpoint;
    }
    await waitForProjections(t.app, last);
  }, 60_000);

  afterAll(() => t.close());

  it('refuses to publish while units have no approved assessment, listing them (409), and records the exclusions named with reasons', async () => {
    const periodId = 'publish-excl';
    await open(periodId);
    const flow = assessmentWorkflow(t.app);
    await flow.submitted(periodId, '660', [25, 15]);
    await flow.reviewedAndApproved(periodId, '660');
    await flow.submitted(periodId, '662', [20, 10]);
    await close(periodId);

    const refused = await publish(periodId, { decisionNumber: '10/QĐ-UBND', decisionDate: '2031-01-10' });
    expect(refused.status).toBe(409);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'PERIOD.UNITS_NOT_APPROVED', field: 'exclusions' });
    expect(refused.body.units).toEqual([
      { unitCode: '662', unitName: 'Huyện 662', tier: 'district', status: 'submitted' },
      { unitCode: '664', unitName: 'Huyện 664', tier: 'district', status: 'not_started' },
    ]);

    const partly = await publish(periodId, { decisionNumber: '10/QĐ-UBND', decisionDate: '2031-01-10', exclusions: [{ unitCode: '662', reason: 'Chưa thẩm định xong' }] });
    expect(partly.body).toMatchObject({ status: 409, code: 'PERIOD.UNITS_NOT_APPROVED', units: [{ unitCode: '664' }] });
    const approvedExcluded = await publish(periodId, {
      decisionNumber: '10/QĐ-UBND',
      decisionDate: '2031-01-10',
      exclusions: [{ unitCode: '660', reason: 'x' }, { unitCode: '662', reason: 'a' }, { unitCode: '664', reason: 'b' }],
    });
    expect(approvedExcluded.body).toMatchObject({ status: 409, code: 'PERIOD.UNEXPECTED_EXCLUSION', field: 'exclusions.0.unitCode' });
    const noReason = await publish(periodId, { decisionNumber: '10/QĐ-UBND', decisionDate: '2031-01-10', exclusions: [{ unitCode: '662' }] });
    expect(noReason.body).toMatchObject({ status: 400, field: 'exclusions.0.reason' });

    const exclusions = [
      { unitCode: '662', reason: 'Chưa thẩm định xong trước ngày quyết định' },
      { unitCode: '664', reason: 'Không nộp phiếu tự đánh giá' },
    ];
    const published = await publish(periodId, { decisionNumber: '10/QĐ-UBND', decisionDate: '2031-01-10', exclusions });
    expect(published.status).toBe(200);
    await waitForProjections(t.app, published.body.position);

    const period = await t.http().get(`/periods/${periodId}`).set('Authorization', admin);
    expect(period.body.exclusions).toEqual([
      { unitCode: '662', unitName: 'Huyện 662', tier: 'district', reason: 'Chưa thẩm định xong trước ngày quyết định' },
      { unitCode: '664', unitName: 'Huyện 664', tier: 'district', reason: 'Không nộp phiếu tự đánh giá' },
    ]);
    const ranking = await publicAnswerOnceItShows(
      () => t.http().get(`/periods/${periodId}/rankings/district/readiness`),
      (body) => (body as { decision?: unknown }).decision !== null,
    );
    expect(ranking.status).toBe(200);
    expect(ranking.body.ranked.map((u: { unitCode: string }) => u.unitCode)).toEqual(['660']);
    expect(ranking.body.notAssessed).toEqual([
      { unitCode: '662', unitName: 'Huyện 662', reason: 'Chưa thẩm định xong trước ngày quyết định' },
      { unitCode: '664', unitName: 'Huyện 664', reason: 'Không nộp phiếu tự đánh giá' },
    ]);
    expect(ranking.body.counts.notAssessed).toBe(2);

    // The decision's appendix lists them too, under their own heading with the reasons.
    const xlsx = await t.http().get(`/periods/${periodId}/rankings/district/readiness/appendix.xlsx`).buffer(true).parse(binary);
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as ArrayBuffer);
    const cells: string[] = [];
    workbook.getWorksheet('Phụ lục')!.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value))));
    expect(cells).toEqual(expect.arrayContaining(['Đơn vị chưa đánh giá (2)', 'Huyện 664', 'Không nộp phiếu tự đánh giá']));
    const pdf = await t.http().get(`/periods/${periodId}/rankings/district/readiness/appendix.pdf`).buffer(true).parse(binary);
    expect(pdf.status).toBe(200);

    const audit = await t.http().get(`/audit/events?stream=period-${periodId}`).set('Authorization', await t.bearer('auditor@daknong'));
    const row = audit.body.events.find((event: { type: string }) => event.type === 'PeriodPublished');
    expect(row.summary).toContain('Không nộp phiếu tự đánh giá');
    expect(row.after).toMatchObject({ excluded: exclusions.map((e) => `${e.unitCode}: ${e.reason}`) });
  });

  it('lets one of two periods of a province racing for one decision number have it; the other gets 409 naming decisionNumber', async () => {
    for (const periodId of ['race-a', 'race-b']) {
      await open(periodId, '67', periodId === 'race-a' ? 2031 : 2032);
      await close(periodId);
    }
    const excludeAll = [
      { unitCode: '660', reason: 'Không tham gia' },
      { unitCode: '662', reason: 'Không tham gia' },
      { unitCode: '664', reason: 'Không tham gia' },
    ];
    const answers = await Promise.all(
      ['race-a', 'race-b'].map((periodId) => publish(periodId, { decisionNumber: '20/QĐ-UBND', decisionDate: '2033-01-10', exclusions: excludeAll })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const lost = answers.find((a) => a.status === 409)!;
    expect(lost.body).toMatchObject({ code: 'PERIOD.DECISION_NUMBER_TAKEN', field: 'decisionNumber' });
    const loser = answers[0]!.status === 409 ? 'race-a' : 'race-b';
    const winner = loser === 'race-a' ? 'race-b' : 'race-a';

    // Written differently, the number is the same decision.
    const respelled = await publish(loser, { decisionNumber: '20 / qđ-ubnd', decisionDate: '2033-01-10', exclusions: excludeAll });
    expect(respelled.body).toMatchObject({ status: 409, code: 'PERIOD.DECISION_NUMBER_TAKEN' });
    expect((await publish(loser, { decisionNumber: '21/QĐ-UBND', decisionDate: '2033-01-10', exclusions: excludeAll })).status).toBe(200);

    // A correction takes a number of its own too.
    const correct = (periodId: string, decisionNumber: string) =>
      t.http().post(`/periods/${periodId}/corrections`).set('Authorization', admin).send({ decisionNumber, decisionDate: '2033-02-01', reason: 'Điều chỉnh' });
    expect((await correct(winner, '21/QĐ-UBND')).body).toMatchObject({ status: 409, code: 'PERIOD.DECISION_NUMBER_TAKEN', field: 'decisionNumber' });
    expect((await correct(winner, '22/QĐ-UBND')).status).toBe(201);
    expect((await correct(loser, '22/QĐ-UBND')).body).toMatchObject({ status: 409, code: 'PERIOD.DECISION_NUMBER_TAKEN' });

    // Another province numbers its own decisions.
    await open('hue-race', '46', 2031);
    const hue = await t.bearer(hueAdmin);
    await close('hue-race', hue);
    expect((await publish('hue-race', { decisionNumber: '20/QĐ-UBND', decisionDate: '2033-01-10' }, hue)).status).toBe(200);
  });
});
