import { expect, test } from './support/test.js';
import type { CodeInfo } from '../src-backend/contracts/auth.js';
import { Backend } from './support/api.js';
import { openSignedIn } from './support/console.js';

test('generating a registration code shows it once to copy and lists it with its uses left', async ({ page }) => {
  await openSignedIn(page, Backend.fromEnv(), '/codes');
  await expect(page.getByRole('heading', { name: 'Codes', level: 1 })).toBeVisible();

  // Bad input is caught before sending.
  await page.getByTestId('code-max-uses').fill('0');
  await page.getByTestId('code-generate').click();
  await expect(page.locator('#code-uses-err')).toContainText('between 1 and 100000');

  await page.getByTestId('code-type').selectOption('teacher');
  await page.getByTestId('code-max-uses').fill('5');
  await page.getByTestId('code-generate').click();
  const fresh = page.getByTestId('fresh-code').first();
  await expect(fresh).toHaveText(/^[0-9A-Z]{4,}(-[0-9A-Z]+)*$/);

  const row = page.getByTestId('code-row').first();
  await expect(row).toContainText('teachers');
  await expect(row.locator('[data-col="left"]')).toHaveText('5');
  await expect(row).toContainText('active');

  // Revoke, after a confirmation.
  await row.getByRole('button', { name: /Revoke/ }).click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('code-row').first()).toContainText('revoked');
});

test('a 2FA reset code for one user, with a chosen expiry, copied to the clipboard', async ({ page, context }) => {
  const backend = Backend.fromEnv();
  const { token } = await backend.adminLogin();
  await backend.createStudent(token, 'codes.reset');
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openSignedIn(page, backend, '/codes');

  await page.getByLabel('2FA reset').check();
  // Validation first, then the server's answer for a user who does not exist, inline.
  await page.getByTestId('code-generate').click();
  await expect(page.locator('#code-user-err')).toHaveText('Username is required');
  await page.getByLabel('Username').fill('no.such.user');
  await page.getByTestId('code-generate').click();
  await expect(page.locator('#code-user-err')).not.toBeEmpty();

  await page.getByLabel('Username').fill('codes.reset');
  await page.getByLabel('Expires after').selectOption({ label: '1 hour' });
  await page.getByTestId('code-generate').click();
  const fresh = page.getByTestId('fresh-codes').locator('li').filter({ hasText: 'codes.reset' });
  await expect(fresh).toContainText('reset · codes.reset');
  const code = (await fresh.getByTestId('fresh-code').textContent())!.trim();
  expect(code).toMatch(/^[0-9A-Z]{4,}(-[0-9A-Z]+)*$/);

  // The list shows it for that user; the server stored one hour of validity.
  const row = page.getByTestId('code-row').filter({ hasText: 'codes.reset' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('2FA reset');
  await expect(row.locator('[data-col="left"]')).toHaveText('1');
  const { items } = await backend.ok<{ items: CodeInfo[] }>(
    'GET',
    '/api/auth_node/admin/codes?kind=reset',
    undefined,
    token,
  );
  const info = items.find((c) => c.username === 'codes.reset')!;
  // (created and expiry are two readings of the server's clock, so allow a few seconds between them)
  expect(Math.abs(Date.parse(info.expiresAt) - Date.parse(info.createdAt) - 3_600_000)).toBeLessThan(5_000);

  // Copy puts exactly the code on the clipboard.
  await fresh.getByRole('button', { name: /^Copy/ }).click();
  await expect(fresh.getByRole('button', { name: /copied/ })).toHaveText('Copied ✓');
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe(code);
});
