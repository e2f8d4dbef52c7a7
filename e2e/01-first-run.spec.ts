import { expect, test } from './support/test.js';
import { Backend } from './support/api.js';

test('first run: the admin signs in (setting a new password if asked) and lands on Status', async ({ page }) => {
  const backend = Backend.fromEnv();
  await page.goto('/');
  const form = page.getByTestId('login-form');
  await expect(form).toBeVisible();
  await expect(page.getByLabel('Username')).toHaveValue('admin');

  // A form that validates before sending: nothing typed, nothing sent.
  await page.getByLabel('Password').fill('');
  await page.getByTestId('login-submit').click();
  await expect(page.locator('#login-password-err')).toHaveText('Password is required');

  // A wrong password: the server's answer, inline.
  await page.getByLabel('Password').fill('definitely-not-it');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toBeVisible();
  await expect(page.getByTestId('login-form')).toBeVisible();

  // Keyboard only from here: type and press Enter.
  await page.getByLabel('Password').fill(backend.adminPassword);
  await page.getByLabel('Password').press('Enter');

  const setup = page.getByTestId('setup-form');
  const status = page.getByRole('heading', { name: 'Status', level: 1 });
  await expect(setup.or(status)).toBeVisible();
  if (await setup.isVisible()) {
    // First-run setup: the initial password must be replaced before anything else.
    const next = `${backend.adminPassword}-new`;
    await page.getByLabel('New password', { exact: true }).fill(next);
    await page.getByLabel('Repeat the new password').fill(next);
    await page.getByTestId('setup-submit').click();
    process.env.E2E_ADMIN_PASSWORD = next;
  }
  await expect(status).toBeVisible();
  await expect(page).toHaveURL(/#\/status$/);

  // Keyboard only: Alt+<n> jumps between views, "/" focuses the view's search, Esc closes dialogs.
  await page.keyboard.press('Alt+2');
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  await page.keyboard.press('/');
  await expect(page.getByTestId('users-search')).toBeFocused();
  await page.keyboard.press('Alt+5');
  await expect(page.getByRole('heading', { name: 'Logs', level: 1 })).toBeVisible();
  await page.keyboard.press('Alt+1');
  await expect(page.getByRole('heading', { name: 'Status', level: 1 })).toBeVisible();
  // Tab reaches the nav links with a visible focus ring.
  await page.getByRole('link', { name: /Users/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/users$/);
  await page.getByTestId('add-user').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Add student' })).toBeVisible();
  await expect(page.getByLabel('Username')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Add student' })).toBeHidden();
  await expect(page.getByTestId('add-user')).toBeFocused();

  // Signing out returns to the sign-in screen, and the old session is gone.
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('login-form')).toBeVisible();
  await page.goto('/#/users');
  await expect(page.getByTestId('login-form')).toBeVisible();
});
