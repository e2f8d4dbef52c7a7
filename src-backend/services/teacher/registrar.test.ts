import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { Actor, Course, CreateCourseRequest } from '../../contracts/courses.js';
import { IDEMPOTENCY_KEY_HEADER } from '../../contracts/courses.js';
import { CourseEvents } from '../../contracts/realtime-internal.js';
import { Namespaces, type SelectionOutcomeEvent } from '../../contracts/realtime.js';
import type { RegistrationBoard } from '../../contracts/registrar.js';
import { pathOf } from '../../contracts/route.js';
import { StudentRoutes as S } from '../../contracts/routes/student.js';
import { TeacherRoutes as T } from '../../contracts/routes/teacher.js';
import { startStack, type TestStack } from '../../testing/stack.js';
import {
  createCourse,
  httpCaller,
  mintSessions,
  openSelection,
  seedUsers,
  type Caller,
} from '../queue/testing/seed.js';

/** Registration day end to end: real processes, HTTP and a real socket.io-client. */
let stack: TestStack;
let actor: Actor;
let admin: Caller;
let adminToken: string;
let teacher: Caller;
let seq = 0;
const sockets: Socket[] = [];

async function newStudent(group: string | null = null) {
  const [u] = await seedUsers(stack.client, [{ role: 'student', username: `rs${++seq}`, name: `Reg ${seq}`, group }]);
  const [token] = await mintSessions(stack.client, [u!.id]);
  return { id: u!.id, token: token!, call: httpCaller(stack.httpUrl('student_node'), token!) };
}
const course = (over: Partial<CreateCourseRequest> = {}): Promise<Course> =>
  createCourse(stack.client, actor, {
    code: `RG${++seq}`,
    name: `Registrar ${seq}`,
    capacity: 1,
    credits: 3,
    slots: [{ day: (seq % 5) + 1, start: '10:00', end: '11:00' }],
    ...over,
  });

function connect(namespace: string, token: string): Promise<Socket> {
  const socket = io(`http://127.0.0.1:${stack.config.ports.realtime}${namespace}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: { token, presence: false },
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}
function waitFor<T>(socket: Socket, event: string, match: (e: T) => boolean, timeoutMs = 8000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching ${event} within ${timeoutMs} ms`)), timeoutMs);
    const on = (e: T) => {
      if (!match(e)) return;
      clearTimeout(timer);
      socket.off(event, on);
      resolve(e);
    };
    socket.on(event, on);
  });
}

beforeAll(async () => {
  stack = await startStack({
    services: ['data_node', 'realtime', 'auth_node', 'teacher_node', 'student_node', 'queue_node'],
    env: { ADMIN_PASSWORD: 'registrar-test-pw' },
  });
  const [a, t] = await seedUsers(stack.client, [
    { role: 'admin', username: 'regadm', name: 'Registrar Admin' },
    { role: 'teacher', username: 'regprof', name: 'Prof Reg' },
  ]);
  actor = { userId: a!.id, role: 'admin' };
  const [at, tt] = await mintSessions(stack.client, [a!.id, t!.id]);
  adminToken = at!;
  admin = httpCaller(stack.httpUrl('teacher_node'), at!);
  teacher = httpCaller(stack.httpUrl('teacher_node'), tt!);
  await openSelection(stack.client, actor);
}, 90_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  await stack?.stop();
}, 30_000);

describe('registration day through the services', { timeout: 30_000 }, () => {
  it('every registrar route: 401 without a token, 403 for a student; the admin-only ones 403 for a teacher', async () => {
    const c = await course();
    const s = await newStudent();
    const asStudent = httpCaller(stack.httpUrl('teacher_node'), s.token);
    const anon = httpCaller(stack.httpUrl('teacher_node'), null);
    const expiresAt = new Date(Date.now() + 60_000).toISOString();
    const routes = [
      [T.enroll, { studentId: s.id, courseId: c.id, reason: 'r' }, false],
      [T.courseWaitlist, undefined, false, `?courseId=${c.id}`],
      [T.removeFromWaitlist, { courseId: c.id, studentId: s.id }, false],
      [T.createReservation, { courseId: c.id, group: 'g', seats: 1, expiresAt }, true],
      [T.reservations, undefined, true],
      [T.updateReservation, { seats: 2 }, true],
      [T.deleteReservation, undefined, true],
      [T.timeTickets, undefined, false],
      [T.setTimeTickets, { tickets: [] }, true],
      [T.enrollmentLog, undefined, false],
      [T.registrationBoard, undefined, true],
    ] as const;
    const registrar = Object.values(T).filter(
      (r) =>
        r.url.startsWith('/admin/') && !r.url.startsWith('/admin/selection-window') && r.url !== T.setCreditLimit.url,
    );
    expect(new Set(routes.map((r) => r[0]))).toEqual(new Set(registrar));
    for (const [route, body, adminOnly, query] of routes) {
      const path = pathOf(route, { id: 1 }) + (query ?? '');
      expect((await anon(route.method, path, body)).status, path).toBe(401);
      expect((await asStudent(route.method, path, body)).status, path).toBe(403);
      if (adminOnly) expect((await teacher(route.method, path, body)).body.error?.code, path).toBe('FORBIDDEN');
    }
    expect((await s.call('GET', S.history.url)).body.entries).toEqual([]);
  });

  it('waitlists over HTTP; a deselect promotes the head, who hears selection:outcome promoted on /courses', async () => {
    const c = await course();
    const [holder, waiter] = [await newStudent(), await newStudent()];
    expect((await holder.call('POST', S.select.url, { courseId: c.id })).body.status).toBe('selected');
    const joined = await waiter.call('POST', S.waitlistJoin.url, { courseId: c.id });
    expect(joined).toMatchObject({ status: 200, body: { status: 'waitlisted', position: 1, action: 'join' } });
    expect((await waiter.call('GET', S.waitlist.url)).body.entries).toEqual([
      expect.objectContaining({ courseId: c.id, position: 1, swapFrom: null }),
    ]);
    const socket = await connect(Namespaces.courses, waiter.token);
    const promoted = waitFor<SelectionOutcomeEvent>(socket, CourseEvents.outcome, (e) => e.status === 'promoted');
    expect((await holder.call('POST', S.deselect.url, { courseId: c.id })).body.status).toBe('deselected');
    expect(await promoted).toEqual({ ticket: joined.body.ticket, courseId: c.id, action: 'join', status: 'promoted' });
    expect((await waiter.call('GET', S.waitlist.url)).body.entries).toEqual([]);
    const history = await waiter.call('GET', `${S.history.url}?limit=10`);
    expect(history.body.entries.map((e: { status: string }) => e.status)).toEqual(['promoted', 'waitlisted']);
  });

  it('refuses swapFrom = courseId with 400 before the queue', async () => {
    const c = await course();
    const s = await newStudent();
    const res = await s.call('POST', S.waitlistJoin.url, { courseId: c.id, swapFrom: c.id });
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'SWAP_WITH_ITSELF' } } });
  });

  it('staff enrolment: admins may override capacity, teachers only on their own courses and never over capacity; a retried key gets the same ticket', async () => {
    const c = await course();
    const [s1, s2] = [await newStudent(), await newStudent()];
    await s1.call('POST', S.select.url, { courseId: c.id });
    const body = { studentId: s2.id, courseId: c.id, overCapacity: true, reason: '=HYPERLINK("x") dean' };
    expect((await teacher('POST', T.enroll.url, body)).status).toBe(403);
    expect((await teacher('POST', T.enroll.url, { ...body, overCapacity: false })).body.error.code).toBe(
      'NOT_YOUR_COURSE',
    );
    const headers = {
      authorization: `Bearer ${adminToken}`,
      'content-type': 'application/json',
      [IDEMPOTENCY_KEY_HEADER]: 'enrol-1',
    };
    const send = (): Promise<{ status: number; body: { ticket: number; status: string } }> =>
      fetch(`${stack.httpUrl('teacher_node')}${T.enroll.url}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { ticket: number; status: string } }));
    const first = await send();
    expect(first).toMatchObject({ status: 200, body: { status: 'overridden' } });
    const again = await send();
    expect(again.body).toMatchObject({ ticket: first.body.ticket, status: 'overridden' });
    const detail = await admin('POST', T.detail.url, { courseId: c.id });
    expect(detail.body.course).toMatchObject({ enrolled: 2, capacity: 1, overrideSeats: 1, seatsLeft: 0 });
    const missing = await admin('POST', T.enroll.url, { ...body, studentId: 999_999 });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'STUDENT_NOT_FOUND' } } });

    // the log explains it, with the actor; the CSV neutralises the formula in the reason
    const log = await admin('GET', `${T.enrollmentLog.url}?courseId=${c.id}&status=overridden`);
    expect(log.body.entries).toEqual([
      expect.objectContaining({
        studentId: s2.id,
        actorId: actor.userId,
        actorName: 'Registrar Admin',
        action: 'enroll',
      }),
    ]);
    const csv = await fetch(`${stack.httpUrl('teacher_node')}${T.enrollmentLog.url}?courseId=${c.id}&format=csv`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,at,studentId,studentName,courseId,courseCode,action,status,ticket,actorId,actorName,reason,relatedCourseId',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`"'=HYPERLINK(""x"") dean"`);
  });

  it('time tickets: a closed group gets window_closed with its opensAt; GET /student/window tells the student', async () => {
    const opensAt = new Date(Date.now() + 86_400_000).toISOString();
    const put = await admin('PUT', T.setTimeTickets.url, { tickets: [{ group: 'seniors-late', opensAt }] });
    expect(put.status).toBe(200);
    expect((await teacher('PUT', T.setTimeTickets.url, { tickets: [] })).status).toBe(403);
    expect((await admin('GET', T.timeTickets.url)).body.tickets).toEqual([
      { group: 'seniors-late', opensAt, closesAt: null },
    ]);
    const late = await newStudent('seniors-late');
    const c = await course({ capacity: 5 });
    expect((await late.call('POST', S.select.url, { courseId: c.id })).body).toMatchObject({
      status: 'window_closed',
      opensAt,
    });
    expect((await late.call('GET', S.window.url)).body).toMatchObject({ source: 'ticket', open: false, opensAt });
    const other = await newStudent('other');
    expect((await other.call('GET', S.window.url)).body).toMatchObject({ source: 'global', open: true });
    await admin('PUT', T.setTimeTickets.url, { tickets: [] });
  });

  it('reservations: create, list, change and delete over HTTP; deleting one promotes the waitlist', async () => {
    const c = await course({ capacity: 1 });
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const created = await admin('POST', T.createReservation.url, { courseId: c.id, group: 'vip', seats: 1, expiresAt });
    expect(created).toMatchObject({ status: 201, body: { reservation: { courseId: c.id, held: 1, active: true } } });
    const id = created.body.reservation.id as number;
    expect((await admin('POST', T.createReservation.url, { courseId: c.id, seats: 1, expiresAt })).status).toBe(400);
    const s = await newStudent();
    expect((await s.call('POST', S.select.url, { courseId: c.id })).body.status).toBe('full');
    expect((await s.call('POST', S.waitlistJoin.url, { courseId: c.id })).body.status).toBe('waitlisted');
    const changed = await admin('PUT', pathOf(T.updateReservation, { id }), { seats: 1, group: 'vip2' });
    expect(changed.body.reservation.group).toBe('vip2');
    expect((await admin('GET', `${T.reservations.url}?courseId=${c.id}`)).body.reservations).toHaveLength(1);
    expect((await admin('DELETE', pathOf(T.deleteReservation, { id }))).body).toEqual({ deleted: true, id });
    expect((await s.call('GET', S.waitlist.url)).body.entries).toEqual([]);
    expect(
      (await admin('POST', T.detail.url, { courseId: c.id })).body.students.map((x: { id: number }) => x.id),
    ).toEqual([s.id]);
  });

  it('the board answers on GET and is pushed as board:update on /admin', async () => {
    const socket = await connect(Namespaces.admin, adminToken);
    const pushed = waitFor<RegistrationBoard>(socket, CourseEvents.board, (b) => b.courses.length > 0, 12_000);
    const c = await course({ capacity: 0 });
    const s = await newStudent();
    await s.call('POST', S.select.url, { courseId: c.id });
    await s.call('POST', S.waitlistJoin.url, { courseId: c.id });
    const board = await admin('GET', T.registrationBoard.url);
    expect(board.status).toBe(200);
    expect(board.body.decidedPerSec).toBeGreaterThan(0);
    expect(board.body.p50Ms).toBeGreaterThanOrEqual(0);
    expect(board.body.courses.find((x: { courseId: number }) => x.courseId === c.id)).toMatchObject({
      enrolled: 0,
      capacity: 0,
      waitlisted: 1,
      refusals: { full: 1 },
    });
    expect((await teacher('GET', T.registrationBoard.url)).status).toBe(403);
    const live = await pushed;
    expect(live).toHaveProperty('history');
    expect(live.backlog).toBeGreaterThanOrEqual(0);
  });
});
