import { expect, test } from './support/test.js';
import { Backend } from './support/api.js';
import { openSignedIn } from './support/console.js';

test('a failed sign-in shows up live in Logs (with its target) and at the top of Audit', async ({ page, context }) => {
  const backend = Backend.fromEnv();
  await openSignedIn(page, backend, '/audit');
  await expect(page.getByRole('heading', { name: 'Audit', level: 1 })).toBeVisible();
  const logs = await context.newPage();
  await openSignedIn(logs, backend, '/logs');
  await expect(logs.getByRole('heading', { name: 'Logs', level: 1 })).toBeVisible();
  await expect(page.getByTestId('link-state')).toHaveAttribute('data-state', 'live');
  await expect(logs.getByTestId('link-state')).toHaveAttribute('data-state', 'live');

  const who = `nobody${Date.now().toString(36)}`;
  const res = await backend.call('POST', '/api/auth_node/login', {
    username: who,
    password: 'not-a-password-1',
    totp: '123456',
  });
  expect(res.status).toBe(401);

  // Audit: at the top, without a reload.
  const top = page.getByTestId('audit-row').first();
  await expect(top).toHaveAttribute('data-action', 'login_failed', { timeout: 5_000 });
  await expect(top).toContainText(who);
  await expect(top).toContainText('INVALID_CREDENTIALS');

  // Logs: the warning with the target as a structured field.
  await logs.getByTestId('logs-search').fill(who);
  const line = logs.getByTestId('log-line').filter({ hasText: 'login failed' });
  await expect(line).toHaveCount(1, { timeout: 5_000 });
  await expect(line.getByTestId('log-fields')).toContainText(`target=${who}`);
  await expect(line).toHaveClass(/warn/);

  // The filters narrow the list on the server: only this failure is left.
  await page.getByTestId('audit-target').fill(who);
  await expect(page.getByTestId('audit-row')).toHaveCount(1);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
  expect(download.suggestedFilename()).toMatch(/^course-selection-audit-.*\.csv$/);
});
