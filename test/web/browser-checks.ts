/// <reference lib="dom" />
import AxeBuilder from '@axe-core/playwright';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };
export const SCREENSHOTS = join(__dirname, 'screenshots');

/**
 * Saves the screen at 1366×768 and 390×844 into test/web/screenshots/ and checks each size with
 * axe-core (serious or critical violations), for horizontal overflow and for catalogue keys shown
 * untranslated; what it finds is added to `problems`, for the test to assert at its end.
 */
export async function checkScreen(page: Page, name: string, problems: string[]): Promise<void> {
  for (const [label, size] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    await page.setViewportSize(size);
    await page.waitForTimeout(250);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${label}.png`) });
    const axe = await new AxeBuilder({ page }).analyze();
    for (const v of axe.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
      problems.push(`${name} ${label}: ${v.impact} ${v.id}: ${v.nodes[0]?.target.join(' ')}`);
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 1) problems.push(`${name} ${label}: overflows by ${overflow}px`);
    // Text a user wrote (a login such as admin.sotttt) is marked data-user-text and not taken for a key.
    const keys = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('[data-user-text]')).reduce((text, element) => text.split(element.innerText).join(' '), document.body.innerText).match(/\b(?:app|nav|public|form|review|approve|admin|audit|errors|status|levels|parts|tiers|signIn|unit|common)\.[a-zA-Z]+\b(?![@.])/g) ?? []);
    if (keys.length) problems.push(`${name} ${label}: untranslated ${keys.slice(0, 3).join(', ')}`);
  }
  await page.setViewportSize(DESKTOP);
}

/** Chooses a view of a screen: the switch's radio inputs are hidden behind their labels, which take the click. */
export async function chooseView(page: Page, view: string): Promise<void> {
  await page.locator('label').filter({ has: page.getByRole('radio', { name: view, exact: true }) }).click();
  await page.getByRole('radio', { name: view, exact: true, checked: true }).waitFor({ state: 'attached' });
}

/** Presses Tab until the element has the focus: it is reachable by keyboard (fails after `limit` presses). */
export async function reachByKeyboard(page: Page, target: ReturnType<Page['locator']>, limit = 80): Promise<boolean> {
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((element) => element === document.activeElement).catch(() => false)) return true;
  }
  return false;
}

/** How many pixels an element's content reaches past its width at 390×844: a table that scrolls sideways inside its card on a phone. */
export async function sidewaysAtPhoneWidth(page: Page, target: ReturnType<Page['locator']>): Promise<number> {
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(250);
  const overflow = await target.evaluate((element) => element.scrollWidth - element.clientWidth);
  await page.setViewportSize(DESKTOP);
  return overflow;
}
