import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { Backend } from './support/api.js';
import {
  ARTIFACTS,
  FLOW_SCREENSHOTS,
  VIEW_SCREENSHOTS,
  dismissToasts,
  expectNoHorizontalOverflow,
  openSignedIn,
  screenshot,
} from './support/console.js';
import { SEED_STUDENT_COUNT, seedCampus, selectCourses, type Seeded } from './support/seed.js';
import { startServer, type RunningServer } from './support/server.js';
import { expect, test } from './support/test.js';

/**
 * A seeded campus on its own server-mode tree: paging, sorting and the role tabs need more than
 * a page of users, and the README's screenshots need data that looks real. Walks every view at
 * 1280×800, checks nothing overflows sideways, saves one screenshot each, then checks them all.
 */
test.describe.configure({ mode: 'serial' });

let server: RunningServer;
let backend: Backend;
let campus: Seeded;
const tourStarted = Date.now();

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const adminPassword = 'campus-tour-boss-password';
  server = await startServer({
    outDir: path.resolve(process.env.CSC_OUT || 'out'),
    adminPassword,
    logFile: path.join(ARTIFACTS, 'server-campus.log'),
  });
  backend = new Backend(server.baseURL, adminPassword);
  const { token } = await backend.adminLogin();
  campus = await seedCampus(backend, token);
  // Seats partly taken, by real selections: a dozen students pick two or three courses each.
  const by = (code: string) => campus.courses.find((c) => c.code === code)!;
  const picks = [
    ['CS101', 'CS220', 'MA150'],
    ['CS101', 'CS340'],
    ['CS220', 'MA210', 'PH120'],
    ['CS101', 'CS220', 'CS340'],
    ['MA150', 'MA210'],
    ['CS101', 'PH120'],
    ['CS220', 'CS340', 'MA150'],
    ['CS101', 'CS220'],
    ['CS340', 'MA210'],
    ['CS101', 'CS220', 'CS340'],
    ['MA150', 'PH120'],
    ['CS101', 'CS340'],
  ].map((codes) => codes.map(by));
  await Promise.all(picks.map((courses, i) => selectCourses(backend, campus.students[i]!, courses)));
});
test.afterAll(async () => server?.stop());

async function tour(page: Page, route: string, heading: string): Promise<string> {
  const token = await openSignedIn(page, backend, route);
  await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
  return token;
}

async function shoot(page: Page, name: (typeof VIEW_SCREENSHOTS)[number]): Promise<void> {
  await dismissToasts(page);
  await expectNoHorizontalOverflow(page);
  await screenshot(page, name);
}

test('login', async ({ page }) => {
  await page.goto(`${server.baseURL}/`);
  await expect(page.getByTestId('login-form')).toBeVisible();
  await shoot(page, 'login');
});

test('status: real uptime, memory and latency for all six', async ({ page }) => {
  await tour(page, '/status', 'Status');
  const rows = page.getByTestId('process-table').locator('tbody tr');
  await expect(rows).toHaveCount(6);
  for (const row of await rows.all()) {
    await expect(row).toHaveAttribute('data-state', 'running');
    await expect(row.locator('[data-col="uptime"]')).toHaveText(/^\d+(s|m \d+s|h \d+m)$/);
    await expect(row.locator('[data-col="memory"]')).toHaveText(/^[\d.]+ (KB|MB|GB)$/);
    await expect(row.locator('[data-col="health"]')).toHaveText(/^[\d.]+ ms$/);
  }
  await shoot(page, 'status');
});

test('users: role tabs, sorting and paging over a seeded campus', async ({ page }) => {
  await tour(page, '/users', 'Users');
  const table = page.getByTestId('users-table');
  const usernames = () =>
    table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-username')));
  const pager = page.getByRole('navigation', { name: 'Pages' });

  // Paging: 36 students at 25 a page.
  await expect(pager).toContainText(`1–25 of ${SEED_STUDENT_COUNT}`);
  await expect(pager.locator('[aria-current="page"]')).toHaveText('Page 1 of 2');
  const first = await usernames();
  expect(first).toHaveLength(25);
  await pager.getByRole('button', { name: 'Next page' }).click();
  await expect(pager).toContainText(`26–${SEED_STUDENT_COUNT} of ${SEED_STUDENT_COUNT}`);
  await expect(table.locator('tbody tr')).toHaveCount(SEED_STUDENT_COUNT - 25);
  const second = await usernames();
  expect(second.filter((u) => first.includes(u))).toEqual([]);
  await pager.getByLabel('Per page').selectOption('50');
  await expect(table.locator('tbody tr')).toHaveCount(SEED_STUDENT_COUNT);
  await expect(pager.locator('[aria-current="page"]')).toHaveText('Page 1 of 1');

  // Sorting by username: ascending, then descending, announced with aria-sort.
  const header = table.getByRole('columnheader', { name: /Username/ });
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  const sorted = (u: (string | null)[]) => [...u].sort((a, b) => (a! < b! ? -1 : a! > b! ? 1 : 0));
  await expect
    .poll(async () => {
      const u = await usernames();
      return JSON.stringify(u) === JSON.stringify(sorted(u));
    })
    .toBe(true);
  const asc = await usernames();
  expect(asc).toHaveLength(SEED_STUDENT_COUNT);
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(async () => (await usernames())[0]).toBe(asc[asc.length - 1]);

  // The teacher and admin tabs list only those roles.
  const roles = page.getByRole('group', { name: 'Role' });
  await roles.getByRole('button', { name: 'Teachers' }).click();
  await expect(roles.getByRole('button', { name: 'Teachers' })).toHaveAttribute('aria-pressed', 'true');
  await expect(table.locator('tbody tr')).toHaveCount(4);
  await expect(table.locator('tr[data-username="m.chen"]')).toContainText('Dr. Maria Chen');
  await expect(page.getByTestId('add-user')).toHaveText('Add teacher');
  await roles.getByRole('button', { name: 'Admins' }).click();
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table.locator('tr[data-username="admin"]')).toBeVisible();
  await expect(page.getByTestId('import-csv')).toHaveCount(0);

  await roles.getByRole('button', { name: 'Students' }).click();
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  await shoot(page, 'users');
});

test('users: adding a student shows the 2FA QR code once', async ({ page }) => {
  await tour(page, '/users', 'Users');
  await page.getByTestId('add-user').click();
  const dialog = page.getByRole('dialog', { name: 'Add student' });
  await dialog.getByLabel('Username').fill('lena.hoffmann');
  await dialog.getByLabel('Full name').fill('Lena Hoffmann');
  await dialog.getByLabel('Email').fill('lena.hoffmann@student.example.edu');
  await dialog.getByLabel('Group').fill('cs-2025');
  await dialog.getByTestId('add-user-submit').click();
  await expect(page.getByTestId('qr-image')).toBeVisible();
  await page.getByTestId('qr-image').evaluate((img) => (img as unknown as { decode(): Promise<void> }).decode());
  await shoot(page, 'users-added-student');
});

test('codes', async ({ page }) => {
  await tour(page, '/codes', 'Codes');
  const { token } = await backend.adminLogin();
  await backend.ok(
    'POST',
    '/api/auth_node/generate/registration-code',
    { userType: 'teacher', maxUses: 3, expiresInHours: 168 },
    token,
  );
  await backend.ok(
    'POST',
    '/api/auth_node/generate/reset-code',
    { username: 'noah.schmidt', expiresInHours: 24 },
    token,
  );
  await page.getByTestId('code-type').selectOption('student');
  await page.getByTestId('code-max-uses').fill('40');
  await page.getByLabel('Group (optional)').fill('cs-2025');
  await page.getByTestId('code-generate').click();
  await expect(page.getByTestId('fresh-code')).toHaveCount(1);
  await expect(page.getByTestId('code-row')).toHaveCount(3);
  await shoot(page, 'codes');
});

test('courses', async ({ page }) => {
  await tour(page, '/courses', 'Courses');
  const row = page.getByTestId('courses-table').locator('tr[data-course="CS101"]');
  await expect(row.getByTestId('seat-text')).toHaveText('7 / 12');
  await expect(row).toContainText('Dr. Maria Chen');
  await shoot(page, 'courses');
});

test('logs', async ({ page }) => {
  await tour(page, '/logs', 'Logs');
  await expect(page.getByTestId('log-line').first()).toBeVisible();
  await shoot(page, 'logs');
});

test('throttler: a pending seat event and the emitted/coalesced chart', async ({ page }) => {
  const token = await tour(page, '/throttler', 'Throttler');
  await backend.ok(
    'PUT',
    '/api/realtime/api/throttler/config',
    { events: { 'course:seats': { windowMs: 60_000, mode: 'latest' } } },
    token,
  );
  // Three students pick the same two courses inside the window: their seat events fold into one per course.
  const later = campus.courses.filter((c) => c.code === 'MA210' || c.code === 'PH120');
  for (const student of campus.students.slice(20, 23)) {
    await selectCourses(backend, student, later);
    // queue_node itself sends a course's seat count at most every 250 ms (the latest one), so
    // students closer together than that reach the throttler as one change, not several
    await page.waitForTimeout(400);
  }
  const seatRows = page.getByTestId('pending-row').filter({ hasText: 'course:seats' });
  await expect(seatRows).toHaveCount(2, { timeout: 15_000 });
  // Folded: more than one seat change waits as one event per course.
  await expect(seatRows.first().locator('td').nth(3)).not.toHaveText('1');
  // A few samples so the chart shows a shape, not a single segment.
  const points = () =>
    page.locator('polyline.emitted').evaluate((el) => el.getAttribute('points')!.trim().split(/\s+/).length);
  await expect.poll(points, { timeout: 20_000 }).toBeGreaterThanOrEqual(5);
  await page.evaluate('window.scrollTo(0, 0)');
  await shoot(page, 'throttler');
});

test('notifications', async ({ page }) => {
  await tour(page, '/notifications', 'Notifications');
  const send = async (kind: string, title: string, message: string) => {
    await page.getByLabel(kind).check();
    await page.getByTestId('notify-title').fill(title);
    await page.getByTestId('notify-message').fill(message);
    await page.getByTestId('notify-send').click();
    if (kind !== 'One user') await page.getByTestId('confirm-ok').click();
    await expect(page.getByTestId('notify-result')).toBeVisible();
  };
  await page.getByLabel('A role').check();
  await page.getByLabel('Role', { exact: true }).selectOption('teacher');
  await send('A role', 'Grades due Friday', 'Please enter final grades by Friday 17:00.');
  await page.getByLabel('A group').check();
  await page.getByLabel('Student group').fill('cs-2024');
  await send('A group', 'CS101 moves to Turing Hall 2.11', 'From next week on, CS101 meets in Turing Hall 2.11.');
  await page.getByLabel('One user').check();
  await page.getByTestId('recipient-search').fill('amelia');
  await page.locator('button.result[data-username="amelia.novak"]').click();
  await send('One user', 'Your schedule is confirmed', 'All three of your selections were accepted.');
  await expect(page.getByTestId('sent-table').locator('tbody tr')).toHaveCount(3);
  await shoot(page, 'notifications');
});

test('audit', async ({ page }) => {
  // A failed sign-in of the day, next to everything the tour did as admin.
  await backend.call('POST', '/api/auth_node/login', {
    username: 'j.okafor',
    password: 'not-his-password',
    totp: '000000',
  });
  await tour(page, '/audit', 'Audit');
  await expect(page.locator('[data-testid="audit-row"][data-action="login_failed"]').first()).toBeVisible();
  await expect(page.getByTestId('audit-row').nth(5)).toBeVisible();
  await shoot(page, 'audit');
});

test('every screenshot exists as a 1280×800 PNG; the views were shot in this run', () => {
  for (const name of [...VIEW_SCREENSHOTS, ...FLOW_SCREENSHOTS]) {
    const file = path.join(ARTIFACTS, `${name}.png`);
    expect(fs.existsSync(file), `${name}.png exists`).toBe(true);
    const png = fs.readFileSync(file);
    expect(png.length, `${name}.png is not empty`).toBeGreaterThan(1000);
    expect(png.subarray(1, 4).toString('latin1'), `${name}.png is a PNG`).toBe('PNG');
    // IHDR: width and height, big-endian, at bytes 16 and 20.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)], `${name}.png size`).toEqual([1280, 800]);
    if ((VIEW_SCREENSHOTS as readonly string[]).includes(name))
      expect(fs.statSync(file).mtimeMs, `${name}.png written by this run`).toBeGreaterThanOrEqual(tourStarted - 1000);
  }
});
