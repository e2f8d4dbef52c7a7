import type { Page, Route } from '@playwright/test';
import { expect, test } from './support/test.js';
import { Backend } from './support/api.js';
import { openSignedIn } from './support/console.js';

/**
 * Loading, error and stale states of the lists, with the failures made at the network edge
 * (page.route answers for the gateway), so the real console and the real backend run as usual.
 */
const USERS = /\/api\/auth_node\/admin\/users\?/;
const CODES = /\/api\/auth_node\/admin\/codes(\?|$)/;
const COURSES = /\/api\/data_node\/courses(\?|$)/;
const STATUS = /\/api\/supervisor\/status$/;

const unavailable = (message: string) => (route: Route) =>
  route.fulfill({
    status: 503,
    contentType: 'application/json',
    body: JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message } }),
  });

/** Hold matching requests until released: the loading state stays up exactly that long. */
async function hold(page: Page, url: RegExp): Promise<() => void> {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  await page.route(url, async (route) => {
    await gate;
    await route.continue();
  });
  return release;
}

test('users: loading, a failed refresh keeps the rows, a failed first load shows the error, Try again recovers', async ({
  page,
}) => {
  const backend = Backend.fromEnv();
  const { token } = await backend.adminLogin();
  await backend.createStudent(token, 'list.state');
  const table = page.getByTestId('users-table');

  const release = await hold(page, USERS);
  await openSignedIn(page, backend, '/users');
  await expect(page.getByTestId('list-loading')).toBeVisible();
  await expect(table).toHaveCount(0);
  release();
  await expect(table.locator('tr[data-username="list.state"]')).toBeVisible();
  await page.unroute(USERS);
  const rows = await table.locator('tbody tr').count();

  // A refresh fails while rows are shown: they stay, under an inline banner.
  await page.route(USERS, unavailable('auth_node is restarting'));
  await table.getByRole('button', { name: /Name/ }).click();
  const stale = page.getByTestId('list-stale');
  await expect(stale).toContainText('auth_node is restarting');
  await expect(table.locator('tbody tr')).toHaveCount(rows);
  await page.unroute(USERS);
  await stale.getByRole('button', { name: 'Try again' }).click();
  await expect(stale).toBeHidden();
  await expect(table.locator('tbody tr')).toHaveCount(rows);

  // Nothing loaded yet and the call fails: the full error state with the reason, and no table.
  await page.route(USERS, unavailable('auth_node is restarting'));
  await page.reload();
  const error = page.getByTestId('list-error');
  await expect(error).toContainText('Could not load this list.');
  await expect(error).toContainText('auth_node is restarting');
  await expect(table).toHaveCount(0);
  await page.unroute(USERS);
  await error.getByRole('button', { name: 'Try again' }).click();
  await expect(error).toBeHidden();
  await expect(table.locator('tr[data-username="list.state"]')).toBeVisible();
});

for (const [name, route, url, table] of [
  ['codes', '/codes', CODES, 'codes-table'],
  ['courses', '/courses', COURSES, 'courses-table'],
] as const) {
  test(`${name}: an error state with the reason, and Try again recovers`, async ({ page }) => {
    await page.route(url, unavailable(`${name} are unavailable`));
    await openSignedIn(page, Backend.fromEnv(), route);
    const error = page.getByTestId('list-error');
    await expect(error).toContainText(`${name} are unavailable`);
    await expect(page.getByTestId(table)).toHaveCount(0);
    await page.unroute(url);
    await error.getByRole('button', { name: 'Try again' }).click();
    await expect(error).toBeHidden();
    // the list itself now: its rows, or its empty state when this spec runs before any were made
    await expect(page.getByTestId(table).or(page.getByTestId('list-empty'))).toBeVisible();
  });
}

test('status: a failed poll keeps the six rows under a banner and claims no count; the next good poll clears it', async ({
  page,
}) => {
  await openSignedIn(page, Backend.fromEnv(), '/status');
  const rows = page.getByTestId('process-table').locator('tbody tr');
  await expect(rows).toHaveCount(6);
  await page.route(STATUS, unavailable('the supervisor is busy'));
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  await expect(page.getByTestId('list-stale')).toContainText('the supervisor is busy');
  await expect(rows).toHaveCount(6);
  // the rows stay, but a count no poll just verified is not claimed
  await expect(page.getByTestId('running-count')).toHaveText('? / 6');
  await page.unroute(STATUS);
  // No click: the periodic poll succeeds on its own.
  await expect(page.getByTestId('list-stale')).toBeHidden({ timeout: 15_000 });
  await expect(rows).toHaveCount(6);
  await expect(page.getByTestId('running-count')).toHaveText('6 / 6');
});

test('notifications: the recipient lookup shows Searching…, and a failed send shows in the sent list', async ({
  page,
}) => {
  const backend = Backend.fromEnv();
  await openSignedIn(page, backend, '/notifications');
  await expect(page.getByTestId('list-empty')).toContainText('Nothing sent yet.');

  const release = await hold(page, USERS);
  await page.getByTestId('recipient-search').fill('admin');
  await expect(page.getByTestId('recipient-searching')).toBeVisible();
  await expect(page.getByTestId('recipient-none')).toHaveCount(0);
  release();
  await expect(page.locator('button.result[data-username="admin"]')).toBeVisible();
  await expect(page.getByTestId('recipient-searching')).toHaveCount(0);
  await page.unroute(USERS);
  await page.getByTestId('recipient-search').fill('zz-nobody-zz');
  await expect(page.getByTestId('recipient-none')).toContainText('No user matches “zz-nobody-zz”.');

  const BROADCAST = /\/api\/realtime\/api\/broadcast$/;
  await page.route(BROADCAST, unavailable('realtime is restarting'));
  await page.getByLabel('A role').check();
  await page.getByLabel('Role', { exact: true }).selectOption('admin');
  await page.getByTestId('notify-title').fill('Maintenance tonight');
  await page.getByTestId('notify-send').click();
  await page.getByTestId('confirm-ok').click();
  const error = page.getByTestId('list-error');
  await expect(error).toContainText('The last notification was not sent.');
  await expect(error).toContainText('realtime is restarting');

  await page.unroute(BROADCAST);
  await error.getByRole('button', { name: 'Try again' }).click();
  await expect(error).toBeHidden();
  const sent = page.getByTestId('sent-table').locator('tbody tr');
  await expect(sent).toHaveCount(1);
  await expect(sent).toContainText('Maintenance tonight');
  await expect(sent).toContainText('all admins');
});
