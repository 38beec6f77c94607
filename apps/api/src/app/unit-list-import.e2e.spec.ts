import type { Principal } from '@tieuchi/shared/auth';
import { XLSX_BOUNDS, XLSX_TYPE } from '@tieuchi/shared/documents';
import { craftXlsxBomb } from '@tieuchi/shared/documents/testing';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { countStoredEvents } from '../testing/matrix/matrix-fixture';
import { problemDefect } from '../testing/matrix/matrix-http';
import { seedThroughExecutor, startTestApp, type TestApp } from '../testing/test-app';

const daknongList = readFileSync(join(__dirname, '..', '..', '..', '..', 'config', 'units', 'daknong-2019.csv'), 'utf8');
const hueAdmin: Principal = { id: 'admin@hue', roles: ['admin'], unitCode: null, provinceCode: '46', national: false };

async function xlsxOf(rows: readonly (readonly (string | number)[])[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Danh sách');
  for (const row of rows) sheet.addRow([...row]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('unit lists imported as CSV or XLSX with GSO codes (POST /units/import)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    const seed = seedThroughExecutor(t.app);
    await seed.unit('46', { type: 'RegisterUnit', data: { code: '46', name: 'Thừa Thiên Huế', type: 'tỉnh', tier: 'province', parentCode: null } });
  }, 60_000);

  afterAll(() => t.close());

  async function upload(who: string | Principal, body: string | Buffer, contentType = 'text/csv'): Promise<{ res: Response; appended: number }> {
    const before = await countStoredEvents(t.app);
    const res = await t.http().post('/units/import').set('Authorization', await t.bearer(who)).set('Content-Type', contentType).send(body);
    if (res.status >= 400) expect(problemDefect(res)).toBeNull();
    return { res, appended: (await countStoredEvents(t.app)) - before };
  }

  it("refuses the Đắk Nông list to Huế's admin, before anything is written", async () => {
    const { res, appended } = await upload(hueAdmin, daknongList);
    expect({ status: res.status, code: res.body.code, appended }).toEqual({ status: 403, code: 'AUTH.OTHER_PROVINCE', appended: 0 });
  });

  it('registers the 80 Đắk Nông units of config/units/daknong-2019.csv parents first, and the same list again registers nothing', async () => {
    const first = await upload('admin@daknong', daknongList);
    expect(first.res.status).toBe(200);
    expect(first.res.body).toMatchObject({ total: 80, registered: 80, unchanged: 0 });
    expect(first.appended).toBe(80);
    const codes = first.res.body.registeredCodes as string[];
    expect(codes[0]).toBe('67');
    expect(codes.indexOf('665')).toBeLessThan(codes.indexOf('24728'));
    const unit = await t.http().get('/units/24728').set('Authorization', await t.bearer('admin@daknong'));
    expect(unit.body).toMatchObject({ code: '24728', name: "Nâm N'Jang", type: 'xã', tier: 'commune', parentCode: '665' });

    const again = await upload('admin@daknong', daknongList);
    expect({ status: again.res.status, body: again.res.body, appended: again.appended }).toEqual({
      status: 200,
      body: { total: 80, registered: 0, unchanged: 80, registeredCodes: [], position: null },
      appended: 0,
    });
  });

  it('reads the same list from an XLSX with Vietnamese headers, and keeps a unit renamed since as unchanged', async () => {
    const renamed = await t.http().post('/units/660/rename').set('Authorization', await t.bearer('admin@daknong')).send({ name: 'Thành phố Gia Nghĩa', effectiveDate: '2020-01-01', decisionRef: 'NQ 835' });
    expect(renamed.status).toBe(200);
    const rows = daknongList
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','))
      .map(([code, name, type, parent]) => [code ?? '', name ?? '', type ?? '', parent ?? '']);
    const workbook = await xlsxOf([['Mã ĐVHC', 'Tên', 'Loại', 'Mã cấp trên'], ...rows]);
    const { res, appended } = await upload('admin@daknong', workbook, XLSX_TYPE);
    expect({ status: res.status, body: res.body, appended }).toEqual({ status: 200, body: { total: 80, registered: 0, unchanged: 80, registeredCodes: [], position: null }, appended: 0 });
  });

  it('names every bad row by row, column and a Vietnamese reason, and registers none of the good ones', async () => {
    const csv = [
      'code,name,type,parent_code,ghi chú',
      '99101,Xã Tốt,xã,660,hàng hợp lệ',
      '7,Xã Mã Ngắn,xã,660,',
      '99101,Xã Trùng,xã,660,',
      '99102,,xã,660,',
      '99103,Xã Mồ Côi,xã,99999,',
      '99104,Xã Dưới Tỉnh,xã,67,',
      '660,Thị xã Khác,thị xã,67,',
      '99105,Huyện Dưới Huyện,huyện,660,',
    ].join('\n');
    const { res, appended } = await upload('admin@daknong', csv);
    expect({ status: res.status, code: res.body.code, appended }).toEqual({ status: 400, code: 'UNIT.IMPORT_INVALID_ROWS', appended: 0 });
    expect(res.body.detail).toBe('7 lỗi trong danh sách đơn vị; chưa đơn vị nào được đăng ký');
    expect(res.body.errors).toEqual([
      { row: 3, column: 'A', field: 'code', code: 'UNIT.INVALID_CODE', message: 'Mã đơn vị "7" phải gồm 2–5 chữ số (mã ĐVHC); nếu Excel đã bỏ số 0 ở đầu, hãy định dạng cột là Văn bản' },
      { row: 4, column: 'A', field: 'code', code: 'UNIT.DUPLICATE_IN_FILE', message: 'Mã 99101 đã có ở dòng 2' },
      { row: 5, column: 'B', field: 'name', code: 'UNIT.FIELD_REQUIRED', message: 'Thiếu tên đơn vị' },
      { row: 6, column: 'D', field: 'parent_code', code: 'UNIT.PARENT_NOT_FOUND', message: 'Đơn vị cấp trên 99999 chưa được đăng ký và không có trong tệp' },
      { row: 7, column: 'D', field: 'parent_code', code: 'UNIT.INCONSISTENT_TIER', message: 'Đơn vị cấp xã (xã) phải trực thuộc đơn vị cấp huyện; 67 là đơn vị cấp tỉnh' },
      {
        row: 8,
        column: 'B',
        field: 'name',
        code: 'UNIT.ALREADY_REGISTERED',
        message: 'Mã 660 đã được đăng ký là "Thành phố Gia Nghĩa" (thị xã, cấp trên 67); dòng này ghi "Thị xã Khác" (thị xã, cấp trên 67)',
      },
      { row: 9, column: 'D', field: 'parent_code', code: 'UNIT.INCONSISTENT_TIER', message: 'Đơn vị cấp huyện (huyện) phải trực thuộc đơn vị cấp tỉnh; 660 là đơn vị cấp huyện' },
    ]);
    expect((await t.http().get('/units/99101').set('Authorization', await t.bearer('admin@daknong'))).status).toBe(404);
  });

  it('registers new units under registered ones and ones of the same file, in any row order', async () => {
    const csv = ['mã,tên,loại,mã cấp trên', '99202,Xã Mới,xã,99201', '99201,Huyện Mới,huyện,67', '99203,Thị trấn Mới,thị trấn,665'].join('\r\n');
    const { res, appended } = await upload('admin@daknong', `\ufeff${csv}`);
    expect({ status: res.status, body: res.body, appended }).toEqual({ status: 200, body: { total: 3, registered: 3, unchanged: 0, registeredCodes: ['99201', '99202', '99203'], position: expect.any(String) }, appended: 3 });
    // Read after the import's position, the list shows every unit it registered.
    const listed = await t.http().get('/units').query({ q: '992', after: res.body.position }).set('Authorization', await t.bearer('admin@daknong'));
    expect((listed.body.items as { code: string }[]).map((unit) => unit.code)).toEqual(['99201', '99202', '99203']);
  });

  it('refuses a file mixing provinces to a province admin (403) and lets a national admin import it', async () => {
    const csv = ['code,name,type,parent_code', '99301,Xã Đắk Nông,xã,665', '99302,Huyện Huế,huyện,46'].join('\n');
    const refused = await upload(hueAdmin, csv);
    expect({ status: refused.res.status, code: refused.res.body.code, appended: refused.appended }).toEqual({ status: 403, code: 'AUTH.OTHER_PROVINCE', appended: 0 });
    const national: Principal = { id: 'admin@national', roles: ['admin'], unitCode: null, provinceCode: null, national: true };
    const done = await upload(national, csv);
    expect({ status: done.res.status, registered: done.res.body.registered, appended: done.appended }).toEqual({ status: 200, registered: 2, appended: 2 });
  });

  it('refuses what is not a unit list with 400 naming the body', async () => {
    const cases: Record<string, [string | Buffer, string]> = {
      missingColumn: ['code,name,type\n99401,Xã,xã\n', 'text/csv'],
      headerOnly: ['code,name,type,parent_code\n', 'text/csv'],
      empty: ['', 'text/csv'],
      notXlsx: [Buffer.from('PK\u0003\u0004 không phải bảng tính'), XLSX_TYPE],
    };
    const answers: Record<string, unknown> = {};
    for (const [name, [body, type]] of Object.entries(cases)) {
      const { res, appended } = await upload('admin@daknong', body, type);
      answers[name] = { status: res.status, code: res.body.code, field: res.body.field, appended };
    }
    expect(answers).toEqual({
      missingColumn: { status: 400, code: 'UNIT.IMPORT_FILE', field: 'body', appended: 0 },
      headerOnly: { status: 400, code: 'UNIT.IMPORT_FILE', field: 'body', appended: 0 },
      empty: { status: 400, code: 'UNIT.IMPORT_FILE', field: 'body', appended: 0 },
      notXlsx: { status: 400, code: 'UNIT.IMPORT_FILE', field: 'body', appended: 0 },
    });
    const bomb = await upload('admin@daknong', craftXlsxBomb(XLSX_BOUNDS.maxUncompressedBytes / 1024 / 1024 + 1), XLSX_TYPE);
    expect({ status: bomb.res.status, code: bomb.res.body.code, field: bomb.res.body.field, appended: bomb.appended }).toEqual({ status: 413, code: 'FILE.XLSX_TOO_LARGE', field: 'body', appended: 0 });
    const missing = await upload('admin@daknong', 'code,name,type\n99401,Xã,xã\n');
    expect(missing.res.body.detail).toBe('Dòng tiêu đề thiếu cột parent_code (cần code, name, type, parent_code hoặc mã, tên, loại, mã cấp trên)');
  });
});
