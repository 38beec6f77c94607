/// <reference lib="dom" />
/**
 * The admin's unit registry, accounts, corrections and recalculation in a real browser (Debian's Chromium
 * through playwright-core): the province's units listed with filters and paging, a rename, a registration,
 * a merge and a refusal shown in Vietnamese; a published period corrected by a later decision; a
 * recalculation run followed live after an amendment is pinned. Every screen is saved at 1366×768 and 390×844 and checked with axe-core, for
 * overflow and for untranslated keys; the actions are reached by keyboard. Sign-in: bearer token.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { adminCommands, FRAMEWORK_ID, lowerDistrictReadiness, PERIOD_ID, type SeededPeriod, seedDaknong2019 } from '@tieuchi/recalculation/feature/testing';
import type { FrameworkAmendment } from '@tieuchi/framework/domain';
import type { Principal } from '@tieuchi/shared/auth';
import ExcelJS from 'exceljs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { seedThroughExecutor, startTestApp, type TestApp } from '../../apps/api/src/testing/test-app';
import { checkScreen, chooseView, DESKTOP, reachByKeyboard, SCREENSHOTS, sidewaysAtPhoneWidth } from './browser-checks';

const root = join(__dirname, '..', '..');
const formatVi = (isoDate: string) => isoDate.split('-').reverse().join('/');
const partName = (part: string) => ({ readiness: 'Điều kiện sẵn sàng', results: 'Kết quả xây dựng' })[part] ?? part;
/** An amendment's bands as the screen spells them: "Mức I ≥ 10,00; …". */
const bands = (amendment: FrameworkAmendment) => {
  const change = amendment.changes[0];
  return change?.kind === 'levels_changed' ? change.levels.map((band) => `Mức ${band.level} ≥ ${band.minScore.toFixed(2).replace('.', ',')}`).join('; ') : '';
};
const today = new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());

describe("the admin's screens in a browser", () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const problems: string[] = [];
  // Each test answers for its own screens: a flaky check in one does not fail the next.
  beforeEach(() => {
    problems.length = 0;
  });

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'tools/build-web.cjs')], { cwd: root, stdio: 'ignore' });
    t = await startTestApp({}, { webDirectory: join(root, 'dist/web') });
    await seedThroughExecutor(t.app).daknongUnits(['24728', '24655', '24611', '24612']);
    const server = await t.app.listen(0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  let seeded: Promise<SeededPeriod> | undefined;
  /** Đắk Nông 2019 with three published assessments, written once for the tests that need a period. */
  const seededPeriod = () => (seeded ??= seedDaknong2019(t.eventStore, { units: 3, published: true }));

  async function signedIn(user: string | Principal): Promise<Page> {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'vi-VN' });
    const token = (await t.bearer(user)).replace('Bearer ', '');
    await context.addInitScript((value) => sessionStorage.setItem('tieuchi.token', value), token);
    return context.newPage();
  }

  /** Fills an antd date field (typing dd/mm/yyyy) and closes its calendar. */
  async function date(page: Page, label: string, value: string): Promise<void> {
    await page.getByLabel(label).fill(value);
    await page.getByLabel(label).press('Enter');
  }

  it('lists, filters, renames, registers and merges units', async () => {
    const page = await signedIn('admin@daknong');
    await page.goto(`${base}/admin`);
    await chooseView(page, 'Đơn vị');
    const table = page.getByRole('region', { name: 'Đơn vị' });
    // The first screen of the run waits for its chunk and the units read model while the machine is busy.
    await table.getByRole('cell', { name: '24728', exact: true }).waitFor({ timeout: 60_000 });
    expect(await table.getByRole('cell', { name: 'Cấp tỉnh' }).count()).toBe(1);
    await checkScreen(page, 'admin-units', problems);
    // On a phone each unit is one cell: the table fits its width instead of scrolling sideways.
    expect(await sidewaysAtPhoneWidth(page, table)).toBeLessThanOrEqual(1);

    // Filters: by name (diacritics as typed), by tier.
    await page.getByLabel('Tìm theo tên hoặc mã').fill('Nâm');
    await table.getByRole('row').filter({ hasText: '24655' }).waitFor({ state: 'detached' });
    await table.getByRole('row').filter({ hasText: '24728' }).waitFor();
    expect(await table.getByRole('row').filter({ hasText: '24728' }).count()).toBe(1);
    await page.getByLabel('Tìm theo tên hoặc mã').fill('');

    // Rename, reached by keyboard.
    const rename = page.getByRole('button', { name: "Đổi tên Nâm N'Jang" });
    await rename.waitFor();
    expect(await reachByKeyboard(page, rename)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByLabel('Tên mới').fill('Nâm N’Jang (mới)');
    await date(page, 'Ngày có hiệu lực', today);
    await page.getByLabel('Quyết định', { exact: true }).fill('Nghị quyết 1/NQ-HĐND');
    await checkScreen(page, 'admin-unit-rename', problems);
    await page.getByRole('dialog').getByRole('button', { name: 'Xác nhận' }).click();
    await table.getByRole('cell', { name: 'Nâm N’Jang (mới) (xã)', exact: true }).waitFor({ timeout: 20_000 });

    // Register a commune; the same code again is refused in Vietnamese.
    const district = (await t.http().get('/units/24728').set('Authorization', await t.bearer('admin@daknong'))).body.parentCode as string;
    for (const attempt of [1, 2]) {
      await page.getByRole('button', { name: 'Đăng ký đơn vị' }).click();
      await page.getByLabel('Mã đơn vị', { exact: true }).fill('24799');
      await page.getByLabel('Tên đơn vị').fill('Xã Thử Nghiệm');
      await page.getByLabel('Loại đơn vị').fill('xã');
      await page.getByRole('dialog').getByLabel('Cấp', { exact: true }).click();
      await page.getByTitle('Cấp xã').click();
      await page.getByLabel('Đơn vị cấp trên').fill(district);
      if (attempt === 1) await checkScreen(page, 'admin-unit-register', problems);
      await page.getByRole('dialog').getByRole('button', { name: 'Đăng ký đơn vị' }).click();
      if (attempt === 1) {
        await table.getByRole('cell', { name: '24799', exact: true }).waitFor({ timeout: 20_000 });
        // The list can show the unit while the closing dialog still holds its (loading) submit button.
        await page.getByRole('dialog').waitFor({ state: 'detached' });
      }
    }
    await page.getByText('Mã đơn vị đã được đăng ký.').waitFor();
    expect(await page.locator('.ant-message').innerText()).not.toMatch(/already|registered/i);
    // Closed by its own button: Escape reaches the dialog only while focus is inside it.
    await page.getByRole('dialog').getByRole('button', { name: /Đóng|Close/ }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    // Merge two communes, one keeping its code.
    await page.getByRole('button', { name: 'Sáp nhập đơn vị' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Các đơn vị được sáp nhập').click();
    await page.keyboard.type('24611');
    await page.keyboard.press('Enter');
    await page.keyboard.type('24612');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await dialog.getByLabel('Mã đơn vị sau sáp nhập').fill('24611');
    await dialog.getByLabel('Tên đơn vị').fill('Nghĩa Đức');
    await dialog.getByLabel('Loại đơn vị').fill('phường');
    await dialog.getByLabel('Cấp', { exact: true }).click();
    await page.getByTitle('Cấp xã').last().click();
    const parent = (await t.http().get('/units/24611').set('Authorization', await t.bearer('admin@daknong'))).body.parentCode as string;
    await dialog.getByLabel('Đơn vị cấp trên').fill(parent);
    await date(page, 'Ngày có hiệu lực', today);
    await dialog.getByLabel('Căn cứ pháp lý').fill('Nghị quyết 2/NQ-UBTVQH');
    await checkScreen(page, 'admin-unit-merge', problems);
    await dialog.getByRole('button', { name: 'Sáp nhập đơn vị' }).click();
    await table.getByRole('row').filter({ hasText: '24612' }).waitFor({ state: 'detached', timeout: 20_000 });
    await page.getByLabel('Trạng thái', { exact: true }).click();
    await page.getByTitle('Đã sáp nhập').click();
    await table.getByRole('cell', { name: /Đã sáp nhập → 24611/ }).waitFor({ timeout: 20_000 });
    await checkScreen(page, 'admin-units-merged', problems);

    // English loads when chosen (it is not in the first bundle) and the screen follows.
    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await page.getByRole('button', { name: 'Register a unit' }).waitFor();
    await checkScreen(page, 'admin-units-en', problems);
    await page.getByLabel('Language').selectOption('vi');
    await page.getByRole('button', { name: 'Đăng ký đơn vị' }).waitFor();
    await page.context().close();
    expect(problems).toEqual([]);
  }, 300_000);

  it('imports a unit list: a refused file lists every bad row by row, column and field in Vietnamese and registers nothing; a good XLSX registers its units', async () => {
    const admin = await t.bearer('admin@daknong');
    const district = (await t.http().get('/units/24655').set('Authorization', admin)).body.parentCode as string;
    const page = await signedIn('admin@daknong');
    await page.goto(`${base}/admin`);
    await chooseView(page, 'Đơn vị');
    const table = page.getByRole('region', { name: 'Đơn vị' });
    await table.getByRole('cell', { name: '24655', exact: true }).waitFor();
    const importButton = page.getByRole('button', { name: 'Nhập danh sách đơn vị (CSV, XLSX)' });
    expect(await reachByKeyboard(page, importButton)).toBe(true);

    const refused = ['code,name,type,parent_code', `99101,Xã Tốt,xã,${district}`, `7,Xã Mã Ngắn,xã,${district}`, '99103,Xã Mồ Côi,xã,99999', ''].join('\n');
    await page.getByTestId('unit-file').setInputFiles({ name: 'danh sách đơn vị.csv', mimeType: 'text/csv', buffer: Buffer.from(refused, 'utf8') });
    await page.getByText('2 dòng lỗi; chưa đơn vị nào được đăng ký').waitFor({ timeout: 20_000 });
    const errors = page.getByRole('region', { name: 'Các dòng lỗi' });
    expect(await errors.getByRole('columnheader').allInnerTexts()).toEqual(['Dòng', 'Cột', 'Trường', 'Lỗi']);
    expect(await errors.getByRole('row').nth(1).getByRole('cell').allInnerTexts()).toEqual([
      '3',
      'A',
      'code',
      'Mã đơn vị "7" phải gồm 2–5 chữ số (mã ĐVHC); nếu Excel đã bỏ số 0 ở đầu, hãy định dạng cột là Văn bản',
    ]);
    expect(await errors.getByRole('row').nth(2).getByRole('cell').allInnerTexts()).toEqual(['4', 'D', 'parent_code', 'Đơn vị cấp trên 99999 chưa được đăng ký và không có trong tệp']);
    expect((await t.http().get('/units/99101').set('Authorization', admin)).status).toBe(404);
    await checkScreen(page, 'admin-units-import-errors', problems);
    expect(await sidewaysAtPhoneWidth(page, errors)).toBeLessThanOrEqual(1);

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Danh sách');
    for (const row of [['Mã ĐVHC', 'Tên', 'Loại', 'Mã cấp trên'], ['99101', 'Xã Tốt', 'xã', district], ['99102', 'Thị trấn Mới', 'thị trấn', district]]) sheet.addRow(row);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    await page.getByTestId('unit-file').setInputFiles({ name: 'đơn vị mới.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: xlsx });
    await page.getByText('Đã đăng ký 2/2 đơn vị; 0 đơn vị đã có từ trước').waitFor({ timeout: 20_000 });
    await page.getByText('Mọi dòng đều hợp lệ.').waitFor();
    await table.getByRole('cell', { name: '99102', exact: true }).waitFor({ timeout: 20_000 });
    await checkScreen(page, 'admin-units-import', problems);
    await page.context().close();
    expect(problems).toEqual([]);
  }, 300_000);

  it('lists accounts, invites one, imports a staff list with its errors per row in Vietnamese, and disables an account', async () => {
    const page = await signedIn('admin@daknong');
    await page.goto(`${base}/admin`);
    await chooseView(page, 'Tài khoản');
    const table = page.getByRole('region', { name: 'Tài khoản' });
    await table.getByText('admin@daknong', { exact: true }).waitFor();
    await checkScreen(page, 'admin-accounts', problems);
    expect(await sidewaysAtPhoneWidth(page, table)).toBeLessThanOrEqual(1);

    // Invite, reached by keyboard; the one-time link is shown.
    const invite = page.getByRole('button', { name: 'Mời người dùng' });
    expect(await reachByKeyboard(page, invite)).toBe(true);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Tên đăng nhập (thư điện tử)').fill('nguyen.thi.moi@daknong.gov.vn');
    await dialog.getByLabel('Họ và tên').fill('Nguyễn Thị Mới');
    await dialog.getByLabel('Vai trò', { exact: true }).click();
    await page.keyboard.type('Cán bộ nhập');
    await page.keyboard.press('Enter');
    await dialog.getByLabel('Mã đơn vị').fill('24728');
    await checkScreen(page, 'admin-account-invite', problems);
    await dialog.getByRole('button', { name: 'Mời người dùng' }).click();
    await page.getByText('Liên kết kích hoạt chỉ hiện một lần').waitFor({ timeout: 20_000 });
    await table.getByText('nguyen.thi.moi@daknong.gov.vn').waitFor({ timeout: 20_000 });

    // A staff list with one good row and one with an unknown role.
    const csv = 'login,name,role,unit,province\ntran.van.thu@daknong.gov.vn,Trần Văn Thử,unit_lead,24655,\nsai.vai.tro@daknong.gov.vn,Người Sai,boss,,67\n';
    await page.getByTestId('staff-file').setInputFiles({ name: 'danh sách cán bộ.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByText('Đã mời 1 người; 1 dòng lỗi').waitFor({ timeout: 20_000 });
    const errors = page.getByRole('region', { name: 'Các dòng lỗi' });
    expect(await errors.getByRole('row').nth(1).getByRole('cell').allInnerTexts()).toEqual(['3', 'role', 'Vai trò không hợp lệ.']);
    await table.getByText('tran.van.thu@daknong.gov.vn').waitFor({ timeout: 20_000 });
    await checkScreen(page, 'admin-accounts-import', problems);
    expect(await sidewaysAtPhoneWidth(page, table)).toBeLessThanOrEqual(1);

    // Disable the invited person, with a reason.
    await page.getByRole('button', { name: 'Vô hiệu hóa Nguyễn Thị Mới' }).click();
    await page.getByRole('dialog').getByLabel('Lý do').fill('Nhập nhầm');
    await page.getByRole('dialog').getByRole('button', { name: 'Xác nhận' }).click();
    await table.getByRole('row').filter({ hasText: 'nguyen.thi.moi@daknong.gov.vn' }).getByText('Đã vô hiệu hóa').waitFor({ timeout: 20_000 });
    await page.context().close();
    expect(problems).toEqual([]);
  }, 300_000);

  it('corrects a published period by a later decision, refusing a taken number in Vietnamese, and follows the recalculation an amendment starts', async () => {
    const seeded = await seededPeriod();
    const admin = await t.bearer('admin@daknong');
    // The assessed units registered, so the what-if tables name them; read after the last registration, the units list has them.
    const registered = await seedThroughExecutor(t.app).daknongUnits(seeded.unitCodes);
    await t.http().get('/units').query({ after: registered }).set('Authorization', admin);
    const published = (await t.http().get(`/periods/${PERIOD_ID}`).set('Authorization', admin)).body.publication as { decisionNumber: string; decisionDate: string };
    const page = await signedIn('admin@daknong');
    await page.goto(`${base}/admin`);
    const row = page.getByRole('row').filter({ hasText: PERIOD_ID });
    await row.getByText('Đã công bố').waitFor({ timeout: 20_000 });
    // On a phone each period is one cell, its actions under its details: nothing scrolls sideways.
    await checkScreen(page, 'admin-period-list', problems);
    expect(await sidewaysAtPhoneWidth(page, page.getByRole('region', { name: 'Kỳ đánh giá' }))).toBeLessThanOrEqual(1);

    // The dialog lists the publication, then refuses a correction dated before it and one reusing its number, then records a new one.
    const correct = row.getByRole('button', { name: 'Đính chính' });
    expect(await reachByKeyboard(page, correct)).toBe(true);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    const decisions = dialog.getByRole('list', { name: 'Các quyết định của kỳ' });
    await decisions.getByText(`Công bố ${published.decisionNumber} · ${formatVi(published.decisionDate)}`).waitFor();
    expect(await decisions.getByRole('listitem').count()).toBe(1);
    const reason = 'Điều chỉnh điểm của Xã Nâm N’Jang sau phúc khảo';
    await dialog.getByLabel('Số quyết định').fill('15/QĐ-UBND');
    await date(page, 'Ngày quyết định', '01/01/2019');
    await dialog.getByLabel('Lý do').fill(reason);
    await dialog.getByRole('button', { name: 'Đính chính' }).click();
    await dialog.getByText('Ngày quyết định đính chính không được trước ngày của quyết định đang có hiệu lực.').waitFor({ timeout: 20_000 });
    await dialog.getByLabel('Số quyết định').fill(published.decisionNumber);
    await date(page, 'Ngày quyết định', today);
    await dialog.getByRole('button', { name: 'Đính chính' }).click();
    await dialog.getByText('Quyết định này đã được ghi nhận cho kỳ; đính chính cần một quyết định mới.').waitFor({ timeout: 20_000 });
    await checkScreen(page, 'admin-correction', problems);
    await dialog.getByLabel('Số quyết định').fill('15/QĐ-UBND');
    await dialog.getByRole('button', { name: 'Đính chính' }).click();
    const recorded = decisions.getByRole('listitem').filter({ hasText: `Đính chính 15/QĐ-UBND · ${today}` });
    await recorded.waitFor({ timeout: 20_000 });
    expect(await recorded.getByText(`Lý do: ${reason}`).count()).toBe(1);
    expect(await decisions.getByRole('listitem').count()).toBe(2);
    await checkScreen(page, 'admin-correction-recorded', problems);
    const period = (await t.http().get(`/periods/${PERIOD_ID}`).set('Authorization', admin)).body as { corrections: { decisionNumber: string; reason: string }[] };
    expect(period.corrections).toEqual([expect.objectContaining({ decisionNumber: '15/QĐ-UBND', reason })]);
    await page.keyboard.press('Escape');

    // The screen is open before the amendment is pinned: the run appears and completes without a reload.
    await chooseView(page, 'Tính lại điểm');
    await page.getByText('Kỳ này chưa có lần tính lại nào.').waitFor({ timeout: 20_000 });
    const runs = page.getByRole('list', { name: 'Tính lại điểm' });
    const commands = adminCommands(t.eventStore);
    await commands.amend(lowerDistrictReadiness(seeded.framework, 5));
    await commands.pin(2);
    const run = runs.getByRole('listitem').filter({ hasText: 'Bộ tiêu chí 2392-2017: phiên bản 1 → 2' });
    await run.getByText('Hoàn tất').waitFor({ timeout: 40_000 });
    expect(await run.getByText('Tiến độ: 3/3 phiếu').count()).toBe(1);
    expect(await run.getByText('Điều chỉnh ngưỡng mức · 12/QĐ-UBND').count()).toBe(1);
    await checkScreen(page, 'admin-recalculation', problems);
    // The run links to the amendment that caused it: the version, its changes and its what-if preview over the period, at an address of its own.
    const link = run.getByRole('link', { name: 'Bộ tiêu chí 2392-2017: phiên bản 1 → 2' });
    expect(await reachByKeyboard(page, link)).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/admin/frameworks/2392-2017/versions/2?period=${PERIOD_ID}`);
    await page.getByRole('radio', { name: 'Bộ tiêu chí và sửa đổi', checked: true }).waitFor({ state: 'attached' });
    const issued = page.locator('.ant-card').filter({ hasText: 'Bộ tiêu chí 2392-2017 · phiên bản 2' });
    await issued.getByText('Điều chỉnh ngưỡng mức', { exact: true }).waitFor({ timeout: 20_000 });
    expect(await issued.getByRole('list', { name: 'Các thay đổi' }).getByRole('listitem').allInnerTexts()).toEqual([
      `Ngưỡng mức Cấp huyện · ${partName('readiness')}: ${bands(lowerDistrictReadiness(seeded.framework, 5))}`,
    ]);
    // The preview is the amendment's own what-if (from version 1), the same units the API's dry run lists.
    const preview = (
      await t.http().post('/frameworks/2392-2017/amendments/what-if').set('Authorization', admin).send({ periodId: PERIOD_ID, amendment: lowerDistrictReadiness(seeded.framework, 5), baseVersion: 1 })
    ).body as { changes: { unitCode: string; unitName: string | null }[] };
    await issued.getByText(`Xem trước trên kỳ ${PERIOD_ID}: đơn vị thay đổi điểm hoặc mức từ phiên bản 1 sang 2`).waitFor();
    if (preview.changes.length) {
      const moved = issued.getByRole('region', { name: `${preview.changes.length} đơn vị thay đổi` });
      await moved.waitFor({ timeout: 20_000 });
      expect((await moved.getByRole('row').allInnerTexts()).length).toBe(preview.changes.length + 1);
      // Each unit by its name with its code, as the dry run names it.
      for (const change of preview.changes) {
        expect(change.unitName).toEqual(expect.stringMatching(/\S/));
        expect(await moved.getByRole('cell', { name: `${change.unitName} (${change.unitCode})`, exact: true }).count()).toBe(1);
      }
    } else {
      await issued.getByText('Không đơn vị nào thay đổi.').waitFor({ timeout: 20_000 });
    }
    await checkScreen(page, 'admin-amendment-issued', problems);
    // The address opens the same place when typed or reloaded.
    await page.reload();
    await issued.getByText('Điều chỉnh ngưỡng mức', { exact: true }).waitFor({ timeout: 20_000 });

    // Opened without a period, the amendment offers the periods that use its framework; the one chosen shows the same preview and goes into the address.
    await page.goto(`${base}/admin/frameworks/2392-2017/versions/2`);
    await issued.getByText('Điều chỉnh ngưỡng mức', { exact: true }).waitFor({ timeout: 20_000 });
    const choice = issued.getByLabel('Kỳ xem trước');
    await choice.waitFor({ timeout: 20_000 });
    expect(await issued.getByText('Chọn một kỳ đánh giá áp dụng bộ tiêu chí này để xem trước các đơn vị thay đổi.').count()).toBe(1);
    await checkScreen(page, 'admin-amendment-choose-period', problems);
    expect(await reachByKeyboard(page, choice)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByTitle(PERIOD_ID).click();
    await page.waitForURL(`${base}/admin/frameworks/2392-2017/versions/2?period=${PERIOD_ID}`);
    await issued.getByText(`Xem trước trên kỳ ${PERIOD_ID}: đơn vị thay đổi điểm hoặc mức từ phiên bản 1 sang 2`).waitFor({ timeout: 20_000 });
    if (preview.changes.length) await issued.getByRole('region', { name: `${preview.changes.length} đơn vị thay đổi` }).waitFor({ timeout: 20_000 });
    else await issued.getByText('Không đơn vị nào thay đổi.').waitFor({ timeout: 20_000 });

    // A draft amendment's what-if over the period, on a phone: one cell per unit, nothing sideways.
    const form = page.locator('form').filter({ has: page.getByLabel('Ngưỡng mới') });
    await form.getByLabel('Mã kỳ').click();
    await page.getByTitle(PERIOD_ID).last().click();
    // Mức I from 40 up to 42 (version 2's bands: I ≥ 40, II ≥ 35, III ≥ 32,5, IV ≥ 30): a district between them leaves Mức I.
    await form.getByLabel('Mức', { exact: true }).click();
    await page.getByTitle('Mức I', { exact: true }).click();
    await form.getByLabel('Ngưỡng mới').fill('42');
    await form.getByLabel('Căn cứ sửa đổi').fill('Thử nâng ngưỡng Mức I');
    await form.getByLabel('Quyết định', { exact: true }).fill('21/QĐ-UBND');
    await form.getByRole('button', { name: 'Xem trước' }).click();
    const pinnedBands = lowerDistrictReadiness(seeded.framework, 5);
    const raised = { ...pinnedBands, changes: pinnedBands.changes.map((change) => (change.kind === 'levels_changed' ? { ...change, levels: change.levels.map((band) => (band.level === 'I' ? { ...band, minScore: 42 } : band)) } : change)) };
    const draftAnswer = await t.http().post('/frameworks/2392-2017/amendments/what-if').set('Authorization', admin).send({ periodId: PERIOD_ID, amendment: raised });
    const draftChanges = (draftAnswer.body as { changes: { unitCode: string; unitName: string | null }[] }).changes;
    const draftMoved = draftChanges.length;
    expect(draftMoved).toBeGreaterThan(0);
    // The issued amendment's preview is the first such table on the view; the draft's comes after it.
    const draft = page.getByRole('region', { name: `${draftMoved} đơn vị thay đổi` }).last();
    await page.getByRole('region', { name: /\d+ đơn vị thay đổi/ }).nth(1).waitFor({ timeout: 20_000 });
    for (const change of draftChanges) expect(await draft.getByRole('cell', { name: `${change.unitName} (${change.unitCode})`, exact: true }).count()).toBe(1);
    await checkScreen(page, 'admin-what-if-draft', problems);
    expect(await sidewaysAtPhoneWidth(page, draft)).toBeLessThanOrEqual(1);

    // The read models' state: every runner the worker hosts, by name, each running here; a rebuild only for the rebuildable one. One cell each on a phone.
    await chooseView(page, 'Trạng thái dữ liệu đọc');
    const projections = page.getByRole('region', { name: 'Trạng thái dữ liệu đọc' });
    await projections.getByText('Nhật ký kiểm tra').waitFor({ timeout: 20_000 });
    const runners = ['Tổng hợp phiếu', 'Bảng xếp hạng', 'Danh sách đơn vị', 'Tài khoản', 'Nhật ký kiểm tra', 'Điều phối tính lại điểm', 'Công bố phiếu theo kỳ'];
    for (const name of runners) expect(await projections.getByRole('cell', { name, exact: true }).count()).toBe(1);
    expect(await projections.getByText('Đang chạy', { exact: true }).count()).toBeGreaterThanOrEqual(runners.length);
    expect(await projections.getByText(/Đang dùng phiên bản \d+/).count()).toBe(1);
    expect(await projections.getByRole('button', { name: 'Dựng lại' }).count()).toBe(1);
    expect(await projections.getByRole('row').filter({ hasText: 'Nhật ký kiểm tra' }).getByRole('button', { name: 'Dựng lại' }).count()).toBe(1);
    await checkScreen(page, 'admin-read-models', problems);
    expect(await sidewaysAtPhoneWidth(page, projections)).toBeLessThanOrEqual(1);
    await page.context().close();
    expect(problems).toEqual([]);
  }, 300_000);

  it("shows a recalculation run's failed units with their reasons in Vietnamese, and completes the run when the admin retries them", async () => {
    const period = await seededPeriod();
    const admin = await t.bearer('admin@daknong');
    const pinned = ((await t.http().get(`/periods/${PERIOD_ID}`).set('Authorization', admin)).body as { framework: { version: number } }).framework.version;
    const next = pinned + 1;
    const units = period.streams.map((stream) => stream.slice(`assessment-${PERIOD_ID}-`.length)).sort();
    await seedThroughExecutor(t.app).daknongUnits(units);
    const page = await signedIn('admin@daknong');
    await page.goto(`${base}/admin`);
    await chooseView(page, 'Tính lại điểm');
    const runs = page.getByRole('list', { name: 'Tính lại điểm' });

    // The period is pinned to a version not issued yet: the API refuses that, so the pin is written
    // through the command executor (as the recalculation suites do); every job of the run then fails
    // in the real worker, attempt after attempt, until the run is settled as failed.
    await adminCommands(t.eventStore).pin(next, '13/QĐ-UBND');
    const run = runs.getByRole('listitem').filter({ hasText: `Bộ tiêu chí ${FRAMEWORK_ID}: phiên bản ${pinned} → ${next}` });
    await run.getByText('Có lỗi').waitFor({ timeout: 90_000 });
    expect(await run.getByText('Số phiếu lỗi: 3').count()).toBe(1);
    const failures = run.getByRole('list', { name: 'Các phiếu lỗi' }).getByRole('listitem');
    // Each failed unit by its registered name: an admin does not read stream names or bare codes.
    const named = await Promise.all(units.map(async (unit) => `${(await t.http().get(`/units/${unit}`).set('Authorization', admin)).body.name as string} (${unit})`));
    // How many attempts a job had depends on the queue's retry policy and batching, not on this screen.
    expect((await failures.allInnerTexts()).map((text) => text.split('\n')[0]?.replace(/ · \d+ lần thử$/, ' · n lần thử')).sort()).toEqual(
      named.map((unit) => `Đơn vị ${unit} · Phiên bản bộ tiêu chí được áp dụng chưa được ban hành; hãy ban hành sửa đổi rồi thử lại. · n lần thử`).sort(),
    );
    await checkScreen(page, 'admin-recalculation-failed', problems);

    // The amendment that makes the version is issued through the API; the admin retries from the screen, by keyboard.
    const amended = await t.http().post(`/frameworks/${FRAMEWORK_ID}/amendments`).set('Authorization', admin).send(lowerDistrictReadiness(period.framework, 6, '13/QĐ-UBND'));
    expect(amended.status).toBe(201);
    const retry = run.getByRole('button', { name: 'Thử lại 3 phiếu lỗi' });
    expect(await reachByKeyboard(page, retry)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByText('Đã đưa 3 phiếu vào hàng đợi tính lại.').waitFor({ timeout: 20_000 });
    await run.getByText('Hoàn tất').waitFor({ timeout: 60_000 });
    expect(await run.getByText('Tiến độ: 3/3 phiếu').count()).toBe(1);
    expect(await run.getByRole('list', { name: 'Các phiếu lỗi' }).count()).toBe(0);
    await checkScreen(page, 'admin-recalculation-retried', problems);
    await page.context().close();
    expect(problems).toEqual([]);
  }, 300_000);

  it("imports a province's results published before tieuchi: a province without periods names its framework, a refused file lists its bad rows and records nothing, a good one records its year as imported", async () => {
    // Đắk Nông's published period makes framework 2392-2017 one the screen offers; Huế has units but no period.
    await seededPeriod();
    const seed = seedThroughExecutor(t.app);
    await seed.unit('46', { type: 'RegisterUnit', data: { code: '46', name: 'Thừa Thiên Huế', type: 'tỉnh', tier: 'province', parentCode: null } });
    await seed.unit('481', { type: 'RegisterUnit', data: { code: '481', name: 'A Lưới', type: 'huyện', tier: 'district', parentCode: '46' } });
    const hueAdmin: Principal = { id: 'admin.so@hue', roles: ['admin'], unitCode: null, provinceCode: '46', national: false };
    const page = await signedIn(hueAdmin);
    await page.goto(`${base}/admin`);
    await chooseView(page, 'Kết quả đã công bố trước đây');
    expect(await page.getByLabel('Mã tỉnh').inputValue()).toBe('46');
    const framework = page.getByLabel('Bộ tiêu chí', { exact: true });
    await framework.waitFor({ timeout: 20_000 });
    await checkScreen(page, 'admin-past-results', problems);
    const upload = page.getByRole('button', { name: 'Nhập kết quả đã công bố (CSV, XLSX)' });
    expect(await reachByKeyboard(page, upload)).toBe(true);

    const header = 'unit,year,part,score,level,decision_number,decision_date';
    const good = [header, '481,2018,readiness,40.5,II,5/QĐ-UBND,15/01/2019', ''].join('\n');
    const send = (name: string, csv: string) => page.getByTestId('past-results-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    // Without a framework the server cannot tell the parts: the field says so.
    await send('kết quả 2018.csv', good);
    await page.getByText('Tỉnh chưa có kỳ đánh giá nào: cần chọn bộ tiêu chí.').waitFor({ timeout: 20_000 });
    await framework.click();
    await page.getByTitle('2392-2017').click();
    expect(await framework.inputValue()).toBe('2392-2017');

    await send('kết quả sai.csv', [header, '99999,2018,readiness,40.5,II,5/QĐ-UBND,15/01/2019', '481,2018,readiness,nhiều,II,5/QĐ-UBND,15/01/2019', ''].join('\n'));
    await page.getByText('2 dòng lỗi; chưa năm nào được ghi nhận').waitFor({ timeout: 20_000 });
    const errors = page.getByRole('region', { name: 'Các dòng lỗi' });
    expect(await errors.getByRole('columnheader').allInnerTexts()).toEqual(['Dòng', 'Cột', 'Trường', 'Lỗi']);
    expect((await errors.getByRole('row').allInnerTexts()).slice(1).map((row) => row.split('\t').slice(0, 3).join(' '))).toEqual(['2 A unit', '3 D score']);
    await checkScreen(page, 'admin-past-results-errors', problems);
    expect(await sidewaysAtPhoneWidth(page, errors)).toBeLessThanOrEqual(1);
    const admin = await t.bearer(hueAdmin);
    expect((await t.http().get('/periods/imported-46-2018/rankings/district/readiness').set('Authorization', admin)).status).toBe(404);

    await send('kết quả 2018.csv', good);
    await page.getByText('Đã ghi nhận 1/1 năm').waitFor({ timeout: 20_000 });
    await page.getByRole('list', { name: 'Các năm trong tệp' }).getByText('Năm 2018 · Quyết định 5/QĐ-UBND ngày 15/01/2019 · 1 kết quả · đã ghi nhận').waitFor();
    await checkScreen(page, 'admin-past-results-imported', problems);
    // The same file again records nothing.
    await send('kết quả 2018.csv', good);
    await page.getByText('Đã ghi nhận 0/1 năm').waitFor({ timeout: 20_000 });
    await page.getByText('Năm 2018 · Quyết định 5/QĐ-UBND ngày 15/01/2019 · 1 kết quả · đã có từ trước, không ghi lại').waitFor();
    await page.context().close();
    expect(problems).toEqual([]);
  }, 300_000);
});
