import fs from 'node:fs';
import path from 'node:path';
import { startServer, type RunningServer } from './support/server.js';
import { ARTIFACTS, screenshot } from './support/console.js';
import { expect, test } from './support/test.js';

/**
 * A first start without ADMIN_PASSWORD: the server prints a one-time password, and the
 * console makes the admin replace it before showing anything else. Its own server-mode tree
 * with its own empty data folder, since the shared one was started with ADMIN_PASSWORD.
 */
let server: RunningServer;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = await startServer({
    outDir: path.resolve(process.env.CSC_OUT || 'out'),
    logFile: path.join(ARTIFACTS, 'server-first-start.log'),
  });
});
test.afterAll(async () => server?.stop());

test('first start with a generated password: sign in, then set a new one before anything else', async ({ page }) => {
  await page.goto(`${server.baseURL}/`);
  await page.getByLabel('Password').fill(server.adminPassword);
  await page.getByLabel('Password').press('Enter');

  const setup = page.getByTestId('setup-form');
  await expect(setup).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Set your admin password' })).toBeVisible();
  // The console stays closed until the password is changed.
  await page.goto(`${server.baseURL}/#/users`);
  await expect(setup).toBeVisible();
  await screenshot(page, 'first-start-setup');

  // Validation: too short, then different.
  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByLabel('Repeat the new password').fill('short');
  await page.getByTestId('setup-submit').click();
  await expect(page.locator('#setup-password-err')).toContainText('at least');
  await page.getByLabel('New password', { exact: true }).fill('a-brand-new-password');
  await page.getByLabel('Repeat the new password').fill('a-brand-new-passw0rd');
  await page.getByTestId('setup-submit').click();
  await expect(page.locator('#setup-confirm-err')).toHaveText('The two passwords differ');

  await page.getByLabel('Repeat the new password').fill('a-brand-new-password');
  await page.getByTestId('setup-submit').click();
  // On to where the admin was heading before the guard stopped them.
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/#\/users$/);

  // The one-time password is dead; the new one works.
  const old = await fetch(`${server.baseURL}/api/auth_node/login/admin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: server.adminPassword }),
  });
  expect(old.status).toBe(401);
  const fresh = await fetch(`${server.baseURL}/api/auth_node/login/admin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'a-brand-new-password' }),
  });
  expect(fresh.status).toBe(200);
});

test('the first-start password is nowhere in the downloaded logs, though the first start is', async ({ page }) => {
  const res = await fetch(`${server.baseURL}/api/auth_node/login/admin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'a-brand-new-password' }),
  });
  const { token } = (await res.json()) as { token: string };
  await page.addInitScript({ content: `sessionStorage.setItem('csc.session', ${JSON.stringify(token)});` });
  await page.goto(`${server.baseURL}/#/logs`);
  await expect(page.getByRole('heading', { name: 'Logs', level: 1 })).toBeVisible();
  // The backlog has arrived once the first start's own line is listed.
  await expect(page.getByTestId('log-line').filter({ hasText: 'one-time password' }).first()).toBeAttached({
    timeout: 15_000,
  });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download' }).click(),
  ]);
  const text = fs.readFileSync((await download.path())!, 'utf8');
  expect(text).toContain('first start: created admin account');
  expect(text).not.toContain(server.adminPassword);
  // The terminal did get it: that is where the test read it from.
  expect(fs.readFileSync(server.logFile, 'utf8')).toContain(server.adminPassword);
});
