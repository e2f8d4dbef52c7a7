import { expect, test } from './support/test.js';
import { Backend } from './support/api.js';
import { openSignedIn } from './support/console.js';
import { SERVICE_NAMES } from '../src-backend/contracts/services.js';

const SIX = SERVICE_NAMES;

test('the status view shows the six processes running, with pid, memory, latency and transport', async ({ page }) => {
  await openSignedIn(page, Backend.fromEnv(), '/status');
  const table = page.getByTestId('process-table');
  for (const name of SIX) {
    const row = table.locator(`tr[data-process="${name}"]`);
    await expect(row).toHaveAttribute('data-state', 'running');
    await expect(row.locator('[data-col="pid"]')).toHaveText(/^\d+$/);
    // Real figures from the supervisor, not the "—" shown for a missing value.
    await expect(row.locator('[data-col="uptime"]')).toHaveText(/^\d+(s|m \d+s|h \d+m)$/);
    await expect(row.locator('[data-col="memory"]')).toHaveText(/^[\d.]+ (KB|MB|GB)$/);
    await expect(row.locator('[data-col="health"]')).toHaveText(/^[\d.]+ ms$/);
  }
  await expect(page.getByTestId('running-count')).toHaveText('6 / 6');
  await expect(page.getByTestId('overall')).toContainText('Healthy');
  await expect(table.getByText('Unix socket').first()).toBeVisible();
});

test('a process killed with SIGKILL goes restarting → running with a new pid', async ({ page }) => {
  const backend = Backend.fromEnv();
  const token = await openSignedIn(page, backend, '/status');
  const row = page.getByTestId('process-table').locator('tr[data-process="teacher_node"]');
  await expect(row).toHaveAttribute('data-state', 'running');
  const before = (await backend.status(token)).processes.find((p) => p.name === 'teacher_node')!;
  expect(before.pid).toBeGreaterThan(0);

  // Record every state the row shows, however briefly, from inside the page.
  await page.evaluate(`(() => {
    const row = document.querySelector('tr[data-process="teacher_node"]');
    window.__states = [row.getAttribute('data-state')];
    new MutationObserver(() => {
      const s = row.getAttribute('data-state');
      if (window.__states[window.__states.length - 1] !== s) window.__states.push(s);
    }).observe(row, { attributes: true, attributeFilter: ['data-state'] });
  })()`);

  process.kill(before.pid!, 'SIGKILL');

  await expect
    .poll(() => page.evaluate('window.__states.join(",")'), { timeout: 20_000 })
    .toMatch(/restarting.*running$/);
  const after = (await backend.status(token)).processes.find((p) => p.name === 'teacher_node')!;
  expect(after.state).toBe('running');
  expect(after.pid).not.toBe(before.pid);
  expect(after.restarts).toBeGreaterThan(before.restarts);
  await expect(row.locator('[data-col="pid"]')).toHaveText(String(after.pid));
});

test('stop and start a process from the console, with a confirmation before stopping', async ({ page }) => {
  await openSignedIn(page, Backend.fromEnv(), '/status');
  const row = page.getByTestId('process-table').locator('tr[data-process="student_node"]');
  await expect(row).toHaveAttribute('data-state', 'running');

  await row.getByRole('button', { name: 'Stop Student Node', exact: true }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Stop Student Node?' });
  await expect(confirm).toBeVisible();
  await page.getByTestId('confirm-ok').click();
  await expect(row).toHaveAttribute('data-state', 'stopped', { timeout: 20_000 });
  await expect(page.getByTestId('overall')).toContainText('Degraded');
  await expect(page.getByTestId('running-count')).toHaveText('5 / 6');

  await row.getByRole('button', { name: 'Start Student Node', exact: true }).click();
  await expect(row).toHaveAttribute('data-state', 'running', { timeout: 20_000 });
  await expect(page.getByTestId('overall')).toContainText('Healthy');
});

test('the Restart button restarts a process after a confirmation: a new pid, running again', async ({ page }) => {
  const backend = Backend.fromEnv();
  const token = await openSignedIn(page, backend, '/status');
  const row = page.getByTestId('process-table').locator('tr[data-process="queue_node"]');
  await expect(row).toHaveAttribute('data-state', 'running');
  const before = (await backend.status(token)).processes.find((p) => p.name === 'queue_node')!;
  await expect(row.locator('[data-col="pid"]')).toHaveText(String(before.pid));

  await row.getByRole('button', { name: 'Restart Queue Node', exact: true }).click();
  await expect(page.getByRole('alertdialog', { name: 'Restart Queue Node?' })).toBeVisible();
  await page.getByTestId('confirm-ok').click();

  await expect(row.locator('[data-col="pid"]')).not.toHaveText(String(before.pid), { timeout: 20_000 });
  await expect(row).toHaveAttribute('data-state', 'running', { timeout: 20_000 });
  const after = (await backend.status(token)).processes.find((p) => p.name === 'queue_node')!;
  expect(after.state).toBe('running');
  expect(after.pid).not.toBe(before.pid);
  await expect(row.locator('[data-col="pid"]')).toHaveText(String(after.pid));
  // The uptime starts over for the new process, and the other columns carry real values.
  await expect(row.locator('[data-col="uptime"]')).toHaveText(/^\d+s$/);
  await expect(row.locator('[data-col="memory"]')).toHaveText(/^[\d.]+ (KB|MB|GB)$/);
  await expect(row.locator('[data-col="health"]')).toHaveText(/^[\d.]+ ms$/);
});
