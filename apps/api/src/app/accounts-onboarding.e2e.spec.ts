import { XLSX_BOUNDS, XLSX_TYPE } from '@tieuchi/shared/documents';
import { craftXlsxBomb } from '@tieuchi/shared/documents/testing';
import { bootstrapAdmin } from '@tieuchi/accounts/feature';
import { startSmtpSink, type SmtpSink } from '@tieuchi/shared/testing';
import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../testing/test-app';

const password = 'mật-khẩu-thử-nghiệm-2';

function cookieOf(header: unknown): string {
  const session = (header as string[]).find((c) => c.startsWith('tieuchi_session='));
  return session!.split(';')[0]!;
}

describe('accounts: onboarding by mail and from staff lists', () => {
  let smtp: SmtpSink;
  let t: TestApp;
  let cookie: string;
  let csrf: string;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await startTestApp({ smtpUrl: smtp.url, mailFrom: 'tieuchi <no-reply@tinh.gov.vn>' });
    await t.http().post('/units').set('authorization', await t.bearer('admin@daknong')).send({ code: '67', name: 'Đắk Nông', type: 'tỉnh', tier: 'province' });
    await t.http().post('/units').set('authorization', await t.bearer('admin@daknong')).send({ code: '660', name: 'Gia Nghĩa', type: 'thành phố', tier: 'district', parentCode: '67' });
    await t.http().post('/units').set('authorization', await t.bearer('admin@daknong')).send({ code: '662', name: 'Cư Jút', type: 'huyện', tier: 'district', parentCode: '67' });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  it('mails the activation link through the configured SMTP server instead of answering it', async () => {
    const issued = await bootstrapAdmin(t.app, { login: 'qt@tinh.gov.vn', name: 'Quản trị', provinceCode: '67' });
    expect(issued).toMatchObject({ mailed: true, activationLink: null });
    const mail = await smtp.mailTo('qt@tinh.gov.vn');
    expect(mail.from).toBe('no-reply@tinh.gov.vn');
    // The text part is quoted-printable: soft line breaks and =3D for '='.
    const decoded = mail.raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    const token = /activate\?token=([A-Za-z0-9_-]+)/.exec(decoded)?.[1];
    expect(token).toBeDefined();
    expect((await t.http().post('/auth/activate').send({ token, password })).status).toBe(200);
    const signedIn = await t.http().post('/auth/sign-in').send({ login: 'qt@tinh.gov.vn', password });
    expect(signedIn.status).toBe(200);
    cookie = cookieOf(signedIn.headers['set-cookie']);
    csrf = signedIn.body.csrfToken;
  });

  it('imports a CSV staff list, inviting each valid person and naming the row and field of each error', async () => {
    const csv = [
      'login,name,role,unit,province',
      'editor.660@tinh.gov.vn,Cán bộ Gia Nghĩa,unit_editor,660,',
      'lead.660@tinh.gov.vn,Lãnh đạo Gia Nghĩa,unit_lead,660,',
      'not-an-email,Sai,unit_editor,660,',
      'editor.999@tinh.gov.vn,Không có đơn vị,unit_editor,99999,',
      'reviewer.x@tinh.gov.vn,Thẩm định,reviewer,,46',
      'who@tinh.gov.vn,Ai,janitor,660,',
    ].join('\n');
    const res = await t.http().post('/accounts/import').set('cookie', cookie).set('x-csrf-token', csrf).set('content-type', 'text/csv').send(csv);
    expect(res.status).toBe(200);
    expect(res.body.imported.map((r: { login: string; mailed: boolean }) => [r.login, r.mailed])).toEqual([
      ['editor.660@tinh.gov.vn', true],
      ['lead.660@tinh.gov.vn', true],
    ]);
    expect(res.body.errors.map((e: { row: number; field: string; code: string }) => [e.row, e.field, e.code])).toEqual([
      [4, 'login', 'ACCOUNT.INVALID_LOGIN'],
      [5, 'unit', 'ACCOUNT.UNKNOWN_UNIT'],
      [6, 'role', 'ACCOUNT.GRANT_OUT_OF_SCOPE'],
      [7, 'role', 'ACCOUNT.INVALID_ROLE'],
    ]);
    await smtp.mailTo('lead.660@tinh.gov.vn');
  });

  it('imports an XLSX workbook the same way', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Cán bộ');
    sheet.addRow(['Email', 'Họ tên', 'Vai trò', 'Mã đơn vị']);
    sheet.addRow(['editor.662@tinh.gov.vn', 'Cán bộ Cư Jút', 'unit_editor', '662']);
    sheet.addRow(['editor.660@tinh.gov.vn', 'Trùng', 'unit_editor', '660']);
    const body = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await t
      .http()
      .post('/accounts/import')
      .set('cookie', cookie)
      .set('x-csrf-token', csrf)
      .set('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .send(body);
    expect(res.status).toBe(200);
    expect(res.body.imported.map((r: { login: string }) => r.login)).toEqual(['editor.662@tinh.gov.vn']);
    expect(res.body.errors).toEqual([expect.objectContaining({ row: 3, code: 'ACCOUNT.ALREADY_EXISTS' })]);
    // Read after the import's position, the list shows whom it invited at once.
    const listed = await t.http().get('/accounts').query({ unit: '662', after: res.body.position }).set('cookie', cookie);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((account: { login: string }) => account.login)).toContain('editor.662@tinh.gov.vn');
    for (const after of ['not a position', 'stream-42']) {
      const refused = await t.http().get('/accounts').query({ after }).set('cookie', cookie);
      expect({ status: refused.status, field: refused.body.field }).toEqual({ status: 400, field: 'after' });
    }
  });

  it('refuses a file that is not a staff list with 400', async () => {
    const res = await t.http().post('/accounts/import').set('cookie', cookie).set('x-csrf-token', csrf).set('content-type', 'text/csv').send('a,b\n1,2');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('ACCOUNT.IMPORT_FILE');
    const xlsx = await t
      .http()
      .post('/accounts/import')
      .set('cookie', cookie)
      .set('x-csrf-token', csrf)
      .set('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .send(Buffer.from('not a zip'));
    expect(xlsx.status).toBe(400);
  });

  it('refuses an XLSX zip bomb with 413 before ExcelJS unpacks it, inviting no one', async () => {
    const bomb = craftXlsxBomb(XLSX_BOUNDS.maxUncompressedBytes / 1024 / 1024 + 1);
    const res = await t.http().post('/accounts/import').set('cookie', cookie).set('x-csrf-token', csrf).set('content-type', XLSX_TYPE).send(bomb);
    expect({ status: res.status, code: res.body.code, field: res.body.field }).toEqual({ status: 413, code: 'FILE.XLSX_TOO_LARGE', field: 'body' });
    expect(res.body.detail).toContain('Bảng tính giải nén quá lớn');
  });
});
