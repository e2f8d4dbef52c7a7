import fs from 'node:fs';
import { expect, test } from './support/test.js';
import { Backend } from './support/api.js';
import { openSignedIn, screenshot } from './support/console.js';

const kept = async (text: string | null) =>
  Number((text ?? '').match(/of ([\d,]+) kept/)?.[1]?.replace(/,/g, '') ?? NaN);

test('logs open with a backlog and stream new lines live; filters and pause work', async ({ page }) => {
  const backend = Backend.fromEnv();
  const token = await openSignedIn(page, backend, '/logs');
  const list = page.getByTestId('logs-list');
  await expect(list).toBeVisible();
  await expect(page.getByTestId('log-line').first()).toBeVisible();
  const counts = page.getByTestId('log-counts');
  const before = await kept(await counts.textContent());
  expect(before).toBeGreaterThan(0);

  // Something happens in the backend: restarting a service writes new lines, which stream in.
  await backend.ok('POST', '/api/supervisor/queue_node/restart', {}, token);
  await expect.poll(async () => kept(await counts.textContent()), { timeout: 15_000 }).toBeGreaterThan(before);

  // Filter to one service: every shown line is from it.
  await page.getByRole('group', { name: 'Services' }).getByRole('button', { name: 'queue_node' }).click();
  await expect(page.getByTestId('log-line').first()).toBeVisible();
  const services = await page.locator('[data-testid="log-line"] .svc').allTextContents();
  expect(services.length).toBeGreaterThan(0);
  expect(new Set(services)).toEqual(new Set(['queue_node']));
  await screenshot(page, 'logs');

  // Download gives exactly what is shown, one line per record.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^course-selection-logs-.*\.log$/);
  const lines = fs
    .readFileSync((await download.path())!, 'utf8')
    .trim()
    .split('\n');
  expect(lines.length).toBeGreaterThan(0);
  for (const l of lines) expect(l).toMatch(/^\S+ \w+\s+\[queue_node\] /);

  // Text search narrows further; a search nothing matches shows the empty state.
  await page.getByTestId('logs-search').fill('zz-no-such-line-zz');
  await expect(page.getByTestId('logs-empty')).toContainText('No line matches');
  await page.getByTestId('logs-search').fill('');
  await page.getByRole('group', { name: 'Services' }).getByRole('button', { name: 'All' }).click();

  // Pause holds new lines back and counts them; resume shows them.
  await page.getByTestId('logs-pause').click();
  await expect(page.getByTestId('logs-pause')).toHaveAttribute('aria-pressed', 'true');
  await backend.ok('POST', '/api/supervisor/student_node/restart', {}, token);
  await expect(page.getByTestId('logs-pause')).toContainText(/Resume \(\d+ new\)/, { timeout: 15_000 });
  await page.getByTestId('logs-pause').click();
  await expect(page.getByTestId('logs-pause')).toHaveText('Pause');
});
