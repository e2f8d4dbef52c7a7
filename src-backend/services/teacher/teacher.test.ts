import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Course, type CreateCourseRequest } from '../../contracts/courses.js';
import { AuthPaths } from '../../contracts/routes/auth.js';
import { startStack, type TestStack } from '../../testing/stack.js';
import { httpCaller, mintSessions, seedUsers, type Caller } from '../queue/testing/seed.js';
import { StudentRoutes } from '../../contracts/routes/student.js';
import { TeacherRoutes } from '../../contracts/routes/teacher.js';

let stack: TestStack;
let admin: Caller, t1: Caller, t2: Caller, student: Caller, anon: Caller;
let ids: { t1: number; t2: number; student: number };
let adminToken: string;
let seq = 0;

const course = (over: Partial<CreateCourseRequest> = {}): CreateCourseRequest => ({
  code: `T${++seq}`,
  name: 'Databases',
  capacity: 2,
  credits: 3,
  slots: [{ day: 2, start: '10:00', end: '11:30' }],
  location: 'B12',
  ...over,
});

beforeAll(async () => {
  stack = await startStack({
    services: ['data_node', 'auth_node', 'teacher_node', 'student_node', 'queue_node'],
    env: { ADMIN_PASSWORD: 'teacher-test-pw' },
  });
  const users = await seedUsers(stack.client, [
    { role: 'admin', username: 'adm1', name: 'Admin' },
    { role: 'teacher', username: 'teach1', name: 'Teacher One' },
    { role: 'teacher', username: 'teach2', name: 'Teacher Two' },
    { role: 'student', username: 'stud1', name: 'Student One', group: 'cs' },
  ]);
  const tokens = await mintSessions(
    stack.client,
    users.map((u) => u.id),
  );
  adminToken = tokens[0]!;
  const base = stack.httpUrl('teacher_node');
  [admin, t1, t2, student] = tokens.map((t) => httpCaller(base, t)) as [Caller, Caller, Caller, Caller];
  anon = httpCaller(base, null);
  ids = { t1: users[1]!.id, t2: users[2]!.id, student: users[3]!.id };
  expect((await admin('POST', TeacherRoutes.openWindow.url, {})).body.open).toBe(true);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
}, 30_000);

async function create(who: Caller, over: Partial<CreateCourseRequest> = {}): Promise<Course> {
  const res = await who('POST', TeacherRoutes.create.url, course(over));
  expect(res.status).toBe(201);
  return res.body.course;
}

// A loaded 2-core machine can stretch a handful of real HTTP round trips past vitest's 5 s default.
describe('teacher_node (real processes)', { timeout: 30_000 }, () => {
  it('every teacher route: 401 without a token, 403 for a student, and nothing changes', async () => {
    const c = await create(t1);
    const routes = [
      ['GET', TeacherRoutes.courses.url],
      ['POST', TeacherRoutes.detail.url, { courseId: c.id }],
      ['POST', TeacherRoutes.create.url, course()],
      ['PUT', TeacherRoutes.update.url, { courseId: c.id, name: 'Hijacked' }],
      ['DELETE', TeacherRoutes.remove.url, { courseId: c.id }],
      ['POST', TeacherRoutes.removeStudent.url, { courseId: c.id, studentId: ids.student }],
      ['GET', TeacherRoutes.stats.url],
    ] as const;
    expect(new Set(routes.map((r) => r[1]))).toEqual(
      new Set(Object.values(TeacherRoutes).flatMap((r) => (r.url.startsWith('/teacher/') ? [r.url] : []))),
    );
    const before = (await admin('GET', TeacherRoutes.courses.url)).body.courses.length;
    for (const [method, path, body] of routes) {
      const anonymous = await anon(method, path, body);
      expect(anonymous.status, path).toBe(401);
      expect(anonymous.body.error.code, path).toBe('UNAUTHORIZED');
      const asStudent = await student(method, path, body);
      expect(asStudent.status, path).toBe(403);
      expect(asStudent.body.error.code, path).toBe('FORBIDDEN');
    }
    expect((await admin('GET', TeacherRoutes.courses.url)).body.courses.length).toBe(before);
    expect((await t1('POST', TeacherRoutes.detail.url, { courseId: c.id })).body.course.name).toBe(c.name);
  });

  it('a teacher token is refused at once after the account is disabled or deleted', async () => {
    const users = await seedUsers(stack.client, [
      { role: 'teacher', username: 'teach-off', name: 'Disabled Soon' },
      { role: 'teacher', username: 'teach-gone', name: 'Deleted Soon' },
    ]);
    const tokens = await mintSessions(
      stack.client,
      users.map((u) => u.id),
    );
    const callers = tokens.map((t) => httpCaller(stack.httpUrl('teacher_node'), t));
    const asAdmin = httpCaller(stack.httpUrl('auth_node'), adminToken);
    for (const who of callers) expect((await who('GET', TeacherRoutes.courses.url)).status).toBe(200); // cached now
    expect((await asAdmin('POST', AuthPaths.userDisable(users[0]!.id))).body.user.disabled).toBe(true);
    expect((await asAdmin('DELETE', AuthPaths.user(users[1]!.id))).body.deleted).toBe(true);
    for (const who of callers) {
      const res = await who('GET', TeacherRoutes.courses.url);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('INVALID_SESSION');
    }
  });

  it('creates a course for the signed-in teacher; students and anonymous callers are refused', async () => {
    const c = await create(t1);
    expect(c).toMatchObject({
      teacherId: ids.t1,
      teacherName: 'Teacher One',
      enrolled: 0,
      seatsLeft: 2,
      allowedGroups: [],
    });
    expect((await student('POST', TeacherRoutes.create.url, course())).status).toBe(403);
    expect((await anon('POST', TeacherRoutes.create.url, course())).status).toBe(401);
    expect((await t1('POST', TeacherRoutes.create.url, course({ teacherId: ids.t2 }))).status).toBe(403);
    const assigned = await admin('POST', TeacherRoutes.create.url, course({ teacherId: ids.t2 }));
    expect(assigned.body.course.teacherId).toBe(ids.t2);
  });

  it('refuses bad input with a coded 4xx and writes nothing', async () => {
    const before = (await admin('GET', TeacherRoutes.courses.url)).body.courses.length;
    const bad = async (body: unknown, status: number, code?: string) => {
      const res = await t1('POST', TeacherRoutes.create.url, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      if (code) expect(res.body.error.code).toBe(code);
      expect(typeof res.body.error.message).toBe('string');
    };
    await bad({ ...course(), capacity: -5 }, 400, 'VALIDATION_FAILED');
    await bad({ ...course(), slots: [{ day: 1, start: '12:00', end: '11:00' }] }, 400, 'INVALID_SLOT');
    await bad({ ...course(), slots: [{ day: 8, start: '10:00', end: '11:00' }] }, 400);
    await bad({ ...course(), slots: [{ day: 1, start: '25:00', end: '26:00' }] }, 400);
    await bad({ ...course(), capacity: 'ten' }, 400);
    // Control and bidi characters act on terminals and reorder text: refused at the schema.
    await bad({ ...course(), name: 'Algebra\u001b[2J' }, 400, 'VALIDATION_FAILED');
    await bad({ ...course(), name: 'Algebra \u202eI' }, 400, 'VALIDATION_FAILED');
    await bad({ ...course(), location: 'Room\u0085 1' }, 400, 'VALIDATION_FAILED');
    await bad({ ...course(), description: 'fine\nlines, but \u0007 not' }, 400, 'VALIDATION_FAILED');
    await bad({ ...course(), allowedGroups: ['cs\u2066'] }, 400, 'VALIDATION_FAILED');
    await bad({ ...course(), sneaky: true }, 400);
    await bad({ ...course(), description: 'x'.repeat(2 * 1024 * 1024) }, 413, 'BODY_TOO_LARGE');
    await bad('{"code": ', 400, 'INVALID_JSON');
    const dup = await create(t1);
    await bad({ ...course(), code: dup.code.toLowerCase() }, 409, 'COURSE_CODE_TAKEN');
    expect((await admin('GET', TeacherRoutes.courses.url)).body.courses.length).toBe(before + 1);
  });

  it('lists only the teacher’s own courses; an admin sees all', async () => {
    const mine = await create(t2, { name: 'Only mine' });
    const t2List = (await t2('GET', TeacherRoutes.courses.url)).body.courses as Course[];
    expect(t2List.every((c) => c.teacherId === ids.t2)).toBe(true);
    expect(t2List.some((c) => c.id === mine.id)).toBe(true);
    const t1List = (await t1('GET', TeacherRoutes.courses.url)).body.courses as Course[];
    expect(t1List.some((c) => c.id === mine.id)).toBe(false);
    expect((await admin('GET', TeacherRoutes.courses.url)).body.courses.some((c: Course) => c.id === mine.id)).toBe(
      true,
    );
    expect((await student('GET', TeacherRoutes.courses.url)).status).toBe(403);
  });

  it('guards detail, update and delete of another teacher’s course', async () => {
    const c = await create(t1);
    expect((await t2('POST', TeacherRoutes.detail.url, { courseId: c.id })).status).toBe(403);
    expect((await t2('PUT', TeacherRoutes.update.url, { courseId: c.id, name: 'Mine now' })).status).toBe(403);
    expect((await t2('DELETE', TeacherRoutes.remove.url, { courseId: c.id })).status).toBe(403);
    expect((await t1('POST', TeacherRoutes.detail.url, { courseId: 987654 })).status).toBe(404);
    expect((await t1('POST', TeacherRoutes.detail.url, { courseId: 'abc' })).status).toBe(400);
    const updated = await t1('PUT', TeacherRoutes.update.url, {
      courseId: c.id,
      name: 'Advanced Databases',
      slots: [{ day: 4, start: '14:00', end: '15:00' }],
    });
    expect(updated.body.course).toMatchObject({
      name: 'Advanced Databases',
      slots: [{ day: 4, start: '14:00', end: '15:00' }],
    });
    expect((await t1('PUT', TeacherRoutes.update.url, { courseId: c.id, capacity: -1 })).status).toBe(400);
    expect(
      (await admin('PUT', TeacherRoutes.update.url, { courseId: c.id, location: 'Aula' })).body.course.location,
    ).toBe('Aula');
    const del = await t1('DELETE', TeacherRoutes.remove.url, { courseId: c.id });
    expect(del.body).toEqual({ deleted: true, courseId: c.id, removedEnrollments: 0 });
    expect((await t1('POST', TeacherRoutes.detail.url, { courseId: c.id })).status).toBe(404);
  });

  it('shows enrolled students, keeps capacity above enrollment, removes a student, and counts stats', async () => {
    const c = await create(t1, { capacity: 3, slots: [{ day: 6, start: '09:00', end: '10:00' }] });
    const sel = await httpCaller(stack.httpUrl('student_node'), (await mintSessions(stack.client, [ids.student]))[0]!)(
      'POST',
      StudentRoutes.select.url,
      { courseId: c.id },
    );
    expect(sel.body.status).toBe('selected');
    const detail = await t1('POST', TeacherRoutes.detail.url, { courseId: c.id });
    expect(detail.body.students).toEqual([
      expect.objectContaining({ id: ids.student, username: 'stud1', group: 'cs' }),
    ]);
    expect(detail.body.course.enrolled).toBe(1);
    const shrink = await t1('PUT', TeacherRoutes.update.url, { courseId: c.id, capacity: 0 });
    expect(shrink.status).toBe(409);
    expect(shrink.body.error.code).toBe('CAPACITY_BELOW_ENROLLMENT');
    expect((await t1('DELETE', TeacherRoutes.remove.url, { courseId: c.id })).body.error.code).toBe(
      'COURSE_HAS_STUDENTS',
    );
    const stats = (await t1('GET', TeacherRoutes.stats.url)).body;
    expect(stats.courses.some((x: { id: number; enrolled: number }) => x.id === c.id && x.enrolled === 1)).toBe(true);
    expect(stats.totalEnrolled).toBeGreaterThanOrEqual(1);
    expect((await t2('POST', TeacherRoutes.removeStudent.url, { courseId: c.id, studentId: ids.student })).status).toBe(
      403,
    );
    const removed = await t1('POST', TeacherRoutes.removeStudent.url, { courseId: c.id, studentId: ids.student });
    expect(removed.body.course.enrolled).toBe(0);
    expect(
      (await t1('POST', TeacherRoutes.removeStudent.url, { courseId: c.id, studentId: ids.student })).body.error.code,
    ).toBe('NOT_ENROLLED');
    expect((await student('GET', TeacherRoutes.stats.url)).status).toBe(403);
  });

  it('lets only an admin open and close the selection window', async () => {
    expect((await t1('GET', TeacherRoutes.window.url)).body.open).toBe(true);
    expect((await t1('POST', TeacherRoutes.closeWindow.url, {})).status).toBe(403);
    expect((await student('GET', TeacherRoutes.window.url)).status).toBe(403);
    const closed = await admin('POST', TeacherRoutes.closeWindow.url, {});
    expect(closed.body).toMatchObject({ open: false });
    const set = await admin('PUT', TeacherRoutes.window.url, {
      opensAt: '2020-01-01T00:00:00.000Z',
      closesAt: '2999-01-01T00:00:00.000Z',
      defaultCreditLimit: 12,
    });
    expect(set.body).toMatchObject({ open: true, defaultCreditLimit: 12 });
    expect((await admin('PUT', TeacherRoutes.window.url, { opensAt: 'soon', closesAt: null })).status).toBe(400);
    expect(
      (await admin('PUT', TeacherRoutes.setCreditLimit.url, { studentId: ids.student, creditLimit: 9 })).body,
    ).toEqual({
      studentId: ids.student,
      creditLimit: 9,
      isDefault: false,
    });
    expect((await admin('PUT', TeacherRoutes.setCreditLimit.url, { studentId: ids.t1, creditLimit: 9 })).status).toBe(
      404,
    );
  });
});
