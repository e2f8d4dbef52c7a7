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
