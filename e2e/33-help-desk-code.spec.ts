import type { ResetPasswordResponse } from '../src-backend/contracts/user-lifecycle.js';
import { gatewayPathOf } from '../src-backend/contracts/route.js';
import { AuthRoutes } from '../src-backend/contracts/routes/auth.js';
import { Backend } from './support/api.js';
import { screenshot } from './support/console.js';
import { expect, test } from './support/test.js';

/** Issue 17: one printable help-desk code sets a new password and a new authenticator, on the sign-in page. */
test('a help-desk code sets a new password and authenticator from the sign-in page', async ({ page }) => {
  const backend = Backend.fromEnv();
  const { token } = await backend.adminLogin();
  const s = await backend.createStudent(token, 'e2e-lost-phone', 'cs-e2e');
  const issued = await backend.ok<ResetPasswordResponse>(
    'POST',
    gatewayPathOf(AuthRoutes.resetPassword, { id: s.user.id }),
    { helpDesk: true },
    token,
  );

  await page.goto(`${backend.baseURL}/`);
  await page.getByTestId('open-help-desk').click();
  const form = page.getByTestId('help-desk-form');
  await form.getByLabel('Username').fill('e2e-lost-phone');
  await form.getByLabel('Help-desk code').fill(issued.helpDeskCode!.toLowerCase());
  await form.getByLabel('New password', { exact: true }).fill('found-my-way-back-2026');
  await form.getByLabel('Repeat the new password').fill('found-my-way-back-2026');
  await form.getByRole('button', { name: 'Set password and authenticator' }).click();
  const done = page.getByTestId('help-desk-done');
  await expect(done).toBeVisible();
  const secret = (await done.getByTestId('totp-secret').textContent())!.trim();
  await screenshot(page, 'login-help-desk');

  const signed = await backend.studentLogin('e2e-lost-phone', 'found-my-way-back-2026', secret);
  expect(signed.user.mustChangePassword).toBe(false);
});
