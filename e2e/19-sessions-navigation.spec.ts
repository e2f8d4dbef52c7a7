import path from 'node:path';
import type { Page } from '@playwright/test';
import { TOTP } from 'otpauth';
import { expect, test } from './support/test.js';
import { Backend } from './support/api.js';
import { ARTIFACTS, openSignedIn } from './support/console.js';
import { startServer, type RunningServer } from './support/server.js';

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

test.describe('own account', () => {
  // Its own server: this changes the admin's password and 2FA, which the other specs rely on.
  let server: RunningServer;
  const PASSWORD = 'own-account-e2e-password';
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    server = await startServer({
      outDir: path.resolve(process.env.CSC_OUT || 'out'),
      adminPassword: PASSWORD,
      readyWhen: 'admin-can-sign-in',
      logFile: path.join(ARTIFACTS, 'server-own-account.log'),
    });
  });
  test.afterAll(async () => server?.stop());

  test('an admin changes their own password (policy reasons shown) and enrols, then replaces, their own 2FA', async ({
    page,
  }) => {
    await page.goto(`${server.baseURL}/`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Password').press('Enter');
    await page.getByTestId('account-link').click();
    await expect(page.getByRole('heading', { name: 'Your account', level: 1 })).toBeVisible();

    const pw = page.getByTestId('account-pw-form');
    await pw.getByLabel('Current password').fill(PASSWORD);
    await pw.getByLabel('New password', { exact: true }).fill('password123');
    await pw.getByLabel('Repeat the new password').fill('password123');
    await pw.getByTestId('account-pw-submit').click();
    await expect(page.locator('#account-pw-password-err')).toHaveText('password is too common');
    await pw.getByLabel('New password', { exact: true }).fill('my-admin-secret-9');
    await pw.getByLabel('Repeat the new password').fill('my-admin-secret-9');
    await pw.getByTestId('account-pw-submit').click();
    await expect(page.locator('#account-pw-password-err')).toHaveText('password contains the username');
    const NEW_PASSWORD = 'a-wholly-new-passphrase';
    await pw.getByLabel('Current password').fill('not-my-password');
    await pw.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await pw.getByLabel('Repeat the new password').fill(NEW_PASSWORD);
    await pw.getByTestId('account-pw-submit').click();
    await expect(page.locator('#account-pw-current-err')).toHaveText('The current password is wrong');
    await pw.getByLabel('Current password').fill(PASSWORD);
    await pw.getByTestId('account-pw-submit').click();
    await expect(page.getByTestId('toast').filter({ hasText: 'Password changed' })).toBeVisible();

    // 2FA: off, then enrolled from here.
    const card = page.getByTestId('two-factor-card');
    await expect(card.getByTestId('two-factor-state')).toContainText('off');
    // Away from a 30 s step edge, so "now" and "the next step" mean what they say below.
    const left = 30_000 - (Date.now() % 30_000);
    if (left < 12_000) await page.waitForTimeout(left + 100);
    const now = Date.now();
    const code = (secret: string, steps = 0) =>
      new TOTP({ secret, digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: now + steps * 30_000 });

    await card.getByTestId('two-factor-begin').click();
    const first = (await card.getByTestId('totp-secret').textContent())!.trim();
    await card.getByLabel('Code from your app').fill(code(first));
    await card.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    await expect(card.getByTestId('two-factor-state')).toContainText('on');

    // A new phone: the password and a code from the current app, then the new secret.
    await card.getByTestId('two-factor-begin').click();
    await card.getByLabel('Password').fill(NEW_PASSWORD);
    await card.getByLabel('Code from your current app').fill(code(first, 1));
    await card.getByRole('button', { name: 'Continue' }).click();
    const second = (await card.getByTestId('totp-secret').textContent())!.trim();
    expect(second).not.toBe(first);
    await card.getByLabel('Code from your app').fill(code(second));
    await card.getByRole('button', { name: 'Switch to the new app' }).click();
    // the enrolment's own toast may still be up on a slow machine: the newest one is this step's
    await expect(page.getByTestId('toast').filter({ hasText: 'new app' }).last()).toBeVisible();
    await expect(card.getByTestId('two-factor-state')).toContainText('on');

    // Next sign-in: the new password and a code from the new app.
    await page.getByTestId('sign-out').click();
    await expect(page.getByTestId('login-form')).toBeVisible();
    await page.getByLabel('Password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'I use an authenticator app' }).click();
    await page.getByLabel('Authenticator code').fill(code(second, 1));
    await page.getByTestId('login-submit').click();
    await expect(page.getByRole('heading', { name: 'Your account', level: 1 })).toBeVisible();
  });
});
