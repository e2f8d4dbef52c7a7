import type { Page } from '@playwright/test';
import { TOTP } from 'otpauth';
import type { Course } from '../src-backend/contracts/courses.js';
import { Backend } from './support/api.js';
import { openSignedIn } from './support/console.js';
import {
  apiSignIn,
  checkAtBothWidths,
  openWindowWithCourses,
  expectAccessible,
  freshCode,
  openPortalAs,
  PORTAL_TOKEN_KEY,
  registrationCode,
  WIDTHS,
} from './support/portal.js';
import { expect, test } from './support/test.js';

/**
 * A student's day in the portal, through the real UI against server mode: register with a
 * code, enrol 2FA, sign in, browse, select and drop with live seats, the timetable, and the
 * errors a person meets (network down, session expired, 429, 503, window closed).
 */
test.describe.configure({ mode: 'serial' });

const GROUP = 'portal-2026';
const PASSWORD = 'Portal-student-pass-42';
let backend: Backend;
let admin: string;
const student = { username: 'portal.stu', secret: '' };
const courses: Record<string, Course> = {};

test.beforeAll(async () => {
  backend = Backend.fromEnv();
  admin = (await backend.adminLogin()).token;
  Object.assign(
    courses,
    await openWindowWithCourses(backend, admin, {
      ALG: {
        code: 'P-ALG',
        name: 'Algorithms for the Portal',
        credits: 5,
        capacity: 3,
        slots: [{ day: 1, start: '09:00', end: '10:30' }],
        location: 'Hall A',
      },
      DB: {
        code: 'P-DB',
        name: 'Databases',
        credits: 4,
        slots: [{ day: 1, start: '10:00', end: '11:00' }],
      },
      ONE: {
        code: 'P-ONE',
        name: 'One-seat seminar',
        credits: 2,
        capacity: 1,
        slots: [{ day: 5, start: '14:00', end: '15:00' }],
      },
    }),
  );
  // someone else holds the only seat of P-ONE
  const other = await backend.createStudent(admin, 'portal.other');
  const { token } = await apiSignIn(backend, 'portal.other', other.password, other.totpSecret);
  await backend.ok('POST', '/api/student_node/student/course/select', { courseId: courses.ONE.id }, token);
});

async function codeFor(page: Page): Promise<string> {
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  student.secret = secret;
  return freshCode(secret);
}

test('registers with a code, sees the password policy, enrols 2FA and signs in', async ({ page }) => {
  await page.setViewportSize(WIDTHS.phone);
  await page.goto(`${backend.baseURL}/portal/`);
  await expect(page).toHaveURL(/\/portal\/signin/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await checkAtBothWidths(page, 'signin');

  await page.getByRole('link', { name: 'Register with a registration code' }).click();
  const code = await registrationCode(backend, admin, 'student', GROUP);
  await page.getByLabel('Registration code').fill(code);
  await page.getByLabel('Username').fill(student.username);
  await page.getByLabel('Full name').fill('Paula Portal');
  await page.getByLabel('Email').fill('paula@student.example.edu');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Register' }).click();
  // the server's reason, not a generic failure
  await expect(page.getByRole('alert')).toContainText(/password/i);
  await checkAtBothWidths(page, 'register');

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(page.getByTestId('qr-image')).toBeVisible();
  await expect(page.getByTestId('totp-secret')).toHaveText(/^[A-Z2-7]{16,}$/);
  await checkAtBothWidths(page, 'enrol');

  // a wrong code does not make the account usable
  await page.getByLabel('Code from the app').fill('000000');
  await page.getByRole('button', { name: 'Confirm and sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await page.getByLabel('Code from the app').fill(await codeFor(page));
  await page.getByRole('button', { name: 'Confirm and sign in' }).click();
  await expect(page).toHaveURL(/\/portal\/courses/);
  await expect(page.getByTestId('signed-in-as')).toContainText('Paula Portal');
});

async function signedIn(page: Page, route = '/courses'): Promise<string> {
  const { token } = await apiSignIn(backend, student.username, PASSWORD, student.secret);
  await openPortalAs(page, backend, token, route);
  return token;
}

const card = (page: Page, code: string) => page.locator(`[data-testid="course-card"][data-code="${code}"]`);

test('catalogue: select with live seats, conflict marker, full, drop; filters', async ({ page }) => {
  await signedIn(page);
  await expect(page.getByTestId('window-banner')).toContainText('Selection is open');
  const alg = card(page, 'P-ALG');
  await expect(alg.getByTestId('seats-left')).toHaveText('3');
  await checkAtBothWidths(page, 'catalogue');

  await alg.getByRole('button', { name: 'Select P-ALG' }).click();
  await expect(alg.getByTestId('outcome')).toHaveAttribute('data-status', 'selected');
  await expect(alg.getByTestId('outcome')).toContainText('Selected: P-ALG is on your timetable');
  await expect(alg.getByTestId('seats-left')).toHaveText('2');
  await expect(alg.getByTestId('held')).toBeVisible();
  // P-DB meets at the same time on Monday
  await expect(card(page, 'P-DB').getByTestId('conflict')).toContainText('Clashes with P-ALG');

  // a seat taken elsewhere shows up live, without a reload
  const elsewhere = await backend.createStudent(admin, 'portal.live');
  const { token } = await apiSignIn(backend, 'portal.live', elsewhere.password, elsewhere.totpSecret);
  await backend.ok('POST', '/api/student_node/student/course/select', { courseId: courses.ALG!.id }, token);
  await expect(alg.getByTestId('seats-left')).toHaveText('1');

  const one = card(page, 'P-ONE');
  await expect(one.getByTestId('seats-left')).toHaveText('0');
  await one.getByRole('button', { name: 'Select P-ONE' }).click();
  await expect(one.getByTestId('outcome')).toHaveAttribute('data-status', 'full');
  await expect(one.getByTestId('outcome')).toContainText('Full: every seat in P-ONE is taken');
  await expectAccessible(page, 'catalogue with outcomes');

  await page.getByLabel('Only courses I can take now').check();
  await expect(card(page, 'P-ONE')).toHaveCount(0);
  await expect(card(page, 'P-DB')).toHaveCount(0);
  await page.getByLabel('Only courses I can take now').uncheck();
  await page.getByLabel('Day').selectOption({ label: 'Friday' });
  await expect(card(page, 'P-ONE')).toBeVisible();
  await expect(card(page, 'P-ALG')).toHaveCount(0);
  await page.getByLabel('Day').selectOption({ label: 'Any day' });
  await page.getByLabel('Search').fill('databases');
  await expect(card(page, 'P-DB')).toBeVisible();
  await expect(card(page, 'P-ALG')).toHaveCount(0);
  await page.getByLabel('Search').fill('');
  await expect(card(page, 'P-ALG')).toBeVisible();

  await card(page, 'P-ALG').getByRole('button', { name: 'Drop P-ALG' }).click();
  await expect(card(page, 'P-ALG').getByTestId('outcome')).toHaveAttribute('data-status', 'deselected');
  await expect(card(page, 'P-ALG').getByTestId('seats-left')).toHaveText('2');
  await card(page, 'P-ALG').getByRole('button', { name: 'Select P-ALG' }).click();
  await expect(card(page, 'P-ALG').getByTestId('outcome')).toHaveAttribute('data-status', 'selected');
});

test('timetable: the week Monday to Sunday, credits against the limit, request history', async ({ page }) => {
  await signedIn(page, '/timetable');
  const monday = page.locator('[data-day="1"]');
  await expect(monday.getByTestId('timetable-entry')).toContainText('P-ALG');
  await expect(monday.getByTestId('timetable-entry')).toContainText('09:00–10:30');
  await expect(page.locator('[data-day="7"]')).toContainText('Free');
  await expect(page.getByTestId('credits')).toContainText(/5 of \d+ credits/);
  const rows = page.getByTestId('history-row');
  await expect(rows.filter({ hasText: 'P-ONE' })).toContainText('full');
  await expect(rows.filter({ hasText: 'drop' }).first()).toContainText('dropped');
  await checkAtBothWidths(page, 'timetable');
});

test('a lost answer is retried with the same Idempotency-Key and costs no second ticket', async ({ page }) => {
  await signedIn(page);
  const keys: string[] = [];
  let lose = true;
  await page.route('**/api/student_node/student/course/deselect', async (route) => {
    keys.push((await route.request().headerValue('idempotency-key')) ?? '');
    if (lose) {
      await route.fetch(); // the server takes it…
      return route.abort('connectionreset'); // …and the answer never arrives
    }
    return route.continue();
  });
  const alg = card(page, 'P-ALG');
  await alg.getByRole('button', { name: 'Drop P-ALG' }).click();
  await expect(alg.getByTestId('outcome')).toHaveAttribute('data-phase', 'lost');
  await expect(alg.getByTestId('outcome')).toContainText('Cannot reach the server');
  lose = false;
  await alg.getByRole('button', { name: 'Try again' }).click();
  await expect(alg.getByTestId('outcome')).toHaveAttribute('data-status', 'deselected');
  expect(keys.length).toBe(3); // the first try, one quiet retry, then the student's
  expect(new Set(keys).size).toBe(1);
  expect(keys[0]).toMatch(/^[A-Za-z0-9_.:-]{1,64}$/);

  const { token } = await apiSignIn(backend, student.username, PASSWORD, student.secret);
  const queue = await backend.ok<{ tickets: { courseId: number; action: string }[] }>(
    'GET',
    '/api/student_node/student/queue/status',
    undefined,
    token,
  );
  const drops = queue.tickets.filter((t) => t.courseId === courses.ALG!.id && t.action === 'deselect');
  expect(drops.length).toBe(2); // the earlier drop in the catalogue test, and this one: once
});

test('503 and network down are said plainly, with a retry', async ({ page }) => {
  await signedIn(page);
  await page.route('**/api/student_node/student/courses/available', (route) =>
    route.fulfill({
      status: 503,
      contentType: 'application/json',
      body: '{"error":{"code":"UNAVAILABLE","message":"draining"}}',
    }),
  );
  await page.getByLabel('Search').fill('alg');
  await expect(page.getByTestId('problem')).toContainText('The service is busy or restarting');
  await page.unroute('**/api/student_node/student/courses/available');
  await page.getByTestId('problem').getByRole('button', { name: 'Try again' }).click();
  await expect(card(page, 'P-ALG')).toBeVisible();
  await expect(page.getByTestId('problem')).toHaveCount(0);

  await page.context().setOffline(true);
  await expect(page.getByTestId('offline-banner')).toBeVisible();
  await page.context().setOffline(false);
  await expect(page.getByTestId('offline-banner')).toHaveCount(0);
});

test('window closed: the opening time and a countdown', async ({ page }) => {
  const opensAt = new Date(Date.now() + 2 * 3600_000 + 5 * 60_000).toISOString();
  await backend.ok('PUT', '/api/teacher_node/admin/selection-window', { opensAt, closesAt: null }, admin);
  try {
    await signedIn(page);
    await expect(page.getByTestId('window-banner')).toContainText(
      /Selection is closed for you\. It opens .*, in 2 h 0[45] min/,
    );
    const db = card(page, 'P-ONE');
    await db.getByRole('button', { name: 'Select P-ONE' }).click();
    await expect(db.getByTestId('outcome')).toHaveAttribute('data-status', 'window_closed');
    await expect(db.getByTestId('outcome')).toContainText(/It opens .*, in 2 h/);
    await expectAccessible(page, 'catalogue, window closed');
  } finally {
    await backend.ok('POST', '/api/teacher_node/admin/selection-window/open', {}, admin);
  }
});

test('session expired: back to sign-in, then back to the page', async ({ page }) => {
  const token = await signedIn(page, '/timetable');
  await expect(page.getByTestId('credits')).toBeVisible();
  await backend.ok('POST', '/api/auth_node/logout', {}, token);
  await page.getByRole('link', { name: 'Courses' }).click();
  await expect(page).toHaveURL(/\/portal\/signin\?next=/);
  await expect(page.getByTestId('session-ended')).toContainText('Your session has ended');
  expect(await page.evaluate(`sessionStorage.getItem(${JSON.stringify(PORTAL_TOKEN_KEY)})`)).toBeNull();
  await page.getByLabel('Username').fill(student.username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Authenticator code').fill(await freshCode(student.secret));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/portal\/courses$/);
});

test('too many sign-in attempts: 429 with the time to wait', async ({ page }) => {
  await page.goto(`${backend.baseURL}/portal/signin`);
  const totp = new TOTP({ secret: student.secret, digits: 6, period: 30, algorithm: 'SHA1' });
  let saw429 = false;
  for (let i = 0; i < 8 && !saw429; i++) {
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth_node/login'));
    await page.getByLabel('Username').fill('portal.throttled');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByLabel('Authenticator code').fill(totp.generate());
    await page.getByRole('button', { name: 'Sign in' }).click();
    saw429 = (await answered).status() === 429;
  }
  expect(saw429).toBe(true);
  await expect(page.getByTestId('problem')).toContainText(/Too many attempts\. You can try again in \d+ s/);
});

test('lost my authenticator: the reset-code path', async ({ page }) => {
  await page.goto(`${backend.baseURL}/portal/signin`);
  await page.getByRole('link', { name: 'Lost my authenticator' }).click();
  await expect(page.getByText('Ask the registrar')).toBeVisible();
  await checkAtBothWidths(page, 'lost-authenticator');
  const reset = await backend.ok<{ code: string }>(
    'POST',
    '/api/auth_node/generate/reset-code',
    { username: student.username },
    admin,
  );
  await page.getByLabel('Username').fill(student.username);
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByLabel('Reset code').fill(reset.code);
  await page.getByRole('button', { name: 'Reset my authenticator' }).click();
  await expect(page.getByTestId('qr-image')).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  expect(secret).not.toBe(student.secret);
  student.secret = secret;
  await page.getByLabel('Code from the app').fill(await freshCode(secret));
  await page.getByRole('button', { name: 'Confirm and sign in' }).click();
  await expect(page).toHaveURL(/\/portal\/courses/);
});

test("the console's Status view links to the portal", async ({ page }) => {
  await openSignedIn(page, backend, '/status');
  const link = page.getByTestId('portal-link').getByRole('link');
  await expect(link).toHaveAttribute('href', `${backend.baseURL}/portal/`);
  const [portal] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
  await expect(portal).toHaveURL(/\/portal\/signin/);
  await expect(portal.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});
