/// <reference lib="dom" />
/**
 * Drives the web app in Debian's Chromium (playwright-core): every screen, signed in as the role
 * that uses it through the bearer-token path (local tokens of the server's data folder), at
 * 1366×768 and 390×844; saves a screenshot of each into test/web/screenshots/ and runs axe-core,
 * failing on any serious or critical violation or on a page that overflows horizontally.
 *
 * Usage: npm run test:web -- --url http://localhost:3000 --data-dir ./data   (a server started with --demo)
 */
import AxeBuilder from '@axe-core/playwright';
import { principalOfGrants } from '@tieuchi/accounts/feature';
import { daknongPerson } from '@tieuchi/demo/daknong';
import { LocalKeySet, LocalTokenIssuer } from '@tieuchi/shared/auth';
import { loadConfig } from '@tieuchi/shared/config';
import { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';

const SIZES = [
  { name: 'desktop', width: 1366, height: 768 },
  { name: 'phone', width: 390, height: 844 },
] as const;

const SCREENS: { name: string; path: string; user: string | null; ready: string }[] = [
  { name: 'public-rankings', path: '/public/daknong-2019', user: null, ready: 'text=Gia Nghĩa' },
  { name: 'unit-history', path: '/public/units/660', user: null, ready: 'text=2019' },
  { name: 'sign-in', path: '/sign-in', user: null, ready: 'text=Mã truy cập' },
  { name: 'unit-assessments', path: '/unit', user: 'lead.660@daknong', ready: 'text=daknong-2019' },
  { name: 'unit-form', path: '/unit/daknong-2019', user: 'lead.660@daknong', ready: '[data-criterion]' },
  { name: 'review-queue', path: '/review', user: 'reviewer.1@daknong', ready: 'text=Phiếu chờ thẩm định' },
  { name: 'review-assessment', path: '/review/daknong-2019/662', user: 'reviewer.1@daknong', ready: 'text=Thẩm định phiếu' },
  { name: 'approve-assessment', path: '/approve/daknong-2019/664', user: 'approver.1@daknong', ready: 'text=Phê duyệt phiếu' },
  { name: 'admin', path: '/admin', user: 'admin@daknong', ready: 'text=daknong-2019' },
  { name: 'audit', path: '/audit', user: 'auditor@daknong', ready: 'text=Nhật ký sự kiện' },
];

async function main(): Promise<void> {
  const config = loadConfig();
  const options = new Command()
    .option('--url <url>', 'the running site', `http://localhost:${config.port}`)
    .option('--data-dir <dir>', "the server's data folder (its local token keys)", config.dataDir)
    .option('--out <dir>', 'where screenshots go', join(__dirname, 'screenshots'))
    .parse(process.argv)
    .opts<{ url: string; dataDir: string; out: string }>();
  mkdirSync(options.out, { recursive: true });
  const issuer = new LocalTokenIssuer(await LocalKeySet.loadOrCreate(options.dataDir), { issuer: config.localIssuer, audience: config.localAudience });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const failures: string[] = [];
  try {
    for (const size of SIZES) {
      for (const screen of SCREENS) {
        const context = await browser.newContext({ viewport: { width: size.width, height: size.height }, locale: 'vi-VN' });
        if (screen.user) {
          // The server (started with --demo) holds the accounts; the token names a demo account, whose grants the API reads.
          const person = daknongPerson(screen.user);
          if (!person) throw new Error(`no demo account ${screen.user}`);
          const token = await issuer.issue(principalOfGrants(person.login, person.name, person.grants));
          await context.addInitScript((value) => sessionStorage.setItem('tieuchi.token', value), token);
        }
        const page = await context.newPage();
        const started = Date.now();
        await page.goto(`${options.url}${screen.path}`);
        await page.locator(screen.ready).first().waitFor({ timeout: 15_000 }).catch(() => failures.push(`${screen.name} ${size.name}: "${screen.ready}" never showed`));
        await page.waitForLoadState('networkidle');
        const file = join(options.out, `${screen.name}-${size.name}.png`);
        await page.screenshot({ path: file, fullPage: false });
        failures.push(...(await checks(page, `${screen.name} ${size.name}`)));
        console.log(`${screen.name.padEnd(20)} ${size.name.padEnd(8)} ${String(Date.now() - started).padStart(5)} ms  ${file}`);
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  if (failures.length) {
    console.error(failures.join('\n'));
    process.exitCode = 1;
  }
}

async function checks(page: Page, label: string): Promise<string[]> {
  const problems: string[] = [];
  const axe = await new AxeBuilder({ page }).analyze();
  for (const violation of axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
    problems.push(`${label}: axe ${violation.impact} ${violation.id} (${violation.nodes.length}): ${violation.nodes[0]?.target.join(' ')}`);
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow > 1) problems.push(`${label}: the page overflows horizontally by ${overflow}px`);
  const rawKeys = await page.evaluate(() => (document.body.innerText.match(/\b(?:app|nav|public|form|review|approve|admin|audit|errors|status|levels|parts|tiers)\.[a-zA-Z]+\b(?![@.])/g) ?? []).slice(0, 3));
  if (rawKeys.length) problems.push(`${label}: untranslated keys ${rawKeys.join(', ')}`);
  return problems;
}

void main();
