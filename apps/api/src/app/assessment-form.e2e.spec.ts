import { XLSX_BOUNDS } from '@tieuchi/shared/documents';
import { craftXlsxBomb } from '@tieuchi/shared/documents/testing';
import { loadBundledFramework } from '@tieuchi/framework/domain';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { assessmentRoutes, selfScoreBody, tierCriteriaOf } from '../testing/assessment-workflow';
import { seedThroughExecutor, startTestApp, type TestApp } from '../testing/test-app';

const period = 'daknong-2019';
const nam = '24728';
const tam = '24655';
const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const framework = loadBundledFramework('2392-2017');
const criteria = tierCriteriaOf(framework, 'commune');
const routes = assessmentRoutes(period, nam);
const formPath = (unit: string): string => `/periods/${period}/assessments/${unit}/form.xlsx`;
const sheetName = 'Phiếu tự đánh giá';

function binary(res: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

async function workbookOf(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

/** Row number of each criterion code in column A. */
function rowsByCode(sheet: ExcelJS.Worksheet): Map<string, number> {
  const rows = new Map<string, number>();
  sheet.eachRow((row, number) => {
    const code = row.getCell(1).value;
    if (typeof code === 'string' && criteria.some((criterion) => criterion.code === code)) rows.set(code, number);
  });
  return rows;
}

describe('the self-assessment form as XLSX: downloaded pre-filled, filled offline, uploaded as one command', () => {
  let t: TestApp;
  let editor: string;

  const download = async (who: string, unit = nam): Promise<Response> => t.http().get(formPath(unit)).set('Authorization', who).buffer(true).parse(binary);
  const upload = async (who: string, bytes: Buffer, unit = nam): Promise<Response> => t.http().post(formPath(unit)).set('Authorization', who).set('Content-Type', xlsx).send(bytes);
  const streamLength = async (): Promise<number> => (await t.eventStore.readStream(routes.streamName)).length;

  beforeAll(async () => {
    t = await startTestApp();
    await seedThroughExecutor(t.app).twoCommunesInOpenPeriod(period, framework);
    editor = await t.bearer(`editor.${nam}@daknong`);
    expect((await t.http().post(routes.start).set('Authorization', editor)).status).toBe(201);
    expect((await t.http().post(`/periods/${period}/assessments/${tam}`).set('Authorization', await t.bearer(`editor.${tam}@daknong`))).status).toBe(201);
  }, 60_000);

  afterAll(() => t?.close());

  it('gives the unit its form: every criterion of its tier with maximum and how to answer, only the cells to fill unlocked', async () => {
    const res = await download(editor);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(xlsx);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="phieu-tu-danh-gia-${period}-${nam}.xlsx"`);
    const sheet = (await workbookOf(res.body as Buffer)).getWorksheet(sheetName)!;
    expect(String(sheet.getCell('A1').value)).toBe(`PHIẾU TỰ ĐÁNH GIÁ — Nâm N'Jang (mã ${nam})`);
    const rows = rowsByCode(sheet);
    expect([...rows.keys()]).toEqual(criteria.map((criterion) => criterion.code));
    const first = rows.get(criteria[0]!.code)!;
    expect(sheet.getCell(`C${first}`).value).toBe(criteria[0]!.maxPoints);
    expect(sheet.getCell(`E${first}`).protection?.locked).toBe(false);
    expect(sheet.getCell(`A${first}`).protection?.locked).not.toBe(false);
  });

  it('names every bad cell by sheet, cell and reason in Vietnamese, and records nothing', async () => {
    const workbook = await workbookOf((await download(editor)).body as Buffer);
    const sheet = workbook.getWorksheet(sheetName)!;
    const rows = rowsByCode(sheet);
    const yesNo = criteria.find((criterion) => criterion.rule.kind === 'yes_no')!;
    const ratio = criteria.find((criterion) => criterion.rule.kind === 'ratio')!;
    const numeric = criteria.find((criterion) => criterion !== ratio && criterion.rule.kind !== 'yes_no')!;
    sheet.getCell(`E${rows.get(yesNo.code)}`).value = 'Có lẽ';
    sheet.getCell(`E${rows.get(numeric.code)}`).value = 'tám mươi';
    sheet.getCell(`E${rows.get(ratio.code)}`).value = 150;
    const last = Math.max(...rows.values()) + 1;
    sheet.getCell(`A${last}`).value = 'X.KHONG.CO';
    const before = await streamLength();
    const res = await upload(editor, Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'FORM.INVALID_CELLS' });
    const errors = res.body.errors as { sheet: string; cell: string; code: string; message: string }[];
    expect(errors.map((error) => [error.sheet, error.cell, error.code])).toEqual(
      expect.arrayContaining([
        [sheetName, `E${rows.get(yesNo.code)}`, 'FORM.YES_NO_EXPECTED'],
        [sheetName, `E${rows.get(numeric.code)}`, 'FORM.NUMBER_EXPECTED'],
        [sheetName, `A${last}`, 'FORM.UNKNOWN_CRITERION'],
      ]),
    );
    expect(errors.find((error) => error.cell === `E${rows.get(numeric.code)}`)?.message).toContain('trả lời bằng một số');
    expect(await streamLength()).toBe(before);

    // Cells that read well but that the rules refuse are named the same way, still all or nothing.
    sheet.getCell(`E${rows.get(yesNo.code)}`).value = 'Có';
    sheet.getCell(`E${rows.get(numeric.code)}`).value = selfScoreBody(numeric).answer.kind === 'value' ? (selfScoreBody(numeric).answer as { value: number }).value : 1;
    sheet.getCell(`A${last}`).value = null;
    const refused = await upload(editor, Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(refused.status).toBe(400);
    expect((refused.body.errors as { cell: string }[]).map((error) => error.cell)).toEqual([`E${rows.get(ratio.code)}`]);
    expect(await streamLength()).toBe(before);
  });

  it('applies a good file as one append: answers, not applicable with its explanation, references in words; the same file again changes nothing', async () => {
    const workbook = await workbookOf((await download(editor)).body as Buffer);
    const sheet = workbook.getWorksheet(sheetName)!;
    const rows = rowsByCode(sheet);
    const notApplicable = criteria.find((criterion) => criterion.mayBeNotApplicable)!;
    for (const criterion of criteria) {
      const row = rows.get(criterion.code)!;
      if (criterion === notApplicable) {
        sheet.getCell(`F${row}`).value = 'x';
        sheet.getCell(`G${row}`).value = 'Xã chưa có bộ phận một cửa điện tử riêng';
        continue;
      }
      const { answer, explanation } = selfScoreBody(criterion);
      const value = answer.kind === 'value' ? answer.value : null;
      sheet.getCell(`E${row}`).value = typeof value === 'boolean' ? (value ? 'Có' : 'Không') : typeof value === 'number' ? String(value).replace('.', ',') : null;
      if (explanation) sheet.getCell(`G${row}`).value = explanation;
      if (criterion.evidenceRequired) sheet.getCell(`H${row}`).value = 'Quyết định số 12/QĐ-UBND\nBáo cáo tháng 12/2019';
    }
    const before = await streamLength();
    const res = await upload(editor, Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(res.status).toBe(200);
    expect(res.body.changedCriteria).toHaveLength(criteria.length);
    const events = (await t.eventStore.readStream(routes.streamName)).slice(before);
    expect(events).toHaveLength(criteria.length);
    expect(new Set(events.map((event) => event.metadata.correlationId)).size).toBe(1);
    const marked = events.find((event) => (event.data as { criterionCode: string }).criterionCode === notApplicable.code);
    expect(marked?.data).toMatchObject({ answer: { kind: 'not_applicable' }, explanation: 'Xã chưa có bộ phận một cửa điện tử riêng' });
    const withReferences = events.find((event) => (event.data as { evidence: unknown[] }).evidence.length > 0);
    expect((withReferences?.data as { evidence: unknown[] }).evidence).toEqual([
      { kind: 'reference', reference: 'Quyết định số 12/QĐ-UBND' },
      { kind: 'reference', reference: 'Báo cáo tháng 12/2019' },
    ]);

    const again = await download(editor);
    const unchanged = await upload(editor, again.body as Buffer);
    expect(unchanged.status).toBe(200);
    expect(unchanged.body).toMatchObject({ changedCriteria: [], events: [] });
    expect(await streamLength()).toBe(before + criteria.length);
  });

  it('refuses a form the assessment has moved past (412), a form of another unit, a file that is no form, and other people', async () => {
    const stale = (await download(editor)).body as Buffer;
    const criterion = criteria.find((candidate) => candidate.rule.kind === 'manual' && !candidate.evidenceRequired)!;
    expect((await t.http().post(routes.score(criterion.code)).set('Authorization', editor).send(selfScoreBody(criterion, 0.5))).status).toBe(200);
    const staleAnswer = await upload(editor, stale);
    expect(staleAnswer.status).toBe(412);
    expect(staleAnswer.body).toMatchObject({ code: 'FORM.STALE' });
    expect(staleAnswer.body.detail).toContain('hãy tải phiếu mới');

    const tamEditor = await t.bearer(`editor.${tam}@daknong`);
    const tamForm = (await download(tamEditor, tam)).body as Buffer;
    expect((await upload(editor, tamForm)).body).toMatchObject({ status: 400, code: 'FORM.OTHER_ASSESSMENT' });
    expect((await upload(editor, Buffer.from('không phải bảng tính'))).body).toMatchObject({ status: 400, code: 'FORM.FILE', field: 'body' });
    const before = await streamLength();
    const bomb = await upload(editor, craftXlsxBomb(XLSX_BOUNDS.maxUncompressedBytes / 1024 / 1024 + 1));
    expect({ status: bomb.status, code: bomb.body.code, field: bomb.body.field, appended: (await streamLength()) - before }).toEqual({ status: 413, code: 'FILE.XLSX_TOO_LARGE', field: 'body', appended: 0 });

    expect((await download(tamEditor)).status).toBe(403);
    expect((await upload(tamEditor, tamForm)).status).toBe(403);
    expect((await download(await t.bearer('reviewer.1@daknong'))).status).toBe(403);
    expect((await t.http().get(formPath(nam))).status).toBe(401);
  });
});
