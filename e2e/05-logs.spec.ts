import fs from 'node:fs';
import { expect, test } from './support/test.js';
import { Backend } from './support/api.js';
import { openSignedIn } from './support/console.js';

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

test('logs: the level filter, and auto-scroll that follows the tail until the admin scrolls up', async ({ page }) => {
  const backend = Backend.fromEnv();
  // A shorter window, so a handful of restarts fills more than one screen of lines.
  await page.setViewportSize({ width: 1280, height: 560 });
  const token = await openSignedIn(page, backend, '/logs');
  const counts = page.getByTestId('log-counts');
  const list = page.getByTestId('logs-list');
  await expect(list).toBeVisible();
  const restart = async (name: string) => {
    const before = await kept(await counts.textContent());
    await backend.ok('POST', `/api/supervisor/${name}/restart`, {}, token);
    await expect.poll(async () => kept(await counts.textContent()), { timeout: 15_000 }).toBeGreaterThan(before);
  };
  const geometry = () =>
    list.evaluate((el) => ({ top: el.scrollTop, height: el.clientHeight, scroll: el.scrollHeight }));
  const atBottom = async () => {
    const g = await geometry();
    return g.scroll - g.top - g.height < 22 * 2;
  };
  for (let i = 0; (await geometry()).scroll < (await geometry()).height * 2 && i < 12; i++)
    await restart(i % 2 ? 'student_node' : 'queue_node');
  expect((await geometry()).scroll).toBeGreaterThan((await geometry()).height);

  // Level: "warn and above" hides every info line; back to all shows them again.
  const levels = () => page.locator('[data-testid="log-line"] .lvl').allTextContents();
  expect((await levels()).map((l) => l.trim())).toContain('info');
  await page.getByTestId('logs-level').selectOption('warn');
  await expect
    .poll(async () => (await levels()).map((l) => l.trim()).filter((l) => !['warn', 'error', 'fatal'].includes(l)))
    .toEqual([]);
  const total = await kept(await counts.textContent());
  const shown = Number((await counts.textContent())!.match(/^([\d,]+) shown/)![1]!.replace(/,/g, ''));
  expect(shown).toBeLessThan(total);
  await page.getByTestId('logs-level').selectOption('');
  await expect(page.getByTestId('log-line').first()).toBeVisible();
  expect((await levels()).map((l) => l.trim())).toContain('info');

  // Following the tail: new lines keep the view at the bottom.
  await expect.poll(atBottom).toBe(true);
  await restart('queue_node');
  await expect.poll(atBottom).toBe(true);
  await expect(page.getByText('Following newest')).toBeVisible();

  // Scrolling up stops following: new lines arrive, the view stays where the admin put it.
  await list.evaluate((el) => {
    el.scrollTop = 0;
    el.dispatchEvent(new Event('scroll'));
  });
  const follow = page.getByRole('button', { name: 'Follow newest ↓' });
  await expect(follow).toBeVisible();
  await restart('student_node');
  expect((await geometry()).top).toBe(0);

  // "Follow newest" jumps to the end and follows again.
  await follow.click();
  await expect.poll(atBottom).toBe(true);
  await expect(follow).toBeHidden();
  await restart('queue_node');
  await expect.poll(atBottom).toBe(true);
});
