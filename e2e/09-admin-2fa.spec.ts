import path from 'node:path';
import { TOTP } from 'otpauth';
import { startServer, type RunningServer } from './support/server.js';
import { ARTIFACTS, screenshot } from './support/console.js';
import { expect, test } from './support/test.js';

/**
 * REQUIRE_ADMIN_2FA: the admin must enrol an authenticator in the console before anything
 * else, and from then on signs in with a code. Its own server-mode tree with that setting.
 */
let server: RunningServer;
const PASSWORD = 'second-factor-e2e-password';

test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = await startServer({
    outDir: path.resolve(process.env.CSC_OUT || 'out'),
    adminPassword: PASSWORD,
    readyWhen: 'admin-can-sign-in',
    env: { REQUIRE_ADMIN_2FA: 'true' },
    logFile: path.join(ARTIFACTS, 'server-admin-2fa.log'),
  });
});
test.afterAll(async () => server?.stop());

test('an admin enrols TOTP from the console, then signs in with a code', async ({ page }) => {
  await page.goto(`${server.baseURL}/`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Password').press('Enter');

  await expect(page.getByTestId('mfa-form')).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  await expect(page.getByTestId('qr-image')).toBeVisible();
  await expect(page.getByTestId('otpauth-uri')).toContainText(`secret=${secret}`);
  await screenshot(page, 'admin-2fa-enrol');
  const totp = new TOTP({ secret, digits: 6, period: 30, algorithm: 'SHA1' });

  // A wrong code is refused inline and nothing changes.
  const now = Date.now();
  const good = totp.generate({ timestamp: now });
  await page.getByLabel('Code from your app').fill(good === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Confirm and continue' }).click();
  await expect(page.locator('#mfa-code-err')).not.toBeEmpty();
  await expect(page.getByTestId('mfa-form')).toBeVisible();

  await page.getByLabel('Code from your app').fill(good);
  await page.getByRole('button', { name: 'Confirm and continue' }).click();
  await expect(page.getByRole('heading', { name: 'Status', level: 1 })).toBeVisible();

  // Next sign-in: the password alone is not enough; the console asks for the code.
  await page.getByTestId('sign-out').click();
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Password').press('Enter');
  await expect(page.getByTestId('login-error')).toContainText('authenticator');
  await expect(page.getByLabel('Authenticator code')).toBeVisible();
  // The step after the one just used: inside the ±1 step window, and not a replay.
  await page.getByLabel('Authenticator code').fill(totp.generate({ timestamp: now + 30_000 }));
  await page.getByTestId('login-submit').click();
  await expect(page.getByRole('heading', { name: 'Status', level: 1 })).toBeVisible();
});
