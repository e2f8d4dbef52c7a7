import { expect, test } from './support/test.js';
import { Backend } from './support/api.js';
import { openSignedIn, screenshot } from './support/console.js';

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
  await screenshot(page, 'codes');

  // Revoke, after a confirmation.
  await row.getByRole('button', { name: /Revoke/ }).click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('code-row').first()).toContainText('revoked');
});
