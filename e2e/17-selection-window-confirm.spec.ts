import type { SelectionWindow } from '../src-backend/contracts/courses.js';
import type { UserPage } from '../src-backend/contracts/auth.js';
import { expect, test } from './support/test.js';
import { Backend } from './support/api.js';
import { openSignedIn } from './support/console.js';

test('a schedule that would close an open window asks first and says for how many students', async ({ page }) => {
  const backend = Backend.fromEnv();
  const token = await openSignedIn(page, backend, '/courses');
  await backend.createStudent(token, `win.${Date.now().toString(36)}`);
  const students = (
    await backend.ok<UserPage>('GET', '/api/auth_node/admin/users?role=student&pageSize=1', undefined, token)
  ).total;
  await backend.ok('POST', '/api/teacher_node/admin/selection-window/open', {}, token);
  const window = () => backend.ok<SelectionWindow>('GET', '/api/teacher_node/admin/selection-window', undefined, token);
  await page.reload();
  await expect(page.getByTestId('window-state')).toContainText('open');

  // An "Opens" time in the future closes selection until then.
  const tomorrow = new Date(Date.now() + 24 * 3_600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const local = `${tomorrow.getFullYear()}-${pad(tomorrow.getMonth() + 1)}-${pad(tomorrow.getDate())}T09:00`;
  await page.getByLabel('Opens').fill(local);
  await page.getByRole('button', { name: 'Save schedule' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Close course selection now?' });
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('confirm-message')).toContainText(
    `This closes selection now for ${students.toLocaleString('en-US')} student`,
  );
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect((await window()).open).toBe(true);

  await page.getByRole('button', { name: 'Save schedule' }).click();
  await page.getByTestId('confirm-ok').click();
  await expect.poll(async () => (await window()).open).toBe(false);
  await expect(page.getByTestId('window-state')).toContainText('closed');
  // Put it back for the specs after this one.
  await backend.ok('POST', '/api/teacher_node/admin/selection-window/open', {}, token);
});
