import type { Course } from '../src-backend/contracts/courses.js';
import type { GeneratedCode } from '../src-backend/contracts/auth.js';
import { expect, test } from './support/test.js';
import { Backend } from './support/api.js';
import { openSignedIn } from './support/console.js';

async function createCourse(backend: Backend, token: string, code: string, capacity = 5): Promise<Course> {
  const { course } = await backend.ok<{ course: Course }>(
    'POST',
    '/api/teacher_node/teacher/course/create',
    {
      code,
      name: `Live course ${code}`,
      capacity,
      credits: 3,
      slots: [{ day: 3, start: '08:00', end: '09:00' }],
      location: 'Room L',
      allowedGroups: [],
    },
    token,
  );
  return course;
}

test('Courses stays true without navigating: a course created elsewhere appears, and a deleted student frees the seat', async ({
  page,
}) => {
  const backend = Backend.fromEnv();
  const token = await openSignedIn(page, backend, '/courses');
  await expect(page.getByRole('heading', { name: 'Courses', level: 1 })).toBeVisible();
  await expect(page.getByTestId('link-state')).toHaveAttribute('data-state', 'live');

  // Created through the API, not this console: it shows up by itself.
  const code = `LIVE${Date.now().toString(36).slice(-4).toUpperCase()}`;
  const course = await createCourse(backend, token, code);
  const row = page.getByTestId('courses-table').locator(`tr[data-course="${code}"]`);
  await expect(row.getByTestId('seat-text')).toHaveText('0 / 5', { timeout: 5_000 });

  await backend.ok('POST', '/api/teacher_node/admin/selection-window/open', {}, token);
  const username = `seat.${code.toLowerCase()}`;
  const student = await backend.createStudent(token, username);
  const { token: st } = await backend.studentLogin(username, student.password, student.totpSecret);
  const sel = await backend.call('POST', '/api/student_node/student/course/select', { courseId: course.id }, st);
  expect([200, 202]).toContain(sel.status);
  await expect(row.getByTestId('seat-text')).toHaveText('1 / 5', { timeout: 10_000 });

  // Deleting the student frees the seat, with no reload or navigation here.
  await backend.ok('DELETE', `/api/auth_node/admin/users/${student.user.id}`, undefined, token);
  await expect(row.getByTestId('seat-text')).toHaveText('0 / 5', { timeout: 5_000 });

  // A capacity change made elsewhere shows too.
  await backend.ok('PUT', '/api/teacher_node/teacher/course/update', { courseId: course.id, capacity: 7 }, token);
  await expect(row.getByTestId('seat-text')).toHaveText('0 / 7', { timeout: 5_000 });
});

test("a code's use count moves live when a student registers with it", async ({ page }) => {
  const backend = Backend.fromEnv();
  const token = await openSignedIn(page, backend, '/codes');
  await expect(page.getByRole('heading', { name: 'Codes', level: 1 })).toBeVisible();
  await expect(page.getByTestId('link-state')).toHaveAttribute('data-state', 'live');
  const generated = await backend.ok<GeneratedCode>(
    'POST',
    '/api/auth_node/generate/registration-code',
    { userType: 'student', maxUses: 3, group: 'cs-2024' },
    token,
  );
  const uses = page.locator(`tr[data-code="registration-${generated.info.id}"] [data-col="uses"]`);
  // Generated elsewhere: listed without a reload.
  await expect(uses).toHaveText('0 / 3', { timeout: 5_000 });

  const username = `reg${Date.now().toString(36)}`;
  await backend.ok('POST', '/api/auth_node/register', {
    code: generated.code,
    username,
    name: 'Registering Student',
    email: `${username}@example.com`,
    password: 'a-long-enough-password-1',
  });
  await expect(uses).toHaveText('1 / 3', { timeout: 5_000 });
});
