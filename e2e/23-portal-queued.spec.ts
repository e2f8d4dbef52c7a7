import path from 'node:path';
import type { Page } from '@playwright/test';
import type { Course } from '../src-backend/contracts/courses.js';
import { Backend } from './support/api.js';
import { ARTIFACTS } from './support/console.js';
import { apiSignIn, createCourse, expectAccessible, freshCode, openPortalAs } from './support/portal.js';
import { startServer, type RunningServer } from './support/server.js';
import { expect, test } from './support/test.js';

/**
 * The queue's slow answers, seen in a real browser against real processes. A server-mode tree
 * of its own, whose queue answers "queued" after 1 ms and works off its backlog one ticket per
 * transaction with a 25 ms pause after each (QUEUE_ANSWER_MS, QUEUE_MAX_DECIDE,
 * QUEUE_BACKLOG_PAUSE_MS: queue.test.ts checks them): a line of 400 takes about 10 s to drain
 * however fast the machine is, so it really keeps the student's request waiting, and stopping
 * queue_node through the supervisor holds it still.
 */
test.describe.configure({ mode: 'serial' });

/** tickets in front of the student: at 40 a second, about 10 s of line */
const BACKLOG = 400;
let server: RunningServer;
let backend: Backend;
let admin: string;
let course: Course;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const adminPassword = 'Q-line-console-pass-2026';
  server = await startServer({
    outDir: path.resolve(process.env.CSC_OUT || 'out'),
    adminPassword,
    logFile: path.join(ARTIFACTS, 'server-queued.log'),
    env: { QUEUE_ANSWER_MS: '1', QUEUE_MAX_DECIDE: '1', QUEUE_BACKLOG_PAUSE_MS: '25' },
  });
  backend = new Backend(server.baseURL, adminPassword);
  admin = (await backend.adminLogin()).token;
  await backend.ok('POST', '/api/teacher_node/admin/selection-window/open', {}, admin);
  course = await createCourse(backend, admin, {
    code: 'Q-LINE',
    name: 'The long line',
    capacity: 5,
    credits: 1,
    slots: [{ day: 2, start: '08:00', end: '09:00' }],
  });
});
test.afterAll(async () => server?.stop());

async function signedInStudent(username: string): Promise<{ token: string; password: string; secret: string }> {
  const s = await backend.createStudent(admin, username);
  const { token } = await apiSignIn(backend, username, s.password, s.totpSecret);
  return { token, password: s.password, secret: s.totpSecret };
}
const student = async (username: string) => (await signedInStudent(username)).token;

const outcomeOf = (page: Page) =>
  page.locator('[data-testid="course-card"][data-code="Q-LINE"]').getByTestId('outcome');

/** Every distinct phase:status:text the outcome shows, recorded in the page as it changes. */
async function recordOutcomes(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    window.__seen = [];
    new MutationObserver(() => {
      const o = document.querySelector('[data-testid="course-card"][data-code="Q-LINE"] [data-testid="outcome"]');
      const s = o ? o.getAttribute('data-phase') + ':' + o.getAttribute('data-status') + ':' + o.textContent.trim() : null;
      if (s && window.__seen.at(-1) !== s) window.__seen.push(s);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  })()`);
}

const positionIn = (text: string | null) => Number(/you are number (\d+) in line/.exec(text ?? '')?.[1] ?? NaN);

test('a request the queue cannot decide at once says "queued" with its live position, then the decision', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const ahead = await student('queue.ahead');
  const token = await student('queue.waiting');
  await openPortalAs(page, backend, token, '/courses');
  await expect(page.locator('[data-testid="course-card"][data-code="Q-LINE"]')).toBeVisible();
  await recordOutcomes(page);

  // The line in front: a student who clicks Select over and over. Every request is a ticket.
  const answers = await Promise.all(
    Array.from({ length: BACKLOG }, () =>
      backend.call('POST', '/api/student_node/student/course/select', { courseId: course.id }, ahead),
    ),
  );
  expect(answers.every((a) => a.status === 200 || a.status === 202)).toBe(true);

  await page.getByRole('button', { name: 'Select Q-LINE' }).click();
  const outcome = outcomeOf(page);
  await expect(outcome).toHaveAttribute('data-phase', 'queued');
  await expect(outcome).toContainText(/Queued: you are number \d+ in line for Q-LINE/);
  await expect(page.getByRole('button', { name: 'Select Q-LINE' })).toBeDisabled();

  // Hold the line still: nothing decides while queue_node is stopped, and the page must not
  // pretend otherwise; the place in line it shows is the real one, read back from the server.
  await backend.ok('POST', '/api/supervisor/queue_node/stop', {}, admin);
  await page.waitForTimeout(2500); // two of the page's queue polls
  await expect(outcome).toHaveAttribute('data-phase', 'queued');
  const held = positionIn(await outcome.textContent());
  expect(held).toBeGreaterThan(1);
  const status = await backend.ok<{ tickets: { position: number | null; status: string | null }[] }>(
    'GET',
    '/api/student_node/student/queue/status',
    undefined,
    token,
  );
  expect(status.tickets).toEqual([expect.objectContaining({ status: null, position: held })]);
  await expectAccessible(page, 'catalogue, queued');

  // The queue comes back: the position moves down live, then the decision shows, no reload.
  await backend.ok('POST', '/api/supervisor/queue_node/start', {}, admin);
  await expect(outcome).toHaveAttribute('data-phase', 'decided', { timeout: 60_000 });
  await expect(outcome).toHaveAttribute('data-status', 'selected');
  await expect(outcome).toContainText('Selected: Q-LINE is on your timetable');
  await expect(page.locator('[data-testid="course-card"][data-code="Q-LINE"]').getByTestId('held')).toBeVisible();

  const seen = (await page.evaluate('window.__seen')) as string[];
  const positions = seen.filter((s) => s.startsWith('queued:')).map(positionIn);
  console.log(`queued: the page showed ${seen.length} states; places in line ${positions.join(' → ')}`);
  expect(seen[0]).toMatch(/^sending:/);
  expect(seen.at(-1)).toMatch(/^decided:selected:/);
  expect(positions.length).toBeGreaterThan(0);
  expect(positions.every((p) => Number.isInteger(p) && p >= 1)).toBe(true);
  // only ever forward in line, and it did move while the page was open
  expect(positions).toEqual([...positions].sort((a, b) => b - a));
  expect(new Set(positions).size).toBeGreaterThan(1);
});

test('seat counts say they are not live while realtime is down, with their age, and come back by themselves', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const token = await student('live.watcher');
  const late = await student('live.late');
  await openPortalAs(page, backend, token, '/courses');
  const card = page.locator('[data-testid="course-card"][data-code="Q-LINE"]');
  const seats = card.getByTestId('seats');
  await expect(seats).toHaveAttribute('data-live', 'true');
  const left = Number(await card.getByTestId('seats-left').textContent());
  expect(left).toBeGreaterThan(0);
  await expect(page.getByTestId('live-link')).toHaveCount(0);

  await backend.ok('POST', '/api/supervisor/realtime/stop', {}, admin);
  try {
    await expect(page.getByTestId('live-link')).toContainText('Seat counts are not live right now');
    await expect(seats).toHaveAttribute('data-live', 'false');
    await expect(card.getByTestId('seats-age')).toContainText(/not live, as of \d+s ago/);
    await expect(page.getByTestId('live-link')).toContainText(/last live [2-9]s ago/);
    await expectAccessible(page, 'catalogue, live link down');
    // A seat taken while the link is down is never pushed to this page.
    await backend.ok('POST', '/api/student_node/student/course/select', { courseId: course.id }, late);
    await page.waitForTimeout(1000);
    await expect(card.getByTestId('seats-left')).toHaveText(String(left));
  } finally {
    await backend.ok('POST', '/api/supervisor/realtime/start', {}, admin);
  }
  // No reload, no click: the page reconnects, re-reads the seats, and stops saying "not live".
  await expect(page.getByTestId('live-link')).toHaveCount(0, { timeout: 30_000 });
  await expect(seats).toHaveAttribute('data-live', 'true');
  await expect(card.getByTestId('seats-age')).toHaveCount(0);
  await expect(card.getByTestId('seats-left')).toHaveText(String(left - 1));
  // and it is live again: a seat given back shows without a reload
  await backend.ok('POST', '/api/student_node/student/course/deselect', { courseId: course.id }, late);
  await expect(card.getByTestId('seats-left')).toHaveText(String(left));
});

test('a stopped student service is a 503 said plainly, with a retry that works once it is back', async ({ page }) => {
  test.setTimeout(120_000);
  await openPortalAs(page, backend, await student('busy.student'), '/courses');
  await expect(page.locator('[data-testid="course-card"][data-code="Q-LINE"]')).toBeVisible();
  const statuses: number[] = [];
  page.on('response', (r) => {
    if (r.url().endsWith('/api/student_node/student/courses/available')) statuses.push(r.status());
  });
  await backend.ok('POST', '/api/supervisor/student_node/stop', {}, admin);
  try {
    await page.getByLabel('Search').fill('line');
    const problem = page.getByTestId('problem');
    await expect(problem).toContainText('The service is busy or restarting');
    expect(statuses.at(-1)).toBe(503);
    await expectAccessible(page, 'catalogue, service down');
    await problem.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => statuses.length).toBeGreaterThan(1);
    await expect(problem).toContainText('The service is busy or restarting'); // still down: still said
  } finally {
    await backend.ok('POST', '/api/supervisor/student_node/start', {}, admin);
  }
  await page.getByTestId('problem').getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByTestId('problem')).toHaveCount(0);
  await expect(page.locator('[data-testid="course-card"][data-code="Q-LINE"]')).toBeVisible();
  expect(statuses.at(-1)).toBe(200);
});

test('a session that ends mid-page: the next action goes to sign-in, then back to that page, nothing sent', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const s = await signedInStudent('ended.student');
  await openPortalAs(page, backend, s.token, '/courses');
  const card = page.locator('[data-testid="course-card"][data-code="Q-LINE"]');
  await expect(card).toBeVisible();
  await backend.ok('POST', '/api/auth_node/logout', {}, s.token); // e.g. signed out on another device

  await card.getByRole('button', { name: 'Select Q-LINE' }).click();
  await expect(page).toHaveURL(/\/portal\/signin\?next=(%2F|\/)courses$/);
  await expect(page.getByTestId('session-ended')).toContainText('Your session has ended');
  await page.getByLabel('Username').fill('ended.student');
  await page.getByLabel('Password').fill(s.password);
  await page.getByLabel('Authenticator code').fill(await freshCode(s.secret));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/portal\/courses$/);
  // the click that met the ended session took no seat
  await expect(card.getByRole('button', { name: 'Select Q-LINE' })).toBeEnabled();
  await expect(card.getByTestId('held')).toHaveCount(0);
});
