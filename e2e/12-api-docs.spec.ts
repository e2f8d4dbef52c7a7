import { expect, test } from './support/test.js';
import { Backend } from './support/api.js';

test('the API reference at /api/docs is for admins: refused without a session, rendered after an admin signs in', async ({
  page,
}) => {
  const backend = Backend.fromEnv();

  // No session: the page, its document and a per-service document are all refused.
  for (const path of ['/api/docs', '/api/openapi.json', '/api/openapi/auth_node']) {
    const res = await page.request.get(path);
    expect(res.status(), path).toBe(401);
  }
  // A student's session is not enough either.
  const admin = await backend.adminLogin();
  const student = await backend.createStudent(admin.token, `docs-${Date.now().toString(36)}`);
  const { token } = await backend.studentLogin(student.user.username, student.password, student.totpSecret);
  const asStudent = await page.request.get('/api/openapi.json', { headers: { authorization: `Bearer ${token}` } });
  expect(asStudent.status()).toBe(403);

  // An admin signs in through the gateway, as the console does: the gateway sets the docs cookie.
  const login = await page.request.post('/api/auth_node/login/admin', {
    data: { username: 'admin', password: backend.adminPassword },
  });
  expect(login.status()).toBe(200);

  await page.goto('/api/docs');
  const operations = page.locator('.swagger-ui .opblock');
  await expect(operations.first()).toBeVisible();
  await expect(
    page.locator('.opblock-summary-path', { hasText: '/api/student_node/student/course/select' }),
  ).toBeVisible();
  await expect(page.locator('.opblock-summary-path', { hasText: '/api/auth_node/login/admin' })).toBeVisible();
  expect(await operations.count()).toBeGreaterThan(40);

  const doc = await page.request.get('/api/openapi.json');
  expect(doc.status()).toBe(200);
  const body = (await doc.json()) as { openapi: string; paths: Record<string, { post?: { summary?: string } }> };
  expect(body.openapi).toBe('3.1.0');
  expect(body.paths['/api/student_node/student/course/select']?.post?.summary).toMatch(/seat/);
  const perService = await page.request.get('/api/openapi/student_node');
  expect(perService.status()).toBe(200);
  expect(
    Object.keys(((await perService.json()) as { paths: object }).paths).every((p) =>
      p.startsWith('/api/student_node/'),
    ),
  ).toBe(true);
});
