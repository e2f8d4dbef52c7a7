import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Course, type CreateCourseRequest, type StudentCourse } from '../../contracts/courses.js';
import { AuthPaths } from '../../contracts/routes/auth.js';
import { startStack, type TestStack } from '../../testing/stack.js';
import { httpCaller, mintSessions, seedUsers, type Caller } from '../queue/testing/seed.js';
import { FORGET_SESSIONS } from '../../contracts/routes/shared.js';
import { TeacherRoutes } from '../../contracts/routes/teacher.js';
import { StudentRoutes } from '../../contracts/routes/student.js';

let stack: TestStack;
let admin: Caller, teacher: Caller, anon: Caller;
/** raw bearer tokens, to call student_node with other roles */
const tokens = { admin: '', teacher: '' };
let seq = 0;
const courses: Record<string, Course> = {};

/** A fresh student with a session, calling student_node over HTTP. */
async function newStudent(group: string | null = 'cs'): Promise<{ id: number; token: string; call: Caller }> {
  const [u] = await seedUsers(stack.client, [
    { role: 'student', username: `stu${++seq}`, name: `Student ${seq}`, group },
  ]);
  const [token] = await mintSessions(stack.client, [u!.id]);
  return { id: u!.id, token: token!, call: httpCaller(stack.httpUrl('student_node'), token!) };
}

async function create(code: string, over: Partial<CreateCourseRequest>): Promise<Course> {
  const res = await teacher('POST', TeacherRoutes.create.url, {
    code,
    name: code,
    capacity: 5,
    credits: 3,
    slots: [],
    ...over,
  });
  expect(res.status).toBe(201);
  courses[code] = res.body.course;
  return res.body.course;
}

beforeAll(async () => {
  stack = await startStack({
    services: ['data_node', 'auth_node', 'teacher_node', 'student_node', 'queue_node'],
    env: { ADMIN_PASSWORD: 'student-test-pw' },
  });
  const users = await seedUsers(stack.client, [
    { role: 'admin', username: 'adm1', name: 'Admin' },
    { role: 'teacher', username: 'prof1', name: 'Prof Ada' },
  ]);
  const [at, tt] = await mintSessions(
    stack.client,
    users.map((u) => u.id),
  );
  Object.assign(tokens, { admin: at!, teacher: tt! });
  admin = httpCaller(stack.httpUrl('teacher_node'), at!);
  teacher = httpCaller(stack.httpUrl('teacher_node'), tt!);
  anon = httpCaller(stack.httpUrl('student_node'), null);
  await create('ALG', {
    name: 'Algorithms',
    credits: 4,
    slots: [{ day: 1, start: '08:00', end: '10:00' }],
    description: 'Sorting 100% guaranteed',
  });
  await create('DB', { name: 'Databases', credits: 3, slots: [{ day: 1, start: '09:00', end: '11:00' }] });
  await create('NET', { name: 'Networks_Lab', credits: 5, slots: [{ day: 3, start: '13:00', end: '15:00' }] });
  await create('BIO', {
    name: 'Biology',
    credits: 3,
    allowedGroups: ['bio'],
    slots: [{ day: 4, start: '08:00', end: '09:00' }],
  });
  await create('TINY', {
    name: 'Tiny seminar',
    credits: 1,
    capacity: 1,
    slots: [{ day: 5, start: '16:00', end: '17:00' }],
  });
  expect((await admin('POST', TeacherRoutes.openWindow.url, {})).body.open).toBe(true);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
}, 30_000);

// A loaded 2-core machine can stretch a handful of real HTTP round trips past vitest's 5 s default.
describe('student_node (real processes)', { timeout: 30_000 }, () => {
  it('every student route: 401 without a token, 403 for a teacher and for an admin', async () => {
    const base = stack.httpUrl('student_node');
    const asTeacher = httpCaller(base, tokens.teacher);
    const asAdmin = httpCaller(base, tokens.admin);
    const routes = [
      ['POST', StudentRoutes.available.url, {}],
      ['GET', StudentRoutes.selected.url],
      ['POST', StudentRoutes.select.url, { courseId: courses.ALG!.id }],
      ['POST', StudentRoutes.deselect.url, { courseId: courses.ALG!.id }],
      ['POST', StudentRoutes.detail.url, { courseId: courses.ALG!.id }],
      ['GET', StudentRoutes.schedule.url],
      ['GET', StudentRoutes.stats.url],
      ['GET', StudentRoutes.queueStatus.url],
      ['POST', StudentRoutes.check.url, { courseId: courses.ALG!.id }],
      ['POST', StudentRoutes.waitlistJoin.url, { courseId: courses.ALG!.id }],
      ['POST', StudentRoutes.waitlistLeave.url, { courseId: courses.ALG!.id }],
      ['GET', StudentRoutes.waitlist.url],
      ['GET', StudentRoutes.history.url],
      ['GET', StudentRoutes.window.url],
    ] as const;
    expect(new Set(routes.map((r) => r[1]))).toEqual(
      new Set(Object.values(StudentRoutes).flatMap((r) => (r.url.startsWith('/student/') ? [r.url] : []))),
    );
    for (const [method, path, body] of routes) {
      const anonymous = await anon(method, path, body);
      expect(anonymous.status, path).toBe(401);
      expect(anonymous.body.error.code, path).toBe('UNAUTHORIZED');
      for (const who of [asTeacher, asAdmin]) {
        const res = await who(method, path, body);
        expect(res.status, path).toBe(403);
        expect(res.body.error.code, path).toBe('FORBIDDEN');
      }
    }
    expect((await httpCaller(base, 'not-a-real-token')('GET', StudentRoutes.stats.url)).status).toBe(401);
    // Nothing was selected on their behalf.
    expect((await admin('POST', TeacherRoutes.detail.url, { courseId: courses.ALG!.id })).body.course.enrolled).toBe(0);
  });

  it('a token is refused at once after logout, although the session cache had it', async () => {
    const s = await newStudent();
    expect((await s.call('GET', StudentRoutes.stats.url)).status).toBe(200); // now cached for SESSION_CACHE_MS
    const logout = await httpCaller(stack.httpUrl('auth_node'), s.token)('POST', AuthPaths.logout);
    expect(logout.body).toEqual({ loggedOut: true });
    const after = await s.call('GET', StudentRoutes.stats.url);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('INVALID_SESSION');
  });

  it('the cache-forget route is internal: callers without the internal token are refused', async () => {
    const outsider = httpCaller(stack.httpUrl('student_node'), tokens.admin);
    const res = await outsider('POST', FORGET_SESSIONS.url, { userId: 1 });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INTERNAL_ONLY');
    const bad = await stack.client.callRaw(StudentRoutes.forgetSessions, {
      body: { userId: 'x' as unknown as number },
    });
    expect(bad.statusCode).toBe(400);
    const ok = await stack.client.call(StudentRoutes.forgetSessions, { body: { userId: 424242 } });
    expect(ok).toEqual({ forgotten: 0 });
  });

  it('browses only courses open to the group, with filters and literal search', async () => {
    const { call } = await newStudent('cs');
    const all = await call('POST', StudentRoutes.available.url, {});
    expect(all.status).toBe(200);
    expect((all.body.courses as StudentCourse[]).map((c) => c.code).sort()).toEqual(['ALG', 'DB', 'NET', 'TINY']);
    const codes = async (filter: object) =>
      ((await call('POST', StudentRoutes.available.url, filter)).body.courses as StudentCourse[]).map((c) => c.code);
    expect(await codes({ day: 1 })).toEqual(['ALG', 'DB']);
    expect(await codes({ credits: 5 })).toEqual(['NET']);
    expect(await codes({ search: 'ada' })).toEqual(['ALG', 'DB', 'NET', 'TINY']); // teacher's name
    expect(await codes({ search: '100%' })).toEqual(['ALG']);
    expect(await codes({ search: '_' })).toEqual(['NET']);
    expect(await codes({ search: "x' OR '1'='1" })).toEqual([]);
    expect(await codes({ search: '%' })).toEqual(['ALG']);
    expect(await codes({ search: '\\' })).toEqual([]);
    expect((await call('POST', StudentRoutes.available.url, { day: 9 })).status).toBe(400);
    expect((await call('POST', StudentRoutes.available.url, { credits: 'many' })).status).toBe(400);
    expect((await call('POST', StudentRoutes.available.url, { group: 'bio' })).status).toBe(400);
    const bio = await newStudent('bio');
    expect(
      await (async () =>
        ((await bio.call('POST', StudentRoutes.available.url, { search: 'bio' })).body.courses as StudentCourse[]).map(
          (c) => c.code,
        ))(),
    ).toEqual(['BIO']);
  });

  it('selects through the queue: selected, already_selected, conflict, over_credit_limit, full', async () => {
    const a = await newStudent();
    const b = await newStudent();
    const sel = (s: { call: Caller }, code: string) =>
      s.call('POST', StudentRoutes.select.url, { courseId: courses[code]!.id });
    const first = await sel(a, 'ALG');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'selected', courseId: courses.ALG!.id, action: 'select' });
    expect(first.body.ticket).toBeGreaterThan(0);
    expect((await sel(a, 'ALG')).body.status).toBe('already_selected');
    expect((await sel(a, 'DB')).body.status).toBe('conflict');
    expect((await sel(a, 'TINY')).body.status).toBe('selected');
    expect((await sel(b, 'TINY')).body.status).toBe('full');
    await admin('PUT', TeacherRoutes.setCreditLimit.url, { studentId: a.id, creditLimit: 6 });
    expect((await sel(a, 'NET')).body.status).toBe('over_credit_limit');
    expect((await a.call('POST', StudentRoutes.select.url, { courseId: 999999 })).status).toBe(404);
    const bio = await sel(a, 'BIO');
    expect(bio.status).toBe(403);
    expect(bio.body.error.code).toBe('COURSE_NOT_OPEN');
    expect((await a.call('POST', StudentRoutes.select.url, { courseId: courses.ALG!.id, extra: 1 })).status).toBe(400);
    expect((await a.call('POST', StudentRoutes.select.url, { courseId: -3 })).status).toBe(400);
    expect((await a.call('POST', StudentRoutes.select.url, {})).status).toBe(400);
  });

  it('an Idempotency-Key retry gets the same ticket and answer, never a second ticket', async () => {
    const s = await newStudent();
    const send = async (key: string | null, path: string = StudentRoutes.select.url, code = 'NET') => {
      const res = await fetch(`${stack.httpUrl('student_node')}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${s.token}`,
          'content-type': 'application/json',
          ...(key === null ? {} : { 'idempotency-key': key }),
        },
        body: JSON.stringify({ courseId: courses[code]!.id }),
      });
      return {
        status: res.status,
        body: (await res.json()) as { status: string; ticket: number; error?: { code: string } },
      };
    };
    const first = await send('try-1');
    expect(first).toMatchObject({ status: 200, body: { status: 'selected' } });
    // the answer was "lost": the same request with the same key is the same ticket and decision
    expect(await send('try-1')).toEqual(first);
    // a new key (or none) is a new request: a new ticket, decided against what is held now
    const other = await send('try-2');
    expect(other.body.status).toBe('already_selected');
    expect(other.body.ticket).not.toBe(first.body.ticket);
    expect((await send(null)).body.ticket).not.toBe(other.body.ticket);
    // the same key for another action or course is another request, not this one's answer
    const drop = await send('try-1', StudentRoutes.deselect.url);
    expect(drop.body.status).toBe('deselected');
    expect(drop.body.ticket).not.toBe(first.body.ticket);
    expect(await send('try-1', StudentRoutes.deselect.url)).toEqual(drop);
    // one ticket per distinct request in the student's queue history
    const history = await s.call('GET', StudentRoutes.queueStatus.url);
    const tickets = (history.body.tickets as { ticket: number }[]).map((t) => t.ticket);
    expect(new Set(tickets).size).toBe(tickets.length);
    expect(tickets).toHaveLength(4);
    for (const bad of ['has space', 'x'.repeat(65), 'ünïcode']) {
      const res = await send(bad);
      expect(res.status).toBe(400);
      expect(res.body.error!.code).toBe('VALIDATION_FAILED');
    }
  });

  it('deselects, and reports selected courses, schedule, stats, check and queue status', async () => {
    const s = await newStudent();
    await s.call('POST', StudentRoutes.select.url, { courseId: courses.ALG!.id });
    await s.call('POST', StudentRoutes.select.url, { courseId: courses.NET!.id });
    const selected = await s.call('GET', StudentRoutes.selected.url);
    expect(selected.body).toMatchObject({ totalCredits: 9, creditLimit: 30 });
    expect(selected.body.courses.map((c: Course) => c.code)).toEqual(['ALG', 'NET']);
    const schedule = await s.call('GET', StudentRoutes.schedule.url);
    expect(schedule.body).toEqual({
      entries: [
        {
          courseId: courses.ALG!.id,
          code: 'ALG',
          name: 'Algorithms',
          location: '',
          teacherName: 'Prof Ada',
          day: 1,
          start: '08:00',
          end: '10:00',
        },
        {
          courseId: courses.NET!.id,
          code: 'NET',
          name: 'Networks_Lab',
          location: '',
          teacherName: 'Prof Ada',
          day: 3,
          start: '13:00',
          end: '15:00',
        },
      ],
      firstStart: '08:00',
      lastEnd: '15:00',
    });
    const stats = await s.call('GET', StudentRoutes.stats.url);
    expect(stats.body).toEqual({
      selectedCount: 2,
      totalCredits: 9,
      creditLimit: 30,
      creditsLeft: 21,
      weeklyHours: 4,
      pendingTickets: 0,
      windowOpen: true,
    });
    const check = await s.call('POST', StudentRoutes.check.url, { courseId: courses.DB!.id });
    expect(check.body).toMatchObject({
      fits: false,
      windowOpen: true,
      alreadySelected: false,
      openToYou: true,
      currentCredits: 9,
      courseCredits: 3,
    });
    expect(check.body.conflicts).toEqual([
      { courseId: courses.ALG!.id, code: 'ALG', name: 'Algorithms', day: 1, start: '08:00', end: '10:00' },
    ]);
    const detail = await s.call('POST', StudentRoutes.detail.url, { courseId: courses.DB!.id });
    expect(detail.body.course).toMatchObject({
      code: 'DB',
      conflict: true,
      conflictsWith: [courses.ALG!.id],
      selected: false,
    });
    expect((await s.call('POST', StudentRoutes.detail.url, { courseId: 424242 })).status).toBe(404);

    const drop = await s.call('POST', StudentRoutes.deselect.url, { courseId: courses.ALG!.id });
    expect(drop.body).toMatchObject({ status: 'deselected', action: 'deselect' });
    expect((await s.call('POST', StudentRoutes.deselect.url, { courseId: courses.ALG!.id })).body.status).toBe(
      'not_selected',
    );
    expect((await s.call('POST', StudentRoutes.check.url, { courseId: courses.DB!.id })).body.fits).toBe(true);
    const status = await s.call('GET', StudentRoutes.queueStatus.url);
    expect(status.body.pending).toBe(0);
    expect(status.body.tickets.map((t: { action: string; status: string }) => `${t.action}:${t.status}`)).toEqual([
      'deselect:not_selected',
      'deselect:deselected',
      'select:selected',
      'select:selected',
    ]);
  });

  it('check reports the credit limit and seats left as they change', async () => {
    const chk = await create('CHK', {
      name: 'Check seminar',
      credits: 4,
      capacity: 2,
      slots: [{ day: 7, start: '10:00', end: '11:00' }],
    });
    const [s, other] = [await newStudent(), await newStudent()];
    const check = async () => (await s.call('POST', StudentRoutes.check.url, { courseId: chk.id })).body;
    expect(await check()).toMatchObject({ fits: true, seatsLeft: 2, overCreditLimit: false, creditLimit: 30 });

    expect((await other.call('POST', StudentRoutes.select.url, { courseId: chk.id })).body.status).toBe('selected');
    expect(await check()).toMatchObject({ fits: true, seatsLeft: 1 });

    await s.call('POST', StudentRoutes.select.url, { courseId: courses.NET!.id }); // 5 credits
    await admin('PUT', TeacherRoutes.setCreditLimit.url, { studentId: s.id, creditLimit: 9 });
    expect(await check()).toMatchObject({ fits: true, currentCredits: 5, courseCredits: 4, overCreditLimit: false });
    await admin('PUT', TeacherRoutes.setCreditLimit.url, { studentId: s.id, creditLimit: 8 });
    expect(await check()).toMatchObject({ fits: false, creditLimit: 8, overCreditLimit: true, seatsLeft: 1 });

    await admin('PUT', TeacherRoutes.setCreditLimit.url, { studentId: s.id, creditLimit: 30 });
    const third = await newStudent();
    expect((await third.call('POST', StudentRoutes.select.url, { courseId: chk.id })).body.status).toBe('selected');
    expect(await check()).toMatchObject({ fits: false, seatsLeft: 0, overCreditLimit: false, conflicts: [] });
    expect((await s.call('POST', StudentRoutes.select.url, { courseId: chk.id })).body.status).toBe('full');
  });

  it('answers window_closed while selection is closed', async () => {
    const s = await newStudent();
    await admin('POST', TeacherRoutes.closeWindow.url, {});
    try {
      expect((await s.call('POST', StudentRoutes.select.url, { courseId: courses.NET!.id })).body.status).toBe(
        'window_closed',
      );
      expect((await s.call('POST', StudentRoutes.check.url, { courseId: courses.NET!.id })).body).toMatchObject({
        fits: false,
        windowOpen: false,
      });
      // the portal's countdown: the student sees when the window opens next
      const opensAt = new Date(Date.now() + 3_600_000).toISOString();
      expect((await admin('PUT', TeacherRoutes.setWindow.url, { opensAt, closesAt: null })).status).toBe(200);
      const w = await s.call('GET', StudentRoutes.window.url);
      expect(w.status).toBe(200);
      expect(w.body).toMatchObject({ open: false, closesAt: null });
      expect(Date.parse(w.body.opensAt)).toBe(Date.parse(opensAt));
    } finally {
      await admin('POST', TeacherRoutes.openWindow.url, {});
    }
  });

  it('refuses oversized and malformed bodies', async () => {
    const s = await newStudent();
    const big = await s.call('POST', StudentRoutes.available.url, { search: 'x'.repeat(2 * 1024 * 1024) });
    expect(big.status).toBe(413);
    const broken = await s.call('POST', StudentRoutes.select.url, '{"courseId":');
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('INVALID_JSON');
    expect((await s.call('POST', StudentRoutes.available.url, { search: 'y'.repeat(101) })).status).toBe(400);
  });
});
