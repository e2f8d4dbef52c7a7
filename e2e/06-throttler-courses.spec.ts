import { io, type Socket } from 'socket.io-client';
import { expect, test } from './support/test.js';
import type { Course } from '../src-backend/contracts/courses.js';
import type { ThrottlerConfig } from '../src-backend/contracts/realtime.js';
import { Backend } from './support/api.js';
import { openSignedIn } from './support/console.js';

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

  // Closing the window asks first.
  await page.getByTestId('window-toggle').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('window-state')).toContainText('closed');
});

test('force-emit from the console reaches a /courses client at once, and the chart draws its samples', async ({
  page,
}) => {
  const backend = Backend.fromEnv();
  const token = await openSignedIn(page, backend, '/throttler');
  const course = await scenario(backend, token, 'E2E303');
  const s = await backend.createStudent(token, 'force.watch');
  const { token: st } = await backend.studentLogin('force.watch', s.password, s.totpSecret);
  // A real /courses client watching the course's room.
  const socket: Socket = io(`${backend.baseURL}/courses`, {
    auth: { token: st },
    transports: ['websocket'],
    extraHeaders: { origin: backend.baseURL },
    reconnection: false,
  });
  const seen: unknown[] = [];
  socket.on('course:seats', (d: unknown) => seen.push(d));
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (e) => reject(new Error(`courses socket: ${e.message}`)));
    });
    await socket.timeout(5000).emitWithAck('course:watch', { courseIds: [course.id] });

    // Bad input is caught before sending.
    await page.getByLabel('Event', { exact: true }).fill('course:seats');
    await page.getByLabel('Data (JSON object)').fill('[1, 2]');
    await page.getByRole('button', { name: 'Emit now' }).click();
    await expect(page.locator('#fe-data-err')).toContainText('JSON object');

    const payload = { courseId: course.id, enrolled: 7, capacity: 10, seatsLeft: 3 };
    await page.getByLabel('Room (optional)').fill(`course:${course.id}`);
    await page.getByLabel('Data (JSON object)').fill(JSON.stringify(payload));
    await page.getByRole('button', { name: 'Emit now' }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Emitted to / })).toContainText('/courses');
    await expect.poll(() => seen, { timeout: 10_000 }).toContainEqual(payload);
  } finally {
    socket.disconnect();
  }

  // The chart samples /stats every 2 s: a polyline with more points each time.
  const points = () =>
    page.locator('polyline.emitted').evaluate((el) => el.getAttribute('points')!.trim().split(/\s+/).length);
  await expect.poll(points, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  const first = await points();
  await expect.poll(points, { timeout: 20_000 }).toBeGreaterThan(first);
  for (const p of (await page.locator('polyline.emitted').getAttribute('points'))!.trim().split(/\s+/))
    expect(p).toMatch(/^-?[\d.]+,-?[\d.]+$/);
});

test('the selection window opens from the console after a confirmation', async ({ page }) => {
  const backend = Backend.fromEnv();
  const token = await openSignedIn(page, backend, '/courses');
  await backend.ok('POST', '/api/teacher_node/admin/selection-window/close', {}, token);
  await page.reload();
  await expect(page.getByTestId('window-state')).toContainText('closed');
  await expect(page.getByTestId('window-toggle')).toHaveText('Open now');

  // Cancel changes nothing.
  await page.getByTestId('window-toggle').click();
  await expect(page.getByRole('alertdialog', { name: 'Open course selection now?' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('window-state')).toContainText('closed');

  await page.getByTestId('window-toggle').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('window-state')).toContainText('open');
  await expect(page.getByTestId('window-toggle')).toHaveText('Close now');
  const win = await backend.ok<{ open: boolean }>('GET', '/api/teacher_node/admin/selection-window', undefined, token);
  expect(win.open).toBe(true);
});
