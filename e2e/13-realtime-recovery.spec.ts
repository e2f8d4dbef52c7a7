import { expect, test } from './support/test.js';
import { Backend } from './support/api.js';
import { openSignedIn } from './support/console.js';

test('after each realtime restart from the console, the link comes back by itself and a new user appears live', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const backend = Backend.fromEnv();
  const token = await openSignedIn(page, backend, '/status');
  const linkState = page.getByTestId('link-state');
  await expect(linkState).toHaveAttribute('data-state', 'live');
  const row = page.getByTestId('process-table').locator('tr[data-process="realtime"]');
  const realtimeNow = async () => (await backend.status(token)).processes.find((p) => p.name === 'realtime')!;

  // Twice: recovery must not depend on it being the first drop.
  for (let round = 0; round < 2; round++) {
    const before = await realtimeNow();
    await row.getByRole('button', { name: 'Restart Realtime', exact: true }).click();
    await page.getByTestId('confirm-ok').click();
    await expect
      .poll(
        async () => {
          const p = await realtimeNow();
          return p.pid !== before.pid && p.state === 'running';
        },
        { timeout: 20_000, intervals: [100] },
      )
      .toBe(true);
    // Realtime is ready once the supervisor reports it running; from then on the console has 5 s.
    await expect(linkState).toHaveAttribute('data-state', 'live', { timeout: 5_000 });
  }

  // Client-side navigation (no reload): the Users view must hear about a user created elsewhere.
  await page
    .getByRole('navigation', { name: 'Console sections' })
    .getByRole('link', { name: /^Users/ })
    .click();
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  const username = `live${Date.now().toString(36)}`;
  // Filter to the name first, so the row cannot hide on a later page.
  await page.getByTestId('users-search').fill(username);
  const cell = page.getByRole('cell', { name: username, exact: true });
  await expect(cell).toHaveCount(0);
  await backend.createStudent(token, username);
  await expect(cell).toBeVisible({ timeout: 5_000 });
});

test('after a realtime restart, the Logs view still loads the lines from before it', async ({ page }) => {
  test.setTimeout(90_000);
  const backend = Backend.fromEnv();
  const { token } = await backend.adminLogin();
  // A line with a name of its own, logged before the restart.
  const marker = `before${Date.now().toString(36)}`;
  expect(
    (
      await backend.call('POST', '/api/auth_node/login', {
        username: marker,
        password: 'wrong-password-1',
        totp: '123456',
      })
    ).status,
  ).toBe(401);
  const before = (await backend.status(token)).processes.find((p) => p.name === 'realtime')!;
  await backend.ok('POST', '/api/supervisor/realtime/restart', {}, token);
  await expect
    .poll(async () => (await backend.status(token)).processes.find((p) => p.name === 'realtime')!.pid, {
      timeout: 20_000,
    })
    .not.toBe(before.pid);

  await openSignedIn(page, backend, '/logs');
  await expect(page.getByTestId('link-state')).toHaveAttribute('data-state', 'live', { timeout: 10_000 });
  await page.getByTestId('logs-search').fill(marker);
  await expect(page.getByTestId('log-line').filter({ hasText: 'login failed' })).toHaveCount(1, { timeout: 10_000 });
});
