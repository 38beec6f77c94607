/// <reference lib="dom" />
/**
 * npm run bench:web-form — how fast the 100-criterion assessment form becomes interactive once its
 * data has arrived, and how smooth typing in it stays, in Debian's Chromium (playwright-core)
 * against the built web app. The form's three answers (period, assessment, framework version) are
 * taken from the real API once, widened to 100 criteria, and then served from memory by the
 * browser's request interception, so the figure is the client's own work: from the moment the
 * last of them has arrived to the moment every criterion is in the page, a frame has painted and
 * the page's own work after it (any task of 50 ms or more, as the Long Tasks API reports) is over.
 *
 * Baselines in the same run and browser: the unit's list of periods (a small antd page) measured
 * the same way, and typing the same keystrokes into the sign-in page's single antd input.
 *
 * Usage: npm run bench:web-form [-- --runs 15]
 */
import { loadBundledFramework } from '@tieuchi/framework/domain';
import type { CriterionDefinition, FrameworkDefinition } from '@tieuchi/framework/domain/scoring';
import { Command } from 'commander';
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { selfScoreBody, tierCriteriaOf } from '../../apps/api/src/testing/assessment-workflow';
import { seedThroughExecutor, startTestApp, type TestApp } from '../../apps/api/src/testing/test-app';
import { type BenchFigure, formatReport } from './bench-report';

const root = resolve(__dirname, '..', '..');
const period = 'daknong-2020';
const unit = '24728';
const editor = `editor.${unit}@daknong`;
const CRITERIA = 100;
const KEYSTROKES = 60;
const QUIET_MS = 500;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

interface Captured {
  readonly url: RegExp;
  readonly body: unknown;
}

/** The real answers the form reads, widened to `CRITERIA` criteria by copying the tier's groups under new codes. */
async function captureForm(t: TestApp): Promise<{ form: Captured[]; list: Captured[] }> {
  const framework = loadBundledFramework('2392-2017');
  const criteria = tierCriteriaOf(framework, 'commune');
  const auth = await t.bearer(editor);
  const started = await t.http().post(`/periods/${period}/assessments/${unit}`).set('Authorization', auth);
  if (started.status !== 201) throw new Error(`start: ${started.status} ${JSON.stringify(started.body)}`);
  const items = criteria.map((criterion) => {
    const body = selfScoreBody(criterion);
    return { criterionCode: criterion.code, answer: body.answer, evidence: criterion.evidenceRequired ? [{ reference: `Quyết định 12/QĐ-UBND (${criterion.code})` }] : [], ...(body.explanation ? { explanation: body.explanation } : {}) };
  });
  const saved = await t.http().post(`/periods/${period}/assessments/${unit}/answers`).set('Authorization', auth).send({ items });
  if (saved.status !== 200) throw new Error(`save: ${saved.status} ${JSON.stringify(saved.body)}`);
  const get = async (path: string) => {
    const res = await t.http().get(path).set('Authorization', auth);
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return res.body as unknown;
  };
  const periodView = await get(`/periods/${period}`);
  const detail = (await get(`/periods/${period}/assessments/${unit}?after=${encodeURIComponent(saved.body.position as string)}`)) as { criteria: { code: string }[] };
  const version = (await get(`/frameworks/${framework.id}/versions/${framework.version}`)) as { definition: FrameworkDefinition };
  const definition = widen(version.definition, 'commune');
  const copies = definition.tiers.find((x) => x.tier === 'commune')!.parts.flatMap((p) => p.groups.flatMap((g) => g.criteria.map((c) => c.code)));
  const byCode = new Map(detail.criteria.map((c) => [c.code, c]));
  const widenedDetail = { ...detail, criteria: copies.map((code) => ({ ...(byCode.get(code.replace(/~\d+$/, '')) ?? { code }), code })) };
  return {
    form: [
      { url: new RegExp(`/periods/${period}$`), body: periodView },
      { url: new RegExp(`/periods/${period}/assessments/${unit}(\\?.*)?$`), body: widenedDetail },
      { url: new RegExp(`/frameworks/${framework.id}/versions/${framework.version}$`), body: { ...version, definition } },
    ],
    list: [
      { url: /\/periods\?limit=50$/, body: await get('/periods?limit=50') },
      { url: new RegExp(`/periods/${period}/assessments\\?unitCode=${unit}$`), body: await get(`/periods/${period}/assessments?unitCode=${unit}`) },
    ],
  };
}

/** Copies the tier's groups (criteria codes suffixed ~1, ~2 …) until it has `CRITERIA` criteria; a summed part's maximum and level thresholds grow in proportion. */
function widen(definition: FrameworkDefinition, tier: string): FrameworkDefinition {
  return {
    ...definition,
    tiers: definition.tiers.map((candidate) => {
      if (candidate.tier !== tier) return candidate;
      const original = candidate.parts.flatMap((p) => p.groups.flatMap((g) => g.criteria)).length;
      const copies = Math.ceil(CRITERIA / original) - 1;
      let remaining = CRITERIA;
      const parts = candidate.parts.map((part) => {
        const groups = [0, ...Array.from({ length: copies }, (_, i) => i + 1)].flatMap((copy) =>
          part.groups.map((group) => {
            const criteria = group.criteria.slice(0, Math.max(0, remaining)).map((criterion): CriterionDefinition => ({ ...criterion, code: copy === 0 ? criterion.code : `${criterion.code}~${copy}` }));
            remaining -= criteria.length;
            return { ...group, code: copy === 0 ? group.code : `${group.code}~${copy}`, criteria };
          }),
        );
        const kept = groups.filter((group) => group.criteria.length > 0);
        if (part.aggregation !== 'sum') return { ...part, groups: kept };
        const pointsOf = (list: readonly { criteria: readonly CriterionDefinition[] }[]) => list.reduce((sum, group) => sum + group.criteria.reduce((s, c) => s + c.maxPoints, 0), 0);
        const scale = (value: number) => Math.round((value * pointsOf(kept)) / pointsOf(part.groups) * 100) / 100;
        return { ...part, maxPoints: scale(part.maxPoints), levels: part.levels.map((band) => ({ ...band, minScore: scale(band.minScore) })), groups: kept };
      });
      return { ...candidate, parts };
    }),
  };
}

const READY_SCRIPT = `
  window.__dataAt = 0;
  window.__dataAnswers = 0;
  const realFetch = window.fetch.bind(window);
  window.fetch = async (...args) => {
    const response = await realFetch(...args);
    if (response.headers.get('x-bench-data') === '1') {
      window.__dataAt = Math.max(window.__dataAt, performance.now());
      window.__dataAnswers += 1;
    }
    return response;
  };
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const task of list.getEntries()) window.__longTasks.push(task.startTime + task.duration); }).observe({ type: 'longtask', buffered: true });
  // Painted, and then no task of 50 ms or more (the page's own work) kept the main thread from input:
  // interactive is the later of the paint and the end of the last long task in a quiet window after it.
  window.__ready = (selector, count, answers, quietMs) => new Promise((resolve) => {
    const check = () => window.__dataAnswers >= answers && document.querySelectorAll(selector).length >= count
      ? requestAnimationFrame(() => setTimeout(() => {
          const painted = performance.now();
          setTimeout(() => resolve(Math.max(painted, ...window.__longTasks.filter((end) => end > window.__dataAt))), quietMs);
        }, 0))
      : requestAnimationFrame(check);
    check();
  });
  window.__frames = [];
  window.__recordFrames = () => {
    window.__frames = [];
    let last = performance.now();
    const tick = (now) => { window.__frames.push(now - last); last = now; if (window.__recording) requestAnimationFrame(tick); };
    window.__recording = true;
    requestAnimationFrame(tick);
  };
`;

async function pageWith(browser: Browser, base: string, t: TestApp, served: readonly Captured[], signedIn = true): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
  const token = (await t.bearer(editor)).replace('Bearer ', '');
  if (signedIn) await context.addInitScript((value) => sessionStorage.setItem('tieuchi.token', value), token);
  await context.addInitScript(READY_SCRIPT);
  await context.route(`${base}/**`, async (route) => {
    const request = route.request();
    const url = request.url();
    const hit = request.method() === 'GET' ? served.find((entry) => entry.url.test(url)) : undefined;
    if (hit) return route.fulfill({ status: 200, contentType: 'application/json', headers: { 'x-bench-data': '1' }, body: JSON.stringify(hit.body) });
    // The form's autosave answers from memory too: typing is measured without the server.
    if (request.method() === 'POST' && url.endsWith('/answers')) return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ streamName: 'x', version: 99, events: [], position: null }) });
    return route.continue();
  });
  return context.newPage();
}

/**
 * Milliseconds from the last of the page's `answers` data answers to `count` elements matching
 * `selector` painted and the main thread free of long tasks.
 */
async function renderAfterData(page: Page, url: string, selector: string, count: number, answers: number): Promise<number> {
  await page.goto(url);
  const readyAt = await page.evaluate(
    ([s, n, a, quiet]) => (window as unknown as { __ready(s: string, n: number, a: number, quiet: number): Promise<number> }).__ready(s as string, n as number, a as number, quiet as number),
    [selector, count, answers, QUIET_MS] as const,
  );
  const dataAt = await page.evaluate(() => (window as unknown as { __dataAt: number }).__dataAt);
  if (!dataAt) throw new Error(`${url}: no data answer was seen`);
  return readyAt - dataAt;
}

/**
 * Frame intervals (ms) while `KEYSTROKES` keys are typed, 40 ms apart, into the `inputs` (next input
 * every 3 keys). The inputs are found before the frames are recorded: Playwright resolves a role
 * locator in the page, computing every element's accessible name, which is the harness's work.
 */
async function typingFrames(page: Page, inputs: Locator): Promise<number[]> {
  const targets = await inputs.elementHandles();
  if (targets.length === 0) throw new Error(`no input matches ${inputs.toString()}`);
  await page.evaluate(() => (window as unknown as { __recordFrames(): void }).__recordFrames());
  for (let key = 0; key < KEYSTROKES; key++) {
    if (key % 3 === 0) {
      const input = targets[Math.floor(key / 3) % targets.length]!;
      await input.click();
      await input.fill('');
    }
    await page.keyboard.type(String((key % 9) + 1), { delay: 40 });
  }
  return page.evaluate(() => {
    const w = window as unknown as { __recording: boolean; __frames: number[] };
    w.__recording = false;
    return w.__frames.slice(1);
  });
}

async function main(): Promise<void> {
  const options = new Command('bench:web-form').option('--runs <n>', 'measured page loads of each kind', Number, 15).parse(process.argv).opts<{ runs: number }>();
  const log = (message: string): void => void process.stderr.write(`${message}\n`);
  log('building the web app…');
  execFileSync(process.execPath, [join(root, 'tools/build-web.cjs')], { cwd: root, stdio: 'ignore' });
  const t = await startTestApp({ logLevel: 'error' }, { webDirectory: join(root, 'dist/web') });
  let browser: Browser | null = null;
  try {
    await seedThroughExecutor(t.app).twoCommunesInOpenPeriod(period, loadBundledFramework('2392-2017'));
    const captured = await captureForm(t);
    const server = await t.app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    const form: number[] = [];
    const list: number[] = [];
    log(`${options.runs} loads of each page, alternating, after 2 warm-ups…`);
    for (let run = -2; run < options.runs; run++) {
      const formPage = await pageWith(browser, base, t, captured.form);
      const formMs = await renderAfterData(formPage, `${base}/unit/${period}`, '[data-criterion]', CRITERIA, captured.form.length);
      await formPage.context().close();
      const listPage = await pageWith(browser, base, t, captured.list);
      const listMs = await renderAfterData(listPage, `${base}/unit`, '.ant-list-item .plain-tag', 1, captured.list.length);
      await listPage.context().close();
      if (run >= 0) {
        form.push(formMs);
        list.push(listMs);
      }
    }
    log('typing…');
    const formPage = await pageWith(browser, base, t, captured.form);
    await renderAfterData(formPage, `${base}/unit/${period}`, '[data-criterion]', CRITERIA, captured.form.length);
    // The criteria's number inputs by their role and accessible name ("<code> Giá trị"), as a user's assistive technology finds them.
    const numberInputs = formPage.locator('[data-criterion]').getByRole('spinbutton', { name: /Giá trị$/ });
    const formFrames = await typingFrames(formPage, numberInputs);
    await formPage.context().close();
    const signIn = await pageWith(browser, base, t, [], false);
    await signIn.goto(`${base}/sign-in`);
    await signIn.locator('input').first().waitFor();
    const plainFrames = await typingFrames(signIn, signIn.locator('input'));
    await signIn.context().close();

    const fps = (frames: number[]) => 1000 / (frames.reduce((a, b) => a + b, 0) / Math.max(1, frames.length));
    const figures: BenchFigure[] = [
      { name: `${CRITERIA}-criterion form: data → interactive, median`, unit: 'ms', ours: percentile(form, 50), baseline: percentile(list, 50) },
      { name: `${CRITERIA}-criterion form: data → interactive, p95`, unit: 'ms', ours: percentile(form, 95), baseline: percentile(list, 95), targetAtMost: 300 },
      { name: 'typing: frame interval p95', unit: 'ms', ours: percentile(formFrames, 95), baseline: percentile(plainFrames, 95) },
      { name: 'typing: longest frame', unit: 'ms', ours: Math.max(...formFrames), baseline: Math.max(...plainFrames) },
      { name: 'typing: frames per second', unit: 'fps', ours: fps(formFrames), baseline: fps(plainFrames) },
    ];
    process.stdout.write(
      `${formatReport('web form (Chromium, built app, data served from memory)', figures, [
        `${options.runs} loads each; form = /unit/${period} with the real period, assessment and framework answers widened to ${CRITERIA} criteria; baseline = /unit (the periods list, a small antd page), measured the same way`,
        `interactive = every criterion's input in the page, one frame painted after, and the end of any long task (≥ 50 ms) that followed within ${QUIET_MS} ms; data = the last of the page's API answers received by fetch`,
        `typing: ${KEYSTROKES} keys 40 ms apart into the form's number inputs (autosave answered from memory) vs the sign-in page's login input; 60 fps is a 16.7 ms frame`,
        `form runs (ms): ${form.map((x) => x.toFixed(0)).join(' ')}; baseline runs (ms): ${list.map((x) => x.toFixed(0)).join(' ')}`,
      ])}\n`,
    );
  } finally {
    await browser?.close();
    await t.close();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
