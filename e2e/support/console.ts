import { expect, type Page } from '@playwright/test';
import path from 'node:path';
import type { Backend } from './api.js';

export const ARTIFACTS = path.resolve('e2e/artifacts');

/**
 * Open the console already signed in: the admin token (minted through the real login route)
 * is put where the console keeps its session, so each test starts from a known view without
 * repeating the sign-in test.
 */
export async function openSignedIn(page: Page, backend: Backend, route = '/status'): Promise<string> {
  const { token } = await backend.adminLogin();
  await page.addInitScript({ content: `sessionStorage.setItem('csc.session', ${JSON.stringify(token)});` });
  await page.goto(`/#${route}`);
  await expect(page.getByRole('navigation', { name: 'Console sections' })).toBeVisible();
  return token;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: false });
}
