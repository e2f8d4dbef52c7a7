import type { Page } from '@playwright/test';
import type { Course } from '../src-backend/contracts/courses.js';
import type { TimeTicketsResponse } from '../src-backend/contracts/registrar.js';
import { Backend } from './support/api.js';
import { apiSignIn, checkAtBothWidths, openPortalAs, openWindowWithCourses } from './support/portal.js';
import { expect, test } from './support/test.js';

/**
 * The registrar's seams in the portal, through the real UI against server mode: a full course
 * offers its waitlist (with a swap), the promotion arrives live when someone else drops, and a
 * student whose group has a future time ticket sees their own opening time.
 */
test.describe.configure({ mode: 'serial' });

let backend: Backend;
let admin: string;
const courses: Record<string, Course> = {};

async function signedInStudent(username: string, group?: string): Promise<string> {
  const s = await backend.createStudent(admin, username, group);
  return (await apiSignIn(backend, username, s.password, s.totpSecret)).token;
}
const card = (page: Page, code: string) => page.locator(`[data-testid="course-card"][data-code="${code}"]`);
/** A student's queue request through the API: `action` is select, deselect, waitlist/join, … */
const studentAsks = (action: string, token: string, courseId: number) =>
  backend.ok<{ status: string }>('POST', `/api/student_node/student/${action}`, { courseId }, token);
const select = (token: string, courseId: number) => studentAsks('course/select', token, courseId);

test.beforeAll(async () => {
  backend = Backend.fromEnv();
  admin = (await backend.adminLogin()).token;
  Object.assign(
    courses,
    await openWindowWithCourses(backend, admin, {
      FULL: {
        code: 'WL-FULL',
        name: 'The popular seminar',
        capacity: 1,
        credits: 2,
        slots: [{ day: 2, start: '09:00', end: '10:00' }],
      },
      SWAP: {
        code: 'WL-SWAP',
        name: 'The fallback',
        capacity: 5,
        credits: 2,
        slots: [{ day: 3, start: '09:00', end: '10:00' }],
      },
    }),
  );
});

test('full → join the waitlist with a swap → someone drops → the seat arrives live, the swapped course is gone', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const holder = await signedInStudent('wl.holder');
  expect((await select(holder, courses.FULL!.id)).status).toBe('selected');
  const waiter = await signedInStudent('wl.waiter');
  expect((await select(waiter, courses.SWAP!.id)).status).toBe('selected');

  await openPortalAs(page, backend, waiter, '/courses');
  const full = card(page, 'WL-FULL');
  await full.getByRole('button', { name: 'Select WL-FULL' }).click();
  await expect(full.getByTestId('outcome')).toHaveAttribute('data-status', 'full');
  const offer = full.getByTestId('waitlist-offer');
  await expect(offer).toBeVisible();
  await offer.getByLabel(/Swap from/).selectOption({ label: 'WL-SWAP' });
  await offer.getByRole('button', { name: 'Join the waitlist for WL-FULL' }).click();
  await expect(full.getByTestId('outcome')).toHaveAttribute('data-status', 'waitlisted');
  await expect(full.getByTestId('outcome')).toContainText(
    'you are number 1. You get the seat automatically when one frees, and WL-SWAP is dropped only then.',
  );
  await expect(full.getByTestId('waitlist-position')).toHaveText('1');
  await expect(full.getByTestId('waitlist-entry')).toContainText('WL-SWAP is dropped for it');
  await checkAtBothWidths(page, 'waitlist-joined');

  // a second join is refused in words
  await page.setViewportSize({ width: 1280, height: 800 });
  const again = await studentAsks('waitlist/join', waiter, courses.FULL!.id);
  expect(again.status).toBe('already_waitlisted');

  // My waitlists on the timetable page
  await page.getByRole('link', { name: 'Timetable' }).click();
  const mine = page.getByTestId('my-waitlist');
  await expect(mine).toHaveCount(1);
  await expect(mine.first()).toContainText('WL-FULL: number 1 in line, swapping WL-SWAP');
  await checkAtBothWidths(page, 'waitlist-timetable');

  // back to the catalogue (no reload), and the holder drops: the promotion arrives live
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('link', { name: 'Courses' }).click();
  await expect(card(page, 'WL-FULL').getByTestId('waitlist-position')).toHaveText('1');
  const navigations: string[] = [];
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) navigations.push(f.url());
  });
  const badge = page.getByTestId('unread-badge');
  const unreadBefore = (await badge.count()) > 0 ? Number(/\d+/.exec(await badge.innerText())![0]) : 0;
  const dropped = await studentAsks('course/deselect', holder, courses.FULL!.id);
  expect(dropped.status).toBe('deselected');
  await expect(page.getByTestId('promotion')).toContainText(
    'You got a seat in WL-FULL (from the waitlist). WL-SWAP was dropped for it, as you asked.',
  );
  await expect(card(page, 'WL-FULL').getByTestId('held')).toBeVisible();
  await expect(card(page, 'WL-SWAP').getByTestId('held')).toHaveCount(0);
  await expect(card(page, 'WL-FULL').getByTestId('waitlist-entry')).toHaveCount(0);
  // the promotion's notification reaches the header's inbox live as well
  await expect(badge).toHaveText(`${unreadBefore + 1} unread`);
  expect(navigations).toEqual([]);
  await checkAtBothWidths(page, 'waitlist-promoted');

  // the timetable: WL-FULL on the week, WL-SWAP gone, no waitlist left, and the history says why
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('link', { name: 'Timetable' }).click();
  await expect(page.getByTestId('timetable-entry')).toHaveCount(1);
  await expect(page.getByTestId('week')).toContainText('WL-FULL');
  await expect(page.getByTestId('week')).not.toContainText('WL-SWAP');
  await expect(page.getByTestId('my-waitlists')).toContainText('You are on no waitlist.');
  const history = page.getByTestId('history');
  await expect(history.locator('[data-status="promoted"]')).toContainText('got a seat');
  await expect(history.locator('[data-status="swapped"]')).toContainText('WL-SWAP');
  await expect(history.locator('[data-status="waitlisted"]')).toContainText('join waitlist');
});

test('a student whose group has a future time ticket sees their own opening time; others see the window open', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const before = await backend.ok<TimeTicketsResponse>('GET', '/api/teacher_node/admin/time-tickets', undefined, admin);
  const opensAt = new Date(Date.now() + 3 * 3600_000 + 5 * 60_000).toISOString();
  await backend.ok(
    'PUT',
    '/api/teacher_node/admin/time-tickets',
    { tickets: [...before.tickets.filter((t) => t.group !== 'wl-late'), { group: 'wl-late', opensAt }] },
    admin,
  );
  try {
    const late = await signedInStudent('wl.late', 'wl-late');
    await openPortalAs(page, backend, late, '/courses');
    await expect(page.getByTestId('window-banner')).toContainText(
      /Selection is closed for you\. It opens for your group \(wl-late\) .*, in 3 h 0[45] min/,
    );
    const c = card(page, 'WL-SWAP');
    await c.getByRole('button', { name: 'Select WL-SWAP' }).click();
    await expect(c.getByTestId('outcome')).toHaveAttribute('data-status', 'window_closed');
    await expect(c.getByTestId('outcome')).toContainText(/Selection is closed for you\. It opens .*, in 3 h/);
    await checkAtBothWidths(page, 'window-time-ticket');

    const early = await signedInStudent('wl.early');
    await page.evaluate('sessionStorage.clear()');
    await openPortalAs(page, backend, early, '/courses');
    await expect(page.getByTestId('window-banner')).toContainText('Selection is open');
  } finally {
    await backend.ok(
      'PUT',
      '/api/teacher_node/admin/time-tickets',
      {
        tickets: before.tickets.map((t) => ({ group: t.group, opensAt: t.opensAt, closesAt: t.closesAt })),
      },
      admin,
    );
  }
});
