import path from 'node:path';
import type { Page } from '@playwright/test';
import { Backend } from './support/api.js';
import { ARTIFACTS, openSignedIn } from './support/console.js';
import { startServer, type RunningServer } from './support/server.js';
import { expect, test } from './support/test.js';

/**
 * Stopping the whole server under an open console: no view may keep claiming health. Its own
 * server-mode tree, since stopping the shared one would end every later spec.
 */
let server: RunningServer;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = await startServer({
    outDir: path.resolve(process.env.CSC_OUT || 'out'),
    adminPassword: `stop-${Math.random().toString(36).slice(2)}-Pass!`,
    logFile: path.join(ARTIFACTS, 'server-stopped.log'),
  });
});
test.afterAll(async () => server?.stop());

/** Visible elements painted in one of the console's greens (text, background or border). */
async function greenElements(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const greens = ['rgb(43, 138, 62)', 'rgb(235, 251, 238)', 'rgb(81, 207, 102)'];
    const found = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const s = getComputedStyle(el);
      if (s.visibility === 'hidden') continue;
      const paints = [s.backgroundColor, s.borderLeftColor === s.borderTopColor ? '' : s.borderLeftColor];
      if ((el.textContent || '').trim()) paints.push(s.color);
      if (paints.some((c) => greens.includes(c)))
        found.push(el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + ': ' + (el.textContent || '').trim().slice(0, 40));
    }
    return found;
  })()`);
}

test('with the server stopped, no green state remains: unknown in grey, with the age and what the console is doing', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const backend = new Backend(server.baseURL, server.adminPassword);
  await openSignedIn(page, backend, '/status');
  const nav = page.getByRole('navigation', { name: 'Console sections' });
  // Load every view's code while the server is up, so they can still open after it stops.
  for (const name of ['Users', 'Codes', 'Courses', 'Logs', 'Throttler', 'Notifications', 'Status'])
    await nav.getByRole('link', { name: new RegExp(`^${name}`) }).click();
  await expect(page.getByTestId('overall')).toContainText('Healthy');
  await expect(page.getByTestId('link-state')).toHaveAttribute('data-state', 'live');
  // The check below can fail: a healthy console is green.
  expect((await greenElements(page)).length).toBeGreaterThan(0);

  await server.stop();

  await expect(page.getByTestId('overall')).toContainText('Unknown', { timeout: 15_000 });
  await expect(page.getByTestId('overall')).toContainText(/Retrying every 3 s/);
  await expect(page.getByTestId('nav-health')).toHaveAttribute('data-state', 'unknown');
  await expect(page.getByTestId('nav-health')).toContainText(/Status unknown · \d+s old · retrying/);
  await expect(page.getByTestId('running-count')).toHaveText('? / 6');
  await expect(page.getByTestId('link-state')).not.toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('link-state')).toContainText(/reconnecting|Connecting/i);
  const rows = page.getByTestId('process-table').locator('tr[data-process]');
  await expect(rows).toHaveCount(6);
  for (const row of await rows.all()) await expect(row).toHaveAttribute('data-state', 'unknown');
  expect(await greenElements(page)).toEqual([]);

  for (const name of ['Users', 'Codes', 'Courses', 'Logs', 'Throttler', 'Notifications']) {
    await nav.getByRole('link', { name: new RegExp(`^${name}`) }).click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect.poll(() => greenElements(page), { message: `${name} view`, timeout: 15_000 }).toEqual([]);
  }
});
