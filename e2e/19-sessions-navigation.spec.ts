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

test('one sign-in serves every tab of the browser, and signing out in one ends it in all', async ({ context }) => {
  const backend = Backend.fromEnv();
  const first = await context.newPage();
  await first.goto(`${backend.baseURL}/#/courses`);
  await expect(first.getByTestId('login-form')).toBeVisible();
  const second = await context.newPage();
  await second.goto(`${backend.baseURL}/#/status`);
  await expect(second.getByTestId('login-form')).toBeVisible();

  // Signing in in the second tab takes the first, still at its sign-in screen, where it was going.
  await second.getByLabel('Password').fill(backend.adminPassword);
  await second.getByTestId('login-submit').click();
  await expect(second.getByRole('heading', { name: 'Status', level: 1 })).toBeVisible();
  await expect(first.getByRole('heading', { name: 'Courses', level: 1 })).toBeVisible();

  // A tab opened now is signed in at once.
  const third = await context.newPage();
  await third.goto(`${backend.baseURL}/#/audit`);
  await expect(third.getByRole('heading', { name: 'Audit', level: 1 })).toBeVisible();

  // Sign out in one: every tab is back at the sign-in screen, and says why.
  await first.getByTestId('sign-out').click();
  for (const p of [first, second, third]) await expect(p.getByTestId('login-form')).toBeVisible();
  await expect(second.getByText('You signed out in another tab.')).toBeVisible();
  // …and the token is gone from the server too: a reload does not bring it back.
  await third.reload();
  await expect(third.getByTestId('login-form')).toBeVisible();
});

test('idle sign-out warns 60 s ahead, "stay signed in" keeps the session, and signing in again returns to the page', async ({
  page,
}) => {
  const backend = Backend.fromEnv();
  await page.clock.install();
  await openSignedIn(page, backend, '/users?role=admin');
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();

  await page.clock.fastForward('29:05');
  await expect(page.getByTestId('idle-warning')).toContainText(/signed out in \d+ s/);
  await page.getByTestId('stay-signed-in').click();
  await expect(page.getByTestId('idle-warning')).toBeHidden();

  await page.clock.fastForward('29:05');
  await expect(page.getByTestId('idle-warning')).toBeVisible();
  await page.clock.fastForward('01:00');
  await expect(page.getByTestId('login-form')).toBeVisible();
  await expect(page.getByText('You were signed out after 30 minutes without activity.')).toBeVisible();

  await page.getByLabel('Password').fill(backend.adminPassword);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/#\/users\?role=admin$/);
  await expect(page.getByRole('group', { name: 'Role' }).getByRole('button', { name: 'Admins' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
});

test('"keep signed in while visible" keeps a wall display signed in and renews its session', async ({ page }) => {
  const backend = Backend.fromEnv();
  await page.clock.install();
  await openSignedIn(page, backend, '/account');
  const renewed = page.waitForRequest((r) => r.url().endsWith('/api/auth_node/me'));
  await page.getByTestId('keep-signed-in').check();
  await expect(page.getByText('For a wall display of Courses or the board.')).toBeVisible();
  await renewed;
  await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Courses' }).click();
  await page.clock.fastForward('31:00');
  await page.clock.fastForward('31:00');
  await expect(page.getByRole('heading', { name: 'Courses', level: 1 })).toBeVisible();
  await expect(page.getByTestId('idle-warning')).toBeHidden();
  await expect(page.getByTestId('login-form')).toBeHidden();
  await page.goto(`${backend.baseURL}/#/account`);
  await page.getByTestId('keep-signed-in').uncheck();
});
