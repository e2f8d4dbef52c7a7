import { gatewayPathOf } from '../src-backend/contracts/route.js';
import { AuthRoutes } from '../src-backend/contracts/routes/auth.js';
import { StudentRoutes } from '../src-backend/contracts/routes/student.js';
import { TeacherRoutes } from '../src-backend/contracts/routes/teacher.js';
import { Backend } from './support/api.js';
import { openSignedIn, screenshot } from './support/console.js';
import { expect, test } from './support/test.js';

/**
 * Issue 17: the help desk moves a student put in the wrong group, from the user's detail page;
 * the page says which courses they hold that the new group may not take (they keep them).
 */
test('move a student to another group from the detail page', async ({ page }) => {
  const backend = Backend.fromEnv();
  const { token } = await backend.adminLogin();
  const s = await backend.createStudent(token, 'e2e-mover', 'cs-e2e');
  // A course only cs-e2e may take, and the student holds it.
  const course = await backend.ok<{ course: { id: number } }>(
    'POST',
    gatewayPathOf(TeacherRoutes.create),
    {
      code: 'GRP-E2E',
      name: 'Groups only',
      capacity: 5,
      credits: 1,
      slots: [{ day: 5, start: '16:00', end: '17:00' }],
      allowedGroups: ['cs-e2e'],
    },
    token,
  );
  await backend.ok('POST', gatewayPathOf(TeacherRoutes.openWindow), {}, token);
  const student = await backend.studentLogin(s.user.username, s.password, s.totpSecret);
  await backend.ok('POST', gatewayPathOf(StudentRoutes.select), { courseId: course.course.id }, student.token);

  await openSignedIn(page, backend, '/users');
  await page.getByTestId('users-search').fill('e2e-mover');
  await page.getByTestId('user-link').filter({ hasText: 'e2e-mover' }).click();
  await expect(page.getByTestId('user-title')).toHaveText('e2e-mover');
  await expect(page.getByTestId('courses-held')).toContainText('GRP-E2E');
  await expect(page.getByTestId('sign-in-record')).toContainText('127.0.0.1');

  await page.getByTestId('edit-group').fill('math-e2e');
  await page.getByTestId('save-user').click();
  await expect(page.getByTestId('not-open-to-group')).toContainText('GRP-E2E Groups only');
  await expect(page.getByText('e2e-mover · student · math-e2e')).toBeVisible();
  await screenshot(page, 'user-detail');
  await page.setViewportSize({ width: 800, height: 800 });
  await screenshot(page, 'user-detail-800');
  await page.setViewportSize({ width: 1280, height: 800 });

  const after = await backend.ok<{ user: { group: string } }>(
    'GET',
    gatewayPathOf(AuthRoutes.getUser, { id: s.user.id }),
    undefined,
    token,
  );
  expect(after.user.group).toBe('math-e2e');
});
