import { expect, test } from './support/test.js';
import { Backend } from './support/api.js';
import { dismissToasts, expectNoSidewaysScroll, openSignedIn, screenshot } from './support/console.js';
import { createCourse } from './support/portal.js';

/**
 * The course page's staff tools, clicked through (issue 14): take a student off the waitlist,
 * hold seats for a group and edit the hold, remove a student so the head of the line is
 * promoted, and enrol a student into a full course, refused first and then with an
 * over-capacity override whose reason lands in the change log. At 1280 px and at 800 px.
 */

for (const width of [1280, 800]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: 800 } });

    test('the registrar manages a full course’s waitlist, reservations and roster from its page', async ({ page }) => {
      test.setTimeout(90_000);
      const backend = Backend.fromEnv();
      const admin = (await backend.adminLogin()).token;
      const tag = `${width}${Date.now().toString(36).slice(-4)}`;
      const code = `STF${tag}`.toUpperCase();
      await backend.ok('POST', '/api/teacher_node/admin/selection-window/open', {}, admin);
      const course = await createCourse(backend, admin, {
        code,
        capacity: 1,
        slots: [{ day: 3, start: '14:00', end: '15:30' }],
      });

      // One student holds the only seat; two wait for it; a fourth is not in line at all.
      const [holder, first, second, extra] = await Promise.all(
        ['hold', 'wait1', 'wait2', 'extra'].map((n) => backend.createStudent(admin, `${n}.${tag}`, `staff-${tag}`)),
      );
      const tokens = await Promise.all(
        [holder!, first!, second!].map(
          async (s) => (await backend.studentLogin(s.user.username, s.password, s.totpSecret!)).token,
        ),
      );
      const ask = (path: string, i: number) =>
        backend.ok<{ status: string }>('POST', `/api/student_node/student/${path}`, { courseId: course.id }, tokens[i]);
      expect((await ask('course/select', 0)).status).toBe('selected');
      expect((await ask('waitlist/join', 1)).status).toBe('waitlisted');
      expect((await ask('waitlist/join', 2)).status).toBe('waitlisted');

      await openSignedIn(page, backend, `/courses/${course.id}`);
      await expect(page.getByTestId('course-title')).toContainText(code);
      const roster = page.getByTestId('roster');
      const waitlist = page.getByTestId('waitlist');
      const log = page.getByTestId('course-log');
      await expect(roster.locator('tbody tr')).toHaveCount(1);
      await expect(waitlist.locator('tbody tr')).toHaveCount(2);

      // 1. The first in line is taken off the waitlist: the second moves up to number 1.
      await waitlist
        .locator('tbody tr', { hasText: first!.user.username })
        .getByRole('button', { name: 'Remove' })
        .click();
      await expect(page.getByTestId('confirm-message')).toContainText('Everyone behind moves up one place.');
      await page.getByTestId('confirm-ok').click();
      await expect(waitlist.locator('tbody tr')).toHaveCount(1);
      await expect(waitlist.locator('tbody tr').first().locator('td').nth(0)).toHaveText('1');
      await expect(waitlist.locator('tbody tr').first().locator('td').nth(1)).toHaveText(second!.user.username);
      await expect(log.locator('tbody tr[data-status="waitlist_removed"]')).toContainText(first!.user.username);

      // 2. A hold of one seat for a group, raised to two seats in place, then deleted.
      const reservations = page.getByTestId('reservations');
      await reservations.getByLabel('Group').fill(`vip-${tag}`);
      await reservations.getByLabel('Seats').fill('1');
      await reservations.getByLabel('Expires').fill('2099-01-01T09:00');
      await page.getByTestId('reservation-save').click();
      const hold = reservations.locator('tbody tr');
      await expect(hold).toHaveCount(1);
      await expect(hold.locator('td').nth(1)).toHaveText('1');
      await hold.getByRole('button', { name: 'Edit' }).click();
      await hold.getByLabel('Seats').fill('2');
      await hold.getByRole('button', { name: 'Save' }).click();
      await expect(hold.getByLabel('Seats')).toHaveCount(0);
      await expect(hold.locator('td').nth(1)).toHaveText('2');
      const saved = await backend.ok<{ reservations: Array<{ seats: number }> }>(
        'GET',
        `/api/teacher_node/admin/reservations?courseId=${course.id}`,
        undefined,
        admin,
      );
      expect(saved.reservations.map((r) => r.seats)).toEqual([2]);
      await hold.getByRole('button', { name: 'Delete' }).click();
      await page.getByTestId('confirm-ok').click();
      await expect(reservations).toContainText('No seats are reserved.');

      // 3. The holder is removed: the seat goes to the head of the waitlist in the same step.
      await roster
        .locator(`tr[data-student="${holder!.user.username}"]`)
        .getByRole('button', { name: 'Remove' })
        .click();
      await expect(page.getByTestId('confirm-message')).toContainText('the head of the waitlist may be promoted');
      await page.getByTestId('confirm-ok').click();
      await expect(roster.locator(`tr[data-student="${second!.user.username}"]`)).toBeVisible();
      await expect(roster.locator('tbody tr')).toHaveCount(1);
      await expect(waitlist).toContainText('Nobody is waiting.');
      await expect(log.locator('tbody tr[data-status="promoted"]')).toContainText(second!.user.username);
      await dismissToasts(page);

      // 4. Enrolling someone into the full course: refused without an override, then granted over capacity.
      const form = page.getByTestId('enroll-form');
      await form.getByLabel('Student username').fill(extra!.user.username);
      await form.getByLabel('Reason').fill('Needs it to graduate this term');
      await page.getByTestId('enroll-submit').click();
      await expect(page.getByTestId('enroll-error')).toHaveText('Not enrolled: full.');
      await expect(roster.locator('tbody tr')).toHaveCount(1);
      await form.getByLabel('Over capacity').check();
      await page.getByTestId('enroll-submit').click();
      await expect(page.getByTestId('enroll-error')).toHaveCount(0);
      await expect(roster.locator(`tr[data-student="${extra!.user.username}"]`)).toBeVisible();
      await expect(roster.locator('tbody tr')).toHaveCount(2);
      await expect(form.getByLabel('Student username')).toHaveValue('');
      const overridden = log.locator('tbody tr[data-status="overridden"]');
      await expect(overridden).toContainText(extra!.user.username);
      await expect(overridden).toContainText('Needs it to graduate this term');
      await expect(page.getByTestId('course-figures')).toContainText('2 / 1 enrolled (+1 over capacity)');
      await dismissToasts(page);

      await screenshot(page, width === 1280 ? 'course-page-staff' : 'narrow-course-page-staff');
      await log.scrollIntoViewIfNeeded();
      await screenshot(page, width === 1280 ? 'course-page-staff-log' : 'narrow-course-page-staff-log');
      await expectNoSidewaysScroll(page, width, 'the course page');
    });
  });
}
