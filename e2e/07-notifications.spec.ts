import { expect, test } from './support/test.js';
import { io, type Socket } from 'socket.io-client';
import type { Notification } from '../src-backend/contracts/realtime.js';
import { Backend } from './support/api.js';
import { openSignedIn } from './support/console.js';

test('a notification sent from the console reaches a connected student', async ({ page }) => {
  const backend = Backend.fromEnv();
  const { token } = await backend.adminLogin();
  const student = await backend.createStudent(token, 'notify.me', 'cs-notify');
  const { token: studentToken } = await backend.studentLogin('notify.me', student.password, student.totpSecret);

  // A real client as older ones connect: default namespace, auth {token}, through the gateway's proxy.
  const socket: Socket = io(backend.baseURL, {
    auth: { token: studentToken },
    transports: ['websocket'],
    extraHeaders: { origin: backend.baseURL },
    reconnection: false,
  });
  const received: Notification[] = [];
  socket.on('notification:new', (n: Notification) => received.push(n));
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (e) => reject(new Error(`student socket: ${e.message}`)));
    });

    await openSignedIn(page, backend, '/notifications');
    // Validation first: no recipient, no title.
    await page.getByTestId('notify-send').click();
    await expect(page.locator('#nt-user-err')).toHaveText('Pick a recipient');
    await expect(page.locator('#nt-title-err')).toHaveText('Title is required');

    await page.getByTestId('recipient-search').fill('notify.me');
    // The name and the username read as two words, not "Student notify.menotify.me".
    await expect(page.locator('button.result[data-username="notify.me"]')).toHaveAccessibleName(
      /^Student notify\.me notify\.me · student/,
    );
    await page.locator('button.result[data-username="notify.me"]').click();
    await expect(page.getByTestId('recipient')).toContainText('notify.me');
    await page.getByTestId('notify-title').fill('Room change');
    await page.getByTestId('notify-message').fill('CS101 moves to room 4.');
    await page.getByTestId('notify-send').click();

    await expect(page.getByTestId('notify-result')).toContainText('delivered live');
    await expect.poll(() => received.map((n) => n.title), { timeout: 10_000 }).toContain('Room change');
    expect(received.find((n) => n.title === 'Room change')?.message).toBe('CS101 moves to room 4.');

    // A broadcast to the student's group reaches them too, after a confirmation.
    await page.getByLabel('A group').check();
    await page.getByLabel('Student group').fill('cs-notify');
    await page.getByTestId('notify-title').fill('Group news');
    await page.getByTestId('notify-send').click();
    await page.getByTestId('confirm-ok').click();
    await expect.poll(() => received.map((n) => n.title), { timeout: 10_000 }).toContain('Group news');
    await expect(page.getByTestId('sent-table').locator('tbody tr')).toHaveCount(2);

    // A role: every student, so this one too; a role they do not have does not reach them.
    await page.getByLabel('A role').check();
    await page.getByLabel('Role', { exact: true }).selectOption('teacher');
    await page.getByTestId('notify-title').fill('Teachers only');
    await page.getByTestId('notify-send').click();
    await expect(page.getByRole('alertdialog', { name: 'Send to all teachers?' })).toBeVisible();
    await page.getByTestId('confirm-ok').click();
    await expect(page.getByTestId('notify-result')).toContainText('all teachers');
    await page.getByLabel('Role', { exact: true }).selectOption('student');
    await page.getByTestId('notify-title').fill('All students');
    await page.getByTestId('notify-send').click();
    await page.getByTestId('confirm-ok').click();
    await expect.poll(() => received.map((n) => n.title), { timeout: 10_000 }).toContain('All students');

    // Everyone.
    await page.getByLabel('Everyone').check();
    await page.getByTestId('notify-title').fill('Campus closed Monday');
    await page.getByTestId('notify-send').click();
    await expect(page.getByRole('alertdialog', { name: 'Send to everyone?' })).toBeVisible();
    await page.getByTestId('confirm-ok').click();
    await expect.poll(() => received.map((n) => n.title), { timeout: 10_000 }).toContain('Campus closed Monday');
    // The teachers' one came before both of these, and never reached the student.
    expect(received.map((n) => n.title)).not.toContain('Teachers only');
    const sent = page.getByTestId('sent-table').locator('tbody tr');
    await expect(sent).toHaveCount(5);
    await expect(sent.first()).toContainText('everyone');
    await expect(sent.nth(1)).toContainText('all students');
    await expect(sent.nth(2)).toContainText('all teachers');
  } finally {
    socket.disconnect();
  }
});
