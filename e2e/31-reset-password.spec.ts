import type { UserResponse } from '../src-backend/contracts/auth.js';
import { gatewayPathOf } from '../src-backend/contracts/route.js';
import { AuthRoutes } from '../src-backend/contracts/routes/auth.js';
import { Backend } from './support/api.js';
import { openSignedIn, screenshot } from './support/console.js';
import { expect, test } from './support/test.js';

/**
 * Issue 17: an admin resets another admin's password from the detail page; the temporary
 * password signs in and the console asks for a new one before anything else.
 */
test('reset a password, sign in with the temporary one, which forces a new one', async ({ page, browser }) => {
  const backend = Backend.fromEnv();
  const { token } = await backend.adminLogin();
  const other = await backend.ok<UserResponse>(
    'POST',
    gatewayPathOf(AuthRoutes.addAdmin),
    { username: 'e2e-forgetful', name: 'Forgetful Admin', password: 'forgot-this-one-2026' },
    token,
  );
  const oldSession = (
    await backend.ok<{ token: string }>('POST', gatewayPathOf(AuthRoutes.loginAdmin), {
      username: 'e2e-forgetful',
      password: 'forgot-this-one-2026',
    })
  ).token;

  await openSignedIn(page, backend, `/users/${other.user.id}`);
  await expect(page.getByTestId('user-title')).toHaveText('e2e-forgetful');
  await expect(page.getByTestId('sessions')).toContainText('End session');
  await page.getByTestId('reset-password').click();
  const dialog = page.getByRole('dialog', { name: 'Reset the password of e2e-forgetful' });
  await expect(dialog.getByTestId('reset-temporary')).toBeChecked();
  await dialog.getByTestId('confirm-reset').click();
  await expect(dialog.getByTestId('reset-result')).toContainText('1 session ended');
  const temporary = (await dialog.getByTestId('new-password').textContent())!.trim();
  expect(temporary).toMatch(/^[A-Za-z0-9]{17}$/);
  await screenshot(page, 'user-reset-password');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('sessions')).toContainText('Not signed in anywhere.');
  // the session from before the reset is dead
  expect((await backend.call('GET', gatewayPathOf(AuthRoutes.me), undefined, oldSession)).status).toBe(401);

  // The forgetful admin signs in with the temporary password in a fresh browser.
  const context = await browser.newContext();
  const them = await context.newPage();
  await them.goto(`${backend.baseURL}/`);
  await them.getByLabel('Username').fill('e2e-forgetful');
  await them.getByLabel('Password').fill(temporary);
  await them.getByTestId('login-submit').click();
  await expect(them.getByTestId('setup-form')).toBeVisible();
  await them.goto(`${backend.baseURL}/#/users`);
  await expect(them.getByTestId('setup-form')).toBeVisible(); // nothing else until it is changed
  await them.getByLabel('New password', { exact: true }).fill('remembered-this-time-2026');
  await them.getByLabel('Repeat the new password').fill('remembered-this-time-2026');
  await them.getByTestId('setup-submit').click();
  await expect(them.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  await context.close();

  expect(
    (
      await backend.call('POST', gatewayPathOf(AuthRoutes.loginAdmin), {
        username: 'e2e-forgetful',
        password: temporary,
      })
    ).status,
  ).toBe(401);
});
