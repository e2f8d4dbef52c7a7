import { expect, type Page } from '@playwright/test';
import path from 'node:path';
import type { Backend } from './api.js';

export const ARTIFACTS = path.resolve('e2e/artifacts');

/** Every screenshot the README shows; the tour writes them and its last test checks them all. */
export const VIEW_SCREENSHOTS = [
  'login',
  'status',
  'users',
  'users-added-student',
  'codes',
  'courses',
  'logs',
  'throttler',
  'notifications',
  'audit',
] as const;
/** Taken by the specs that reach those states (CSV import, first start, admin 2FA). */
export const FLOW_SCREENSHOTS = [
  'users-csv-preview',
  'users-csv-result',
  'first-start-setup',
  'admin-2fa-enrol',
] as const;

/**
 * Open the console already signed in: the admin token (minted through the real login route)
 * is put where the console keeps its session, so each test starts from a known view without
 * repeating the sign-in test.
 */
export async function openSignedIn(page: Page, backend: Backend, route = '/status'): Promise<string> {
  const { token } = await backend.adminLogin();
  await page.addInitScript({ content: `sessionStorage.setItem('csc.session', ${JSON.stringify(token)});` });
  await page.goto(`${backend.baseURL}/#${route}`);
  await expect(page.getByRole('navigation', { name: 'Console sections' })).toBeVisible();
  return token;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: false });
}

/** The console works at 1280×800: nothing may push the page sideways. */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const widths = await page.evaluate('({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth })');
  const { scroll, viewport } = widths as { scroll: number; viewport: number };
  expect(viewport).toBe(1280);
  expect(scroll, 'document.documentElement.scrollWidth at 1280×800').toBeLessThanOrEqual(1280);
}

/** Toasts are transient: close them so a screenshot shows the view, not the last message. */
export async function dismissToasts(page: Page): Promise<void> {
  const toasts = page.getByTestId('toast');
  while ((await toasts.count()) > 0) await toasts.first().getByRole('button', { name: 'Dismiss' }).click();
}

/** Neither the page, the view nor any box inside it (a nested scrollbar) scrolls sideways at this width. */
export async function expectNoSidewaysScroll(page: Page, width: number, what: string): Promise<void> {
  // Measured until the view has settled: rows arriving mid-layout can overflow for a frame. A
  // view that stays too wide still fails, with its last measurement.
  const measure = async () =>
    (await page.evaluate(`(() => {
    const main = document.getElementById('main');
    const nested = [...main.querySelectorAll('*')]
      .filter((e) => /auto|scroll/.test(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1)
      .map((e) => e.className);
    return { doc: document.documentElement.scrollWidth, main: main.scrollWidth, mainClient: main.clientWidth, nested };
  })()`)) as { doc: number; main: number; mainClient: number; nested: string[] };
  await expect
    .poll(
      async () => {
        const w = await measure();
        return { pageWider: w.doc > width, viewScrolls: w.main > w.mainClient, nestedScrolls: w.nested };
      },
      { message: `${what}: the page, the view or a part of it scrolls sideways`, timeout: 5000 },
    )
    .toEqual({ pageWider: false, viewScrolls: false, nestedScrolls: [] });
}
