import type { ResetPasswordResponse } from '../src-backend/contracts/user-lifecycle.js';
import { gatewayPathOf } from '../src-backend/contracts/route.js';
import { AuthRoutes } from '../src-backend/contracts/routes/auth.js';
import { Backend } from './support/api.js';
import { apiSignIn, checkAtBothWidths, freshCode } from './support/portal.js';
import { expect, test } from './support/test.js';

/**
 * A student who lost password and phone: the registrar issues a help-desk code in the console;
 * the portal's sign-in page takes it with a new password, shows a new authenticator, and the
 * student is in once the app's first code confirms it. The old password no longer works.
 */
test('a help-desk code sets a new password and authenticator from the portal', async ({ page }) => {
  const backend = Backend.fromEnv();
  const admin = (await backend.adminLogin()).token;
  const s = await backend.createStudent(admin, 'portal.lost-all', 'portal-2026');
  const issued = await backend.ok<ResetPasswordResponse>(
    'POST',
    gatewayPathOf(AuthRoutes.resetPassword, { id: s.user.id }),
    { helpDesk: true },
    admin,
  );
  expect(issued.helpDeskCode).toEqual(expect.any(String));

  await page.goto(`${backend.baseURL}/portal/signin`);
  await page.getByRole('link', { name: 'Use a help-desk code' }).click();
  await expect(page.getByText('Ask the registrar')).toBeVisible();
  await checkAtBothWidths(page, 'help-desk');
  const form = page.getByTestId('portal-help-desk-form');
  await form.getByLabel('Username').fill('portal.lost-all');
  await form.getByLabel('Help-desk code').fill(issued.helpDeskCode!);
  // the policy's reason comes back from the server and is shown
  await form.getByLabel('New password', { exact: true }).fill('password123');
  await form.getByLabel('Repeat the new password').fill('password123');
  await form.getByRole('button', { name: 'Set password and authenticator' }).click();
  await expect(page.getByText('password is too common')).toBeVisible();
  await form.getByLabel('New password', { exact: true }).fill('lantern-over-the-bay-7');
  await form.getByLabel('Repeat the new password').fill('lantern-over-the-bay-7');
  await form.getByRole('button', { name: 'Set password and authenticator' }).click();

  await expect(page.getByTestId('qr-image')).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  await page.getByLabel('Code from the app').fill(await freshCode(secret));
  await page.getByRole('button', { name: 'Confirm and sign in' }).click();
  await expect(page).toHaveURL(/\/portal\/courses/);

  // the old password is gone; the code was spent
  await expect(apiSignIn(backend, 'portal.lost-all', s.password, secret)).rejects.toThrow();
  const again = await fetch(`${backend.baseURL}/api/auth_node${AuthRoutes.helpDeskReset.url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      username: 'portal.lost-all',
      code: issued.helpDeskCode,
      newPassword: 'another-bay-lantern-8',
    }),
  });
  expect(again.status).toBeGreaterThanOrEqual(400);
  expect(again.status).toBeLessThan(500);
});
