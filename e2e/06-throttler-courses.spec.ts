import { expect, test } from './support/test.js';
import type { Course } from '../src-backend/contracts/courses.js';
import type { ThrottlerConfig } from '../src-backend/contracts/realtime.js';
import { Backend } from './support/api.js';
import { openSignedIn, screenshot } from './support/console.js';

/** A course, the window open, and a signed-in student of an allowed group: a real seat change is one call away. */
async function scenario(backend: Backend, token: string, code: string) {
  const { course } = await backend.ok<{ course: Course }>(
    'POST',
    '/api/teacher_node/teacher/course/create',
    {
      code,
      name: `E2E course ${code}`,
      capacity: 10,
      credits: 3,
      slots: [{ day: 2, start: '10:00', end: '11:30' }],
      location: 'Room 1',
      allowedGroups: [],
    },
    token,
  );
  await backend.ok('POST', '/api/teacher_node/admin/selection-window/open', {}, token);
  return course;
}

async function studentSelects(backend: Backend, token: string, username: string, courseId: number): Promise<void> {
  const s = await backend.createStudent(token, username);
  const { token: st } = await backend.studentLogin(username, s.password, s.totpSecret);
  const res = await backend.call<{ status: string }>(
    'POST',
    '/api/student_node/student/course/select',
    { courseId },
    st,
  );
  expect([200, 202]).toContain(res.status);
}

test('a seat change waits in the throttler and a flush empties the pending list', async ({ page }) => {
  const backend = Backend.fromEnv();
  const token = await openSignedIn(page, backend, '/throttler');
  const original = await backend.ok<ThrottlerConfig>('GET', '/api/realtime/api/throttler/config', undefined, token);
  const course = await scenario(backend, token, 'E2E101');

  try {
    // A long window for seat counts, set from the console: the next change will wait.
    await page.getByLabel('New event type').fill('course:seats');
    await page.getByLabel('New window in milliseconds').fill('60000');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await expect(page.getByLabel('Window for course:seats in milliseconds')).toHaveValue('60000');

    await studentSelects(backend, token, 'thr.student', course.id);
    const rows = page.getByTestId('pending-row');
    await expect(rows.filter({ hasText: 'course:seats' })).toHaveCount(1, { timeout: 15_000 });
    await expect(page.getByTestId('pending-count')).not.toContainText(/^0 /);
    await screenshot(page, 'throttler');

    await page.getByTestId('flush').click();
    await page.getByTestId('confirm-ok').click();
    await expect(page.getByText('No events are waiting')).toBeVisible();
    await expect(rows).toHaveCount(0);
    await expect(page.getByTestId('pending-count')).toContainText('0 pending');
  } finally {
    const rule = original.events['course:seats'] ?? null;
    await backend.ok('PUT', '/api/realtime/api/throttler/config', { events: { 'course:seats': rule } }, token);
  }
});

test('the courses view fills seats live from /courses events', async ({ page }) => {
  const backend = Backend.fromEnv();
  const token = await openSignedIn(page, backend, '/courses');
  const course = await scenario(backend, token, 'E2E202');
  await page.reload();
  const row = page.getByTestId('courses-table').locator(`tr[data-course="E2E202"]`);
  await expect(row.getByTestId('seat-text')).toHaveText('0 / 10');
  await expect(page.getByTestId('window-state')).toContainText('open');

  // No reload from here: the count moves because the course room pushes it.
  await studentSelects(backend, token, 'live.one', course.id);
  await studentSelects(backend, token, 'live.two', course.id);
  await expect(row.getByTestId('seat-text')).toHaveText('2 / 10', { timeout: 15_000 });
  await screenshot(page, 'courses');

  // Closing the window asks first.
  await page.getByTestId('window-toggle').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('window-state')).toContainText('closed');
});
