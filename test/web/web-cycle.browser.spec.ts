/// <reference lib="dom" />
/**
 * The whole cycle in a real browser (Debian's Chromium through playwright-core), against the API
 * with the built web app on one origin: the editor fills and autosaves, meets a validation error
 * and a conflict, the lead submits, a reviewer adjusts with a reason and returns, the editor
 * revises, the lead resubmits, the reviewer accepts the rest and completes, another person
 * approves, the admin closes and publishes, the public page shows the unit, the lead appeals; and
 * an amendment what-if from the admin screen. Every screen is saved at 1366×768 and 390×844 into
 * test/web/screenshots/ and checked with axe-core (no serious or critical violation), for
 * horizontal overflow and for untranslated catalogue keys. Sign-in: the bearer-token path.
 */
import { loadBundledFramework } from '@tieuchi/framework/domain';
import { paddedPdf } from '@tieuchi/shared/evidence-storage/testing';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { selfScoreBody, tierCriteriaOf } from '../../apps/api/src/testing/assessment-workflow';
import { checkScreen, chooseView, DESKTOP, SCREENSHOTS as shots } from './browser-checks';
import { seedThroughExecutor, startTestApp, type TestApp } from '../../apps/api/src/testing/test-app';

const root = join(__dirname, '..', '..');
const period = 'daknong-2020';
const unit = '24728';
const framework = loadBundledFramework('2392-2017');
const criteria = tierCriteriaOf(framework, 'commune');

// A Vietnamese file name in NFC, as a phone or a desktop would send it: it must download unchanged.
const evidenceName = 'Quyết định số 12 về Cổng thông tin điện tử xã Nâm N’Jang.pdf';
const evidenceBytes = paddedPdf('Quyet dinh 12', 20_000);
const idOf = (code: string) => `#c-${code.replace(/[^A-Za-z0-9]/g, '-')}`;
const vi = (value: number) => String(value).replace('.', ',');
// Decided today, Vietnamese time: the appeal window runs from the decision date, and the lead appeals at the end.
const decisionDate = new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());

describe('the web app in a browser, through the whole cycle', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const problems: string[] = [];
  const timings: Record<string, number[]> = { autosave: [], formInteractive: [] };
  const phases: string[] = [];
  let phaseStarted = Date.now();
  const phase = (name: string) => {
    phases.push(`${name} ${((Date.now() - phaseStarted) / 1000).toFixed(1)} s`);
    phaseStarted = Date.now();
  };

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'tools/build-web.cjs')], { cwd: root, stdio: 'ignore' });
    t = await startTestApp({}, { webDirectory: join(root, 'dist/web') });
    await seedThroughExecutor(t.app).twoCommunesInOpenPeriod(period, framework);
    const server = await t.app.listen(0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    mkdirSync(shots, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function as(user: string | null): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'vi-VN' });
    if (user) {
      const token = (await t.bearer(user)).replace('Bearer ', '');
      await context.addInitScript((value) => sessionStorage.setItem('tieuchi.token', value), token);
    }
    const page = await context.newPage();
    // The timing is complete only once the request finished (at 'response' its end still reads -1).
    page.on('requestfinished', (request) => {
      if (request.url().endsWith('/answers') && request.method() === 'POST') timings['autosave']?.push(request.timing().responseEnd);
    });
    return { context, page };
  }

  const screen = (page: Page, name: string) => checkScreen(page, name, problems);
  const choose = chooseView;

  /** Reloads until the element shows: a reload reads the form from a read model that may lag the save just made. */
  async function reloadUntil(page: Page, target: ReturnType<Page['locator']>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await page.reload();
      await page.locator('[data-criterion]').first().waitFor();
      if (await target.isVisible()) return;
      if (attempt === 10) return target.waitFor({ timeout: 1 });
      await page.waitForTimeout(500);
    }
  }

  /** Waits for a text; on timeout says what the page's notices said instead. */
  async function shows(page: Page, text: string | RegExp): Promise<void> {
    try {
      await page.getByText(text).first().waitFor({ timeout: 30_000 });
    } catch (error) {
      const notices = await page.locator('.ant-message, [role="alert"]').allInnerTexts();
      throw new Error(`"${String(text)}" never showed; notices: ${notices.join(' | ')}; ${String(error)}`);
    }
  }

  async function saved(page: Page): Promise<void> {
    try {
      await page.getByTestId('save-state').filter({ hasText: 'Đã lưu' }).waitFor({ timeout: 20_000 });
    } catch (error) {
      const state = await page.getByTestId('save-state').innerText().catch(() => '(none)');
      const alerts = await page.getByRole('alert').allInnerTexts();
      throw new Error(`not saved: "${state}"; alerts: ${alerts.join(' | ')}; ${String(error)}`);
    }
  }

  it('runs the cycle from the first answer to the public ranking', async () => {
    // Public, before anything is published; then sign in through the token form.
    const visitor = await as(null);
    await visitor.page.goto(`${base}/`);
    await visitor.page.getByText('Kết quả xếp hạng mức độ chính quyền điện tử').waitFor();
    await visitor.page.goto(`${base}/sign-in`);
    await visitor.page.getByRole('tab', { name: 'Mã truy cập (chế độ nhúng)' }).click();
    await screen(visitor.page, 'sign-in');
    await visitor.page.getByTestId('token-input').fill((await t.bearer(`editor.${unit}@daknong`)).replace('Bearer ', ''));
    await visitor.page.getByTestId('token-submit').click();
    await visitor.page.waitForURL(`${base}/unit`);
    await visitor.context.close();

    // A token the server refuses (its signature altered): the screen says so in Vietnamese, the server's English only behind "Chi tiết".
    const valid = (await t.bearer(`editor.${unit}@daknong`)).replace('Bearer ', '');
    const refusedToken = `${valid.slice(0, -4)}${valid.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const stranger = await browser.newContext({ viewport: DESKTOP, locale: 'vi-VN' });
    await stranger.addInitScript((value) => sessionStorage.setItem('tieuchi.token', value), refusedToken);
    const strangerPage = await stranger.newPage();
    await strangerPage.goto(`${base}/unit`);
    await strangerPage.getByText('Mã truy cập không còn hiệu lực; hãy đăng nhập lại.').waitFor();
    expect(await strangerPage.locator('.error-box > span').innerText()).not.toMatch(/token|refused/i);
    await strangerPage.getByText('Chi tiết').click();
    await strangerPage.getByText(/AUTH\.INVALID_TOKEN/).waitFor();
    await screen(strangerPage, 'error-refused-token');
    await stranger.close();

    phase('public and sign-in');
    // Editor: start, fill every criterion, meet a validation error, autosave.
    const editor = await as(`editor.${unit}@daknong`);
    let page = editor.page;
    await page.goto(`${base}/unit`);
    await page.getByText(period).first().waitFor();
    await screen(page, 'unit-assessments');
    expect(await page.getByRole('link', { name: 'Thẩm định' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Bắt đầu tự đánh giá' }).click();
    await page.waitForURL(`${base}/unit/${period}`);
    await page.getByRole('button', { name: 'Bắt đầu tự đánh giá' }).click();
    const shown = Date.now();
    await page.locator('[data-criterion]').first().waitFor();
    timings['formInteractive']?.push(Date.now() - shown);

    const manual = criteria.find((c) => c.rule.kind === 'manual' && !c.evidenceRequired)!;
    await page.locator(`${idOf(manual.code)}-value`).fill(vi(manual.maxPoints + 10));
    await page.getByTestId(`error-${manual.code}`).waitFor();
    expect(await page.getByTestId(`error-${manual.code}`).innerText()).toContain('vượt quá điểm tối đa');

    for (const criterion of criteria) {
      const body = selfScoreBody(criterion);
      const section = page.locator(`[data-criterion="${criterion.code}"]`);
      if (criterion.mayBeNotApplicable && criterion.code === 'X.SS.HT.4') {
        await section.getByRole('checkbox', { name: 'Không đưa vào đánh giá' }).check();
        await page.locator(`${idOf(criterion.code)}-explanation`).fill('Trụ sở UBND xã đang sửa chữa');
        continue;
      }
      const value = body.answer.kind === 'value' ? body.answer.value : null;
      if (typeof value === 'boolean') await section.getByRole('radio', { name: value ? 'Có' : 'Không' }).check();
      else if (typeof value === 'number') await page.locator(`${idOf(criterion.code)}-value`).fill(vi(value));
      // The form names paper documents in words; uploaded files come through POST …/evidence.
      if (criterion.evidenceRequired) await page.locator(`${idOf(criterion.code)}-evidence`).fill(`Minh chứng ${criterion.code}: Quyết định 12/QĐ-UBND`);
      if (body.explanation) await page.locator(`${idOf(criterion.code)}-explanation`).fill(body.explanation);
    }
    // An evidence file for X.KQ.CK.1: uploaded, listed under its Vietnamese name, saved with the answer.
    await page.getByTestId('file-input-X.KQ.CK.1').setInputFiles({ name: evidenceName, mimeType: 'application/pdf', buffer: evidenceBytes });
    await page.getByTestId('files-X.KQ.CK.1').getByRole('link', { name: `Tải về ${evidenceName}` }).waitFor();
    await saved(page);
    await page.getByText(`Đã trả lời ${criteria.length}/${criteria.length} tiêu chí`).waitFor();
    const ownLink = page.getByTestId('files-X.KQ.CK.1').getByRole('link', { name: `Tải về ${evidenceName}` });
    await reloadUntil(page, ownLink);
    const [ownDownload] = await Promise.all([page.waitForEvent('download'), ownLink.click()]);
    expect(ownDownload.suggestedFilename()).toBe(evidenceName);
    await page.locator(`${idOf('X.KQ.CK.1')}-evidence`).scrollIntoViewIfNeeded();
    await screen(page, 'unit-form');
    expect(await page.getByRole('button', { name: 'Gửi phiếu' }).count()).toBe(0);
    const refused = await t.http().post(`/periods/${period}/assessments/${unit}/submit`).set('Authorization', await t.bearer(`editor.${unit}@daknong`));
    expect(refused.status).toBe(403);

    phase('editor fills');
    // A conflict: someone else saves meanwhile; the editor keeps theirs.
    const other = await t.bearer(`lead.${unit}@daknong`);
    const current = await t.http().get(`/periods/${period}/assessments/${unit}`).set('Authorization', other);
    const target = criteria.find((c) => c.code === 'X.KQ.TT.3')!;
    const theirs = await t
      .http()
      .post(`/periods/${period}/assessments/${unit}/answers`)
      .set('Authorization', other)
      .set('If-Match', `"${current.body.version}"`)
      .send({ items: [{ criterionCode: target.code, answer: { kind: 'value', value: 4 }, evidence: [] }] });
    if (theirs.status !== 200) throw new Error(JSON.stringify(theirs.body));
    await page.locator(`${idOf(target.code)}-value`).fill('7');
    await page.getByText('Phiếu vừa được người khác thay đổi').waitFor({ timeout: 20_000 });
    await screen(page, 'unit-form-conflict');
    await page.getByRole('button', { name: 'Giữ nội dung của tôi' }).click();
    await saved(page);
    await editor.context.close();

    phase('conflict');
    // Lead submits.
    const lead = await as(`lead.${unit}@daknong`);
    page = lead.page;
    await page.goto(`${base}/unit/${period}`);
    await page.getByRole('button', { name: 'Gửi phiếu' }).click();
    await page.getByRole('button', { name: 'Xác nhận' }).click();
    await shows(page, 'chỉ xem');
    await lead.context.close();

    phase('lead submits');
    // Reviewer: queue, start, adjust with a reason, return.
    const reviewer = await as('reviewer.1@daknong');
    page = reviewer.page;
    await page.goto(`${base}/review`);
    await page.getByRole('cell', { name: unit }).waitFor();
    await screen(page, 'review-queue');
    await page.getByRole('button', { name: 'Mở' }).first().click();
    await page.getByRole('button', { name: 'Bắt đầu thẩm định' }).click();
    await page.getByRole('button', { name: `Điều chỉnh ${target.code}` }).click();
    await page.locator('#adjust-value').fill('5');
    await page.locator('#adjust-reason').fill('Minh chứng chỉ đủ cho 5 điểm');
    await screen(page, 'review-adjust');
    await page.getByRole('dialog').getByRole('button', { name: 'Điều chỉnh' }).click();
    await page.getByText('Minh chứng chỉ đủ cho 5 điểm').waitFor();
    // The reviewer downloads the unit's file under its own name.
    const [reviewDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: `Tải về ${evidenceName}` }).click()]);
    expect(reviewDownload.suggestedFilename()).toBe(evidenceName);
    await screen(page, 'review-assessment');
    await page.getByRole('button', { name: 'Trả lại đơn vị' }).click();
    await page.getByLabel('Ý kiến gửi đơn vị').fill('Bổ sung minh chứng cho tiêu chí X.KQ.CK.1');
    await page.getByRole('dialog').getByRole('button', { name: 'Trả lại đơn vị' }).click();
    await page.getByText('Trả lại để bổ sung').first().waitFor();
    await reviewer.context.close();

    phase('reviewer returns');
    // Editor revises; lead resubmits.
    const editor2 = await as(`editor.${unit}@daknong`);
    page = editor2.page;
    await page.goto(`${base}/unit/${period}`);
    await page.getByText('Phiếu bị trả lại: Bổ sung minh chứng').waitFor();
    await page.getByText('Lý do điều chỉnh: Minh chứng chỉ đủ cho 5 điểm').waitFor();
    await page.locator(`${idOf('X.KQ.CK.1')}-evidence`).fill('Quyết định 12/QĐ-UBND\nBáo cáo 30/BC-UBND');
    await saved(page);
    // Saved again after the return, the answer keeps the file uploaded in the first round.
    await reloadUntil(page, page.getByTestId('files-X.KQ.CK.1').getByRole('link', { name: `Tải về ${evidenceName}` }));
    await screen(page, 'unit-form-returned');
    await editor2.context.close();
    const lead2 = await as(`lead.${unit}@daknong`);
    page = lead2.page;
    await page.goto(`${base}/unit/${period}`);
    await page.getByRole('button', { name: 'Gửi lại phiếu' }).click();
    await page.getByRole('button', { name: 'Xác nhận' }).click();
    await shows(page, 'chỉ xem');
    await lead2.context.close();

    phase('revise and resubmit');
    // Reviewer accepts the rest and completes.
    const reviewer2 = await as('reviewer.1@daknong');
    page = reviewer2.page;
    await page.goto(`${base}/review/${period}/${unit}`);
    await page.getByRole('button', { name: 'Bắt đầu thẩm định' }).click();
    await page.getByRole('button', { name: 'Chấp nhận tất cả tiêu chí còn lại' }).click();
    await page.getByText('Đã thẩm định hết các tiêu chí').waitFor();
    await page.getByRole('button', { name: 'Hoàn thành thẩm định' }).click();
    await page.getByText('Đã thẩm định', { exact: true }).first().waitFor();
    await reviewer2.context.close();

    phase('reviewer completes');
    // A different person approves the revision on screen.
    const approver = await as('approver.1@daknong');
    page = approver.page;
    await page.goto(`${base}/approve`);
    await page.getByRole('cell', { name: unit }).waitFor();
    await screen(page, 'approval-queue');
    await page.getByRole('button', { name: 'Mở' }).first().click();
    await page.getByText('Các tiêu chí được điều chỉnh khi thẩm định (1)').waitFor();
    // The one change, each side once: the unit's 7 and the reviewer's 5, two points down; nothing reads as "7 → 7".
    const change = page.getByRole('row', { name: /X\.KQ\.TT\.3/ });
    expect(await change.getByRole('cell').allInnerTexts()).toEqual([expect.stringContaining('X.KQ.TT.3'), '7,00 điểm', '5,00 điểm', '−2', 'Minh chứng chỉ đủ cho 5 điểm']);
    await screen(page, 'approve-assessment');
    await page.getByRole('button', { name: /Phê duyệt phiên bản/ }).click();
    await page.getByText('Đã phê duyệt', { exact: true }).first().waitFor();
    await approver.context.close();

    phase('approver');
    // Admin closes self-assessment and publishes under a decision.
    const admin = await as('admin@daknong');
    page = admin.page;
    await page.goto(`${base}/admin`);
    const row = page.getByRole('row', { name: new RegExp(period) });
    await row.waitFor();
    await screen(page, 'admin-periods');
    await row.getByRole('button', { name: 'Khóa tự chấm' }).click();
    await page.getByRole('row', { name: /Đã khóa tự chấm/ }).waitFor();
    await page.getByRole('row', { name: new RegExp(period) }).getByRole('button', { name: 'Công bố' }).click();
    await page.getByLabel('Số quyết định').fill('15/QĐ-UBND');
    await page.getByLabel('Ngày quyết định').fill(decisionDate);
    await page.getByLabel('Ngày quyết định').press('Enter');
    // Enter in the date field may already submit the form; click only if the dialog is still there.
    const publish = page.getByRole('dialog').getByRole('button', { name: 'Công bố' });
    if (await publish.isVisible().catch(() => false)) await publish.click().catch(() => undefined);
    // Units of the province without an approved assessment (Tâm Thắng among them): the server lists them, the dialog asks a reason for each (prefilled), then publishes.
    await shows(page, /\d+ đơn vị chưa có phiếu được phê duyệt/);
    await page.getByLabel(/Lý do không đánh giá: Tâm Thắng \(24655/).waitFor();
    const reasons = page.getByLabel(/Lý do không đánh giá:/);
    for (let index = 0; index < (await reasons.count()); index++) await reasons.nth(index).fill('Không nộp phiếu tự đánh giá trước hạn');
    await screen(page, 'admin-publish-exclusions');
    await page.getByRole('dialog').getByRole('button', { name: /Công bố \(\d+ đơn vị chưa đánh giá\)/ }).click();
    await page.getByRole('row', { name: /15\/QĐ-UBND/ }).waitFor({ timeout: 20_000 });

    phase('admin publishes');
    // The amendment what-if from the admin screen.
    await choose(page, 'Bộ tiêu chí và sửa đổi');
    await page.getByLabel('Mã kỳ').click();
    await page.getByTitle(period).click();
    await page.getByLabel('Cấp', { exact: true }).click();
    await page.getByTitle('Cấp xã').click();
    await page.getByLabel('Mức', { exact: true }).click();
    await page.getByTitle('Mức IV').click();
    await page.getByLabel('Ngưỡng mới').fill('1');
    await page.getByLabel('Căn cứ sửa đổi').fill('Thử hạ ngưỡng Mức IV');
    await page.getByLabel('Quyết định', { exact: true }).fill('20/QĐ-UBND');
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await page.getByText(/đơn vị thay đổi|Không đơn vị nào thay đổi/).waitFor({ timeout: 20_000 });
    await screen(page, 'admin-what-if');
    await choose(page, 'Trạng thái dữ liệu đọc');
    await screen(page, 'admin-projections');
    await admin.context.close();

    phase('admin what-if');
    // The public page shows the published ranking with the decision.
    const publicView = await as(null);
    page = publicView.page;
    await page.goto(`${base}/`);
    await page.getByText(`Quyết định số 15/QĐ-UBND ngày ${decisionDate}`).waitFor({ timeout: 20_000 });
    await choose(page, 'Cấp xã: Điều kiện sẵn sàng');
    await page.getByRole('link', { name: "Nâm N'Jang" }).first().waitFor();
    await screen(page, 'public-rankings');
    await page.getByRole('link', { name: "Nâm N'Jang" }).first().click();
    await page.getByText('Lịch sử đánh giá').waitFor();
    // The seeded period daknong-2020 assesses the year 2019.
    await page.getByText(`Năm 2019 · Quyết định số 15/QĐ-UBND ngày ${decisionDate}`).first().waitFor();
    await screen(page, 'unit-history');
    await publicView.context.close();

    phase('public pages');

    // The lead appeals the published result within the window.
    const lead3 = await as(`lead.${unit}@daknong`);
    page = lead3.page;
    await page.goto(`${base}/unit/${period}`);
    await page.getByRole('button', { name: 'Phúc khảo' }).click();
    await page.getByLabel('Lý do phúc khảo').fill('Đề nghị xem xét lại điểm tiêu chí X.KQ.TT.3');
    await screen(page, 'unit-appeal');
    await page.getByRole('button', { name: 'Gửi đề nghị phúc khảo' }).click();
    await shows(page, 'Đang phúc khảo');
    expect(await page.getByRole('button', { name: 'Phúc khảo' }).count()).toBe(0);
    await lead3.context.close();
    phase('appeal');
    const sorted = [...(timings['autosave'] ?? [])].sort((a, b) => a - b);
    console.log(`web cycle phases: ${phases.join('; ')}`);
    console.log(
      `web cycle: form interactive ${timings['formInteractive']?.join(', ')} ms after start; autosave round trips (${sorted.length}) p50 ${sorted[Math.floor(sorted.length / 2)]?.toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms`,
    );
    expect(problems).toEqual([]);
  }, 600_000);
});
