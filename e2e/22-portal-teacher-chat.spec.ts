import fs from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import type { CreatedUser } from '../src-backend/contracts/auth.js';
import { Backend } from './support/api.js';
import { apiSignIn, checkAtBothWidths, expectAccessible, openPortalAs } from './support/portal.js';
import { expect, test } from './support/test.js';

/**
 * A teacher's side of the portal, and what reaches the students: create and edit a course, live
 * enrolment, the roster (remove, CSV export that no spreadsheet runs as a formula), course
 * stats, an announcement that lands as a notification, and chat with typing, read receipts and
 * online status between two real pages.
 */
test.describe.configure({ mode: 'serial' });

const PASSWORD = 'Portal-teacher-pass-77';
let backend: Backend;
let admin: string;
const people: Record<string, CreatedUser> = {};
let courseId = 0;

async function person(role: 'teacher' | 'student', username: string, name: string): Promise<CreatedUser> {
  const u = await backend.ok<CreatedUser>(
    'POST',
    '/api/auth_node/admin/users',
    {
      role,
      username,
      name,
      email: `${username}@campus.example.edu`,
      password: PASSWORD,
      ...(role === 'student' ? { group: 'chat-2026' } : {}),
    },
    admin,
  );
  people[username] = u;
  return u;
}

async function pageAs(browser: Browser, username: string, route: string): Promise<Page> {
  const u = people[username]!;
  const { token } = await apiSignIn(backend, username, PASSWORD, u.totpSecret);
  const page = await (await browser.newContext()).newPage();
  await openPortalAs(page, backend, token, route);
  return page;
}

test.beforeAll(async () => {
  backend = Backend.fromEnv();
  admin = (await backend.adminLogin()).token;
  await backend.ok('POST', '/api/teacher_node/admin/selection-window/open', {}, admin);
  await person('teacher', 'portal.prof', 'Prof. Tereza Portal');
  await person('student', 'chat.ana', 'Ana Chat');
  await person('student', 'chat.formula', '=HYPERLINK("http://evil.example","x")');
});

test('a teacher creates and edits a course and sees enrolment live', async ({ page }) => {
  const { token } = await apiSignIn(backend, 'portal.prof', PASSWORD, people['portal.prof']!.totpSecret);
  await openPortalAs(page, backend, token, '/teach');
  await expect(page.getByTestId('teacher-stats')).toContainText('0 courses');
  await page.getByRole('link', { name: 'New course' }).click();
  await page.getByLabel('Code').fill('T-101');
  await page.getByLabel('Name').fill('Teaching with the Portal');
  await page.getByLabel('Seats').fill('5');
  await page.getByLabel('Credits').fill('4');
  await page.getByLabel('Room').fill('Lovelace 2');
  await page.getByLabel('Day').selectOption({ label: 'Tuesday' });
  await page.getByLabel('Starts').fill('10:00');
  await page.getByLabel('Ends').fill('11:30');
  await checkAtBothWidths(page, 'teacher-course-new');
  await page.getByRole('button', { name: 'Create course' }).click();
  await expect(page.getByRole('heading', { name: 'T-101 Teaching with the Portal' })).toBeVisible();
  courseId = Number(/\/teach\/(\d+)/.exec(page.url())![1]);

  await page.getByRole('link', { name: 'Edit course' }).click();
  await expect(page.getByLabel('Name')).toHaveValue('Teaching with the Portal');
  await page.getByLabel('Seats').fill('8');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('course-stats')).toContainText('0 of 8 enrolled');

  await page.getByRole('link', { name: '← My courses' }).click();
  const row = page.locator('[data-testid="teacher-course"][data-code="T-101"]');
  await expect(row.getByTestId('enrolled')).toHaveText('0');
  for (const s of ['chat.ana', 'chat.formula']) {
    const { token: st } = await apiSignIn(backend, s, PASSWORD, people[s]!.totpSecret);
    await backend.ok('POST', '/api/student_node/student/course/select', { courseId }, st);
  }
  await expect(row.getByTestId('enrolled')).toHaveText('2'); // live, no reload
  await expect(page.getByTestId('teacher-stats')).toContainText('2 of 8 seats taken (25%)'); // the totals too
  await checkAtBothWidths(page, 'teacher-courses');
});

test('roster: formula-safe CSV export, remove a student, course stats', async ({ page }) => {
  const { token } = await apiSignIn(backend, 'portal.prof', PASSWORD, people['portal.prof']!.totpSecret);
  await openPortalAs(page, backend, token, `/teach/${courseId}`);
  await expect(page.getByTestId('roster-row')).toHaveCount(2);
  await checkAtBothWidths(page, 'teacher-course');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = fs.readFileSync(await (await download).path(), 'utf8');
  expect(csv).toContain('course,username,name,group,enrolled at');
  expect(csv).toContain('chat.ana');
  expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`); // a leading ' makes it text
  expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);

  const formula = page.getByTestId('roster-row').filter({ hasText: 'chat.formula' });
  await formula.getByRole('button', { name: /^Remove/ }).click();
  await formula.getByRole('button', { name: /^Confirm removal/ }).click();
  await expect(page.getByTestId('roster-row')).toHaveCount(1);
  await expect(page.getByTestId('course-stats')).toContainText('1 of 8 enrolled');
  await expect(page.getByTestId('notice')).toContainText('was removed from T-101');
});

test('an announcement reaches the roster as a notification: unread badge, mark read', async ({ browser }) => {
  const teacher = await pageAs(browser, 'portal.prof', `/teach/${courseId}`);
  const student = await pageAs(browser, 'chat.ana', '/inbox');
  // Earlier specs on the shared server may have left this student an unread broadcast: count
  // from the inbox once it has loaded.
  const list = student.getByTestId('notification');
  await expect(list.first().or(student.getByText('Nothing here yet.'))).toBeVisible();
  const before = await list.filter({ has: student.getByRole('button', { name: /^Mark read/ }) }).count();
  const badge = student.getByTestId('unread-badge');
  if (before === 0) await expect(badge).toHaveCount(0);
  else await expect(badge).toHaveText(new RegExp(`^${before}\\b`));
  await teacher.getByLabel('Title').fill('Room change');
  await teacher.getByLabel('Message').fill('We meet in Lovelace 3 from next week.');
  await teacher.getByRole('button', { name: 'Send to 1 student' }).click();
  await expect(teacher.getByTestId('notice')).toContainText('Announcement sent to 1 student');

  await expect(badge).toHaveText(new RegExp(`^${before + 1}\\b`)); // live
  await student.getByTestId('inbox-link').click();
  const item = student.getByTestId('notification').filter({ hasText: 'T-101: Room change' });
  await expect(item).toContainText('We meet in Lovelace 3');
  await checkAtBothWidths(student, 'inbox');
  await item.getByRole('button', { name: /^Mark read/ }).click();
  await expect(item).toHaveAttribute('data-read', 'true');
  if (before === 0) await expect(badge).toHaveCount(0);
  else await expect(badge).toHaveText(new RegExp(`^${before}\\b`));
  await student.reload();
  await expect(student.getByTestId('unread-summary')).toContainText(`${before} unread`); // read on the server too
  await teacher.context().close();
  await student.context().close();
});

test('chat: online status, typing, messages both ways, read receipts', async ({ browser }) => {
  const ana = people['chat.ana']!.user.id;
  const prof = people['portal.prof']!.user.id;
  const teacher = await pageAs(browser, 'portal.prof', '/chat');
  const student = await pageAs(browser, 'chat.ana', '/chat');
  const contact = student.getByTestId('contact').filter({ hasText: 'Prof. Tereza Portal' });
  await expect(contact).toContainText('teaches T-101');
  await expect(contact).toContainText('online');
  await contact.click();
  await expect(student).toHaveURL(new RegExp(`/portal/chat/${prof}$`));
  await expect(student.getByTestId('presence')).toHaveText('online');

  await student.getByLabel('Message').fill('Hello, is the lab on Tuesday?');
  await student.getByRole('button', { name: 'Send' }).click();
  await expect(student.getByTestId('message')).toContainText('Hello, is the lab on Tuesday?');

  // the teacher sees a new conversation with an unread count, opens it: the student sees it read
  const fromAna = teacher.getByTestId('contact').filter({ hasText: 'Ana Chat' });
  await expect(fromAna).toContainText('1 unread');
  await fromAna.click();
  await expect(teacher.getByTestId('message')).toContainText('Hello, is the lab on Tuesday?');
  await expect(student.getByTestId('read-receipt')).toContainText('Your last message was read');

  await teacher.getByLabel('Message').pressSequentially('Yes, 10:00', { delay: 20 });
  await expect(student.getByTestId('typing')).toContainText('Prof. Tereza Portal is typing');
  await teacher.getByRole('button', { name: 'Send' }).click();
  await expect(student.getByTestId('message').last()).toContainText('Yes, 10:00');
  await expect(student.getByTestId('typing')).toHaveCount(0);
  await expectAccessible(teacher, 'chat (teacher)');
  await checkAtBothWidths(student, 'chat');

  await teacher.context().close();
  await expect(student.getByTestId('presence')).toHaveText('offline');
  expect(ana).toBeGreaterThan(0);
  await student.context().close();
});

test('a student cannot open the teacher pages', async ({ page }) => {
  const { token } = await apiSignIn(backend, 'chat.ana', PASSWORD, people['chat.ana']!.totpSecret);
  await openPortalAs(page, backend, token, '/teach');
  await expect(page).toHaveURL(/\/portal\/courses$/);
});
