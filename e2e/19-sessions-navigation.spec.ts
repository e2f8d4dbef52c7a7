import type { Page } from '@playwright/test';
import { expect, test } from './support/test.js';
import { Backend } from './support/api.js';
import { openSignedIn } from './support/console.js';

const tab = (page: Page, name: string) => page.getByRole('group', { name: 'Role' }).getByRole('button', { name });

test('the Users tab and filters live in the URL: a reload and Back keep them', async ({ page }) => {
  await openSignedIn(page, Backend.fromEnv(), '/users');
  await tab(page, 'Admins').click();
  await page.getByRole('columnheader', { name: 'Username' }).getByRole('button').click();
  await page.getByTestId('users-search').fill('admi');
  await expect(page).toHaveURL(/#\/users\?role=admin&q=admi&sort=username$/);

  await page.reload();
  await expect(tab(page, 'Admins')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('users-search')).toHaveValue('admi');
  await expect(page.getByRole('columnheader', { name: 'Username' })).toHaveAttribute('aria-sort', 'ascending');

  // Another view and Back: the same list. Back once more: the tab before (Students).
  await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Codes' }).click();
  await expect(page.getByRole('heading', { name: 'Codes', level: 1 })).toBeVisible();
  await page.goBack();
  await expect(tab(page, 'Admins')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('users-search')).toHaveValue('admi');
  await page.goBack();
  await expect(tab(page, 'Students')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('users-search')).toHaveValue('');
  await expect(page).toHaveURL(/#\/users$/);
});
