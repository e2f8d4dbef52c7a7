import fs from 'node:fs';
import { gatewayPathOf } from '../src-backend/contracts/route.js';
import { AuthRoutes } from '../src-backend/contracts/routes/auth.js';
import { Backend } from './support/api.js';
import { dismissToasts, openSignedIn, screenshot } from './support/console.js';
import { expect, test } from './support/test.js';

/** Issue 17: three students ticked in the Users list, disabled in one action after a confirmation naming the count. */
test('bulk-disable 3 selected students', async ({ page }) => {
  const backend = Backend.fromEnv();
  const { token } = await backend.adminLogin();
  const names = ['e2e-bulk-a', 'e2e-bulk-b', 'e2e-bulk-c'];
  const made = [];
  for (const n of names) made.push(await backend.createStudent(token, n, 'bulk-e2e'));
  const sessions = await Promise.all(made.map((m) => backend.studentLogin(m.user.username, m.password, m.totpSecret)));

  await openSignedIn(page, backend, '/users');
  await page.getByTestId('users-search').fill('e2e-bulk-');
  const rows = page.getByTestId('users-table').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  // Export: the server's CSV in the import's columns, no secrets.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toBe('username,name,email,group');
  for (const m of made) {
    expect(csv).toContain(`${m.user.username},Student ${m.user.username},${m.user.username}@example.com,bulk-e2e`);
    expect(csv).not.toContain(m.password);
  }

  for (const n of names) await page.getByRole('checkbox', { name: `Select ${n}` }).check();
  await expect(page.getByTestId('bulk-count')).toHaveText('3 selected');
  await screenshot(page, 'users-bulk-bar');
  await page.setViewportSize({ width: 800, height: 800 });
  await screenshot(page, 'users-bulk-bar-800');
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByTestId('bulk-bar').getByRole('button', { name: 'Disable' }).click();
  const confirm = page.getByRole('alertdialog').or(page.getByRole('dialog'));
  await expect(confirm).toContainText('Disable 3 students?');
  await expect(confirm).toContainText('3 of 3 selected will be changed.');
  await confirm.getByRole('button', { name: 'Disable 3' }).click();

  await expect(page.getByTestId('bulk-bar')).toBeHidden();
  for (const n of names) await expect(rows.filter({ hasText: n })).toContainText('disabled');
  await dismissToasts(page);
  // signed out everywhere at once
  for (const s of sessions)
    expect((await backend.call('GET', gatewayPathOf(AuthRoutes.me), undefined, s.token)).status).toBe(401);
});
