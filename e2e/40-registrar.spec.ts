import { TOTP } from 'otpauth';
import type { BulkCreateResponse } from '../src-backend/contracts/auth.js';
import type { Course } from '../src-backend/contracts/courses.js';
import type { RegistrationBoard, TimeTicketsResponse } from '../src-backend/contracts/registrar.js';
import { expect, test } from './support/test.js';
import { Backend } from './support/api.js';
import { dismissToasts, expectNoSidewaysScroll, openSignedIn, screenshot } from './support/console.js';

/**
 * Registration day as the registrar runs it from the console (issue 14): create a course, hold a
 * seat for a group, give a group its time ticket, watch the board while a rush comes in through
 * the API, and open a student's change log. Once at 1280 px and once at 800 px.
 */
const RUSH_STUDENTS = 24;
const PASSWORD = 'Rush-student-pass-1';

function localInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Students of one group sign in and all select the course at once; then they join its waitlist. */
async function rush(backend: Backend, token: string, tag: string, group: string, course: Course): Promise<string[]> {
  const users = Array.from({ length: RUSH_STUDENTS }, (_, i) => ({
    role: 'student',
    username: `rush${i}.${tag}`,
    name: `Rush Student ${i}`,
    email: `rush${i}.${tag}@example.com`,
    group,
    password: PASSWORD,
  }));
  const created = await backend.ok<BulkCreateResponse>(
    'POST',
    '/api/auth_node/admin/users/bulk',
    { users, atomic: true },
    token,
  );
  const tokens = await Promise.all(
    created.results.map(async (r) => {
      const totp = new TOTP({ secret: r.totpSecret!, digits: 6, period: 30, algorithm: 'SHA1' });
      const res = await backend.ok<{ token: string }>('POST', '/api/auth_node/login', {
        username: r.username,
        password: PASSWORD,
        totp: totp.generate(),
      });
      return res.token;
    }),
  );
  const answers = await Promise.all(
    tokens.map((t) =>
      backend.call<{ status: string }>('POST', '/api/student_node/student/course/select', { courseId: course.id }, t),
    ),
  );
  for (const a of answers) expect([200, 202]).toContain(a.status);
  // The ones left out queue up for a seat.
  await Promise.all(
    tokens.map((t, i) =>
      answers[i]!.body.status === 'selected'
        ? null
        : backend.call('POST', '/api/student_node/student/waitlist/join', { courseId: course.id }, t),
    ),
  );
  return created.results.map((r) => r.username);
}

for (const width of [1280, 800]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: 800 } });

    test('the registrar creates a course, reserves a seat, sets a time ticket, watches a rush and reads a change log', async ({
      page,
    }) => {
      test.setTimeout(120_000);
      const backend = Backend.fromEnv();
      const token = await openSignedIn(page, backend, '/courses');
      const tag = `${width}${Date.now().toString(36).slice(-4)}`;
      const code = `REG${tag}`.toUpperCase();
      const group = `rush-${tag}`;
      const vipGroup = `vip-${tag}`;
      await backend.ok('POST', '/api/teacher_node/admin/selection-window/open', {}, token);

      // 1. Create a course from the Courses view.
      await page.getByTestId('course-new').click();
      const form = page.getByRole('dialog', { name: 'New course' });
      await form.getByLabel('Code').fill(code);
      await form.getByLabel('Name').fill('Registration Day Seminar');
      await form.getByLabel('Capacity').fill('3');
      await form.getByLabel('Credits').fill('2');
      await form.getByLabel('Slots').fill('Tue 10:00-11:30; Thu 10:00-11:30');
      await form.getByTestId('course-save').click();
      await expect(form).toBeHidden();
      const row = page.getByTestId('courses-table').locator(`tr[data-course="${code}"]`);
      await expect(row.getByTestId('seat-text')).toHaveText('0 / 3');
      await expect(row).toContainText('Tue 10:00–11:30');

      // 2. Its page: hold one seat for a group nobody in the rush belongs to.
      await row.getByTestId('course-link').click();
      await expect(page.getByTestId('course-title')).toHaveText(`${code} · Registration Day Seminar`);
      const reservations = page.getByTestId('reservations');
      await reservations.getByLabel('Group').fill(vipGroup);
      await reservations.getByLabel('Seats').fill('1');
      await reservations.getByLabel('Expires').fill(localInput(Date.now() + 24 * 3_600_000));
      await page.getByTestId('reservation-save').click();
      await expect(reservations.locator('tbody tr')).toHaveCount(1);
      await expect(reservations.locator('tbody tr')).toContainText(`group ${vipGroup}`);
      await expect(page.getByTestId('course-figures')).toContainText('1 reserved');
      const courseUrl = page.url();
      const courseId = Number(/courses\/(\d+)/.exec(courseUrl)![1]);

      // 3. Time tickets: the rush group may select from an hour ago; saved, then read back.
      await page
        .getByRole('navigation', { name: 'Console sections' })
        .getByRole('link', { name: 'Time tickets' })
        .click();
      await expect(page.getByRole('heading', { name: 'Time tickets', level: 1 })).toBeVisible();
      await page.getByTestId('ticket-add').click();
      const last = page.getByTestId('tickets').locator('tbody tr').last();
      await last.getByLabel(/group/).fill(group);
      await last.getByLabel(/opens/).fill(localInput(Date.now() - 3_600_000));
      await expect(page.getByTestId('tickets-unsaved')).toBeVisible();
      await page.getByTestId('tickets-save').click();
      await expect(page.getByTestId('tickets-unsaved')).toBeHidden();
      const saved = await backend.ok<TimeTicketsResponse>(
        'GET',
        '/api/teacher_node/admin/time-tickets',
        undefined,
        token,
      );
      expect(saved.tickets.map((t) => t.group)).toContain(group);
      await dismissToasts(page);

      // 4. The board, live, while a rush comes in through the API.
      await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Board' }).click();
      await expect(page.getByRole('heading', { name: 'Board', level: 1 })).toBeVisible();
      await expect(page.getByTestId('board-freshness')).toHaveText('live');
      const students = await rush(backend, token, tag, group, { id: courseId } as Course);
      // Two general seats (one is held for the vip group); everyone else is refused and waits.
      const boardRow = page.getByTestId('board-courses').locator(`tr[data-course="${code}"]`);
      await expect(boardRow).toContainText('2 / 3', { timeout: 15_000 });
      await expect(boardRow.locator('td').nth(2)).toHaveText(String(RUSH_STUDENTS - 2), { timeout: 15_000 });
      await expect(boardRow).toContainText(`full ${RUSH_STUDENTS - 2}`);
      await expect(page.getByTestId('board-freshness')).toHaveText('live');
      // The board samples every 5 s: the rush shows in its history within a sample or two.
      await expect
        .poll(
          async () =>
            (
              await backend.ok<RegistrationBoard>('GET', '/api/teacher_node/admin/registration-board', undefined, token)
            ).history.some((h) => h.decidedPerSec > 0),
          { timeout: 15_000 },
        )
        .toBe(true);
      // …and the chart draws it once the next push brings that history.
      await expect
        .poll(async () => Number(await page.getByTestId('board-chart').getAttribute('data-peak')), { timeout: 15_000 })
        .toBeGreaterThan(0);
      await screenshot(page, width === 1280 ? 'board' : 'narrow-board');

      if (width === 1280) {
        // The live link goes down: the board says so and greys, never passing old figures off as live.
        await backend.ok('POST', '/api/supervisor/realtime/stop', {}, token);
        await expect(page.getByTestId('board-freshness')).toHaveText('not live', { timeout: 10_000 });
        await expect(page.getByTestId('board-stale')).toContainText('Not live: these figures are from');
        await expect(page.getByTestId('link-banner')).toBeVisible();
        await screenshot(page, 'board-not-live');
        await backend.ok('POST', '/api/supervisor/realtime/start', {}, token);
        await expect(page.getByTestId('board-freshness')).toHaveText('live', { timeout: 20_000 });
        await expect(page.getByTestId('board-stale')).toBeHidden();
      }

      // 5. Back on the course page: the roster, the waitlist in order, and a student's change log.
      await page.goto(courseUrl);
      const roster = page.getByTestId('roster');
      await expect(roster.locator('tbody tr')).toHaveCount(2);
      await expect(page.getByTestId('waitlist').locator('tbody tr')).toHaveCount(RUSH_STUDENTS - 2);
      await expect(page.getByTestId('waitlist').locator('tbody tr').first().locator('td').first()).toHaveText('1');
      await screenshot(page, width === 1280 ? 'course-page' : 'narrow-course-page');
      await expectNoSidewaysScroll(page, width, 'the course page');
      const enrolled = (await roster.locator('tbody tr').first().getAttribute('data-student'))!;
      expect(students).toContain(enrolled);
      await roster.locator(`tr[data-student="${enrolled}"]`).getByRole('link', { name: 'Change log' }).click();
      await expect(page.getByRole('heading', { name: 'Change log', level: 1 })).toBeVisible();
      await expect(page.getByTestId('log-scope')).toHaveText(
        `Student Rush Student ${enrolled.split('.')[0]!.slice(4)}.`,
      );
      const log = page.getByTestId('enrollment-log');
      await expect(log.locator('tbody tr[data-status="selected"]')).toHaveCount(1);
      await expect(log.locator('tbody tr[data-status="selected"]')).toContainText(code);
      await screenshot(page, width === 1280 ? 'change-log' : 'narrow-change-log');

      await expectNoSidewaysScroll(page, width, 'Change log');

      // In the first run: the course deleted here must not lend its id, and with it its change
      // log and board refusals, to the course the next run creates (migration 250).
      if (width === 1280) {
        // A capacity raised from the course page promotes the head of the waitlist at once.
        await page.goto(courseUrl);
        const head = (await page
          .getByTestId('waitlist')
          .locator('tbody tr')
          .first()
          .locator('td')
          .nth(1)
          .textContent())!;
        await page.getByTestId('course-edit').click();
        const edit = page.getByRole('dialog', { name: `Edit ${code}` });
        await edit.getByLabel('Capacity').fill('4');
        await edit.getByTestId('course-save').click();
        await expect(edit).toBeHidden();
        await page.getByTestId('refresh').click();
        await expect(page.getByTestId('roster').locator(`tr[data-student="${head.trim()}"]`)).toBeVisible();
        await expect(page.getByTestId('waitlist').locator('tbody tr')).toHaveCount(RUSH_STUDENTS - 3);
        await expect(page.getByTestId('course-log').locator('tbody tr[data-status="promoted"]')).toHaveCount(1);

        // Deleting a course with students asks, says how many, and forces it.
        await page.getByTestId('course-delete').click();
        await expect(page.getByTestId('confirm-message')).toContainText('3 student(s) are enrolled');
        await page.getByTestId('confirm-ok').click();
        await expect(page.getByRole('heading', { name: 'Courses', level: 1 })).toBeVisible();
        await expect(page.getByTestId('courses-table').locator(`tr[data-course="${code}"]`)).toHaveCount(0);
      }

      // Leave no ticket behind for the specs after this one.
      await backend.ok('PUT', '/api/teacher_node/admin/time-tickets', { tickets: [] }, token);
    });
  });
}

test('the course import dialog previews a CSV with line-numbered problems and the server dry run, then imports', async ({
  page,
}) => {
  const backend = Backend.fromEnv();
  const token = await openSignedIn(page, backend, '/courses');
  const tag = Date.now().toString(36).slice(-5).toUpperCase();
  // A code the server already holds: only its dry run can say so.
  await backend.ok(
    'POST',
    '/api/teacher_node/teacher/course/create',
    { code: `IMT${tag}`, name: 'Taken', capacity: 1, credits: 1, slots: [] },
    token,
  );
  const csv =
    'code,name,description,capacity,credits,slots\r\n' + // 1
    `IMA${tag},Imported A,"two\r\nlines",20,3,Mon 09:00-10:30; Wed 09:00-10:30\r\n` + // 2-3
    `IMB${tag},Bad slot,,20,3,Mon 9-10\r\n` + // 4
    `IMT${tag},Taken code,,5,1,\r\n`; // 5
  await page.getByTestId('course-import-open').click();
  const dialog = page.getByRole('dialog', { name: 'Import courses from CSV' });
  await dialog
    .getByTestId('course-csv-file')
    .setInputFiles({ name: 'courses.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const preview = dialog.getByTestId('course-csv-preview');
  await expect(preview.locator('tr[data-line="4"]')).toContainText(
    'line 4: slot "Mon 9-10" is not like "Mon 09:00-10:30"',
  );
  await expect(preview.locator('tr[data-line="5"]')).toContainText(`course code IMT${tag} is taken`);
  await expect(preview.locator('tr[data-line="2"]')).toContainText('OK');
  await expect(dialog.getByTestId('course-csv-summary')).toContainText('1 ready');
  await screenshot(page, 'courses-csv-preview');
  await dialog.getByTestId('course-import-commit').click();
  await expect(dialog.getByTestId('course-import-result')).toContainText('1 created');
  await dialog.getByRole('button', { name: 'Done' }).click();
  const row = page.getByTestId('courses-table').locator(`tr[data-course="IMA${tag}"]`);
  await expect(row.getByTestId('seat-text')).toHaveText('0 / 20');
  await expect(page.getByTestId('courses-table').locator(`tr[data-course="IMB${tag}"]`)).toHaveCount(0);
});
