import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { type Actor, type Course } from '../../contracts/courses.js';
import { CourseEvents, PROMOTED_NOTIFICATION_TYPE } from '../../contracts/realtime-internal.js';
import { Namespaces } from '../../contracts/realtime.js';
import { startStack, type TestStack } from '../../testing/stack.js';
import { createCourse, httpCaller, mintSessions, openSelection, seedUsers } from './testing/seed.js';
import { StudentRoutes } from '../../contracts/routes/student.js';

/** The queue's events reach a real socket.io-client through the real realtime server. */
let stack: TestStack;
let course: Course;
/** one seat: a holder and a waiter for the promotion */
let small: Course;
let student: { id: number; token: string };
let waiter: { id: number; token: string };
let actor: Actor;
const sockets: Socket[] = [];

beforeAll(async () => {
  stack = await startStack({
    services: ['data_node', 'realtime', 'auth_node', 'student_node', 'queue_node'],
    env: { ADMIN_PASSWORD: 'events-test-pw' },
  });
  const [admin, s, w] = await seedUsers(stack.client, [
    { role: 'admin', username: 'evadm', name: 'Admin' },
    { role: 'student', username: 'evstu', name: 'Student', group: 'cs' },
    { role: 'student', username: 'evwait', name: 'Waiter', group: 'cs' },
  ]);
  actor = { userId: admin!.id, role: 'admin' };
  course = await createCourse(stack.client, actor, { code: 'EV1', name: 'Events', capacity: 3, credits: 2, slots: [] });
  small = await createCourse(stack.client, actor, { code: 'EV2', name: 'Small', capacity: 1, credits: 2, slots: [] });
  const [st, wt] = await mintSessions(stack.client, [s!.id, w!.id]);
  student = { id: s!.id, token: st! };
  waiter = { id: w!.id, token: wt! };
  await openSelection(stack.client, actor);
}, 60_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  await stack?.stop();
}, 30_000);

function connect(token: string, ns: string = Namespaces.courses): Promise<Socket> {
  const socket = io(`http://127.0.0.1:${stack.config.ports.realtime}${ns}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: { token },
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

function nextEvent<T>(socket: Socket, event: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, (data: T) => {
      clearTimeout(timer);
      resolve(data);
    });
  });
}

describe('selection events', { timeout: 30_000 }, () => {
  it('sends the outcome to the student’s room and the new seat count to the course room', async () => {
    const socket = await connect(student.token);
    const watched = await socket.timeout(3000).emitWithAck('course:watch', { courseIds: [course.id] });
    expect(watched).toMatchObject({ rooms: [`course:${course.id}`] });
    const outcome = nextEvent(socket, CourseEvents.outcome);
    const seats = nextEvent(socket, CourseEvents.seats);
    const res = await httpCaller(stack.httpUrl('student_node'), student.token)('POST', StudentRoutes.select.url, {
      courseId: course.id,
    });
    expect(res.body.status).toBe('selected');
    expect(await outcome).toEqual({
      ticket: res.body.ticket,
      courseId: course.id,
      action: 'select',
      status: 'selected',
    });
    expect(await seats).toEqual({ courseId: course.id, enrolled: 1, capacity: 3, seatsLeft: 2 });
  });

  it('pushes a promotion as selection:outcome and its persisted notification as notification:new', async () => {
    const asHolder = httpCaller(stack.httpUrl('student_node'), student.token);
    const asWaiter = httpCaller(stack.httpUrl('student_node'), waiter.token);
    expect((await asHolder('POST', StudentRoutes.select.url, { courseId: small.id })).body.status).toBe('selected');
    const joined = await asWaiter('POST', StudentRoutes.waitlistJoin.url, { courseId: small.id });
    expect(joined.body).toMatchObject({ status: 'waitlisted', position: 1 });

    const courses = await connect(waiter.token);
    const root = await connect(waiter.token, Namespaces.root);
    const promoted = nextEvent<{ status: string; courseId: number }>(courses, CourseEvents.outcome);
    const note = nextEvent<{ id: number; type: string; recipientId: number; read: boolean }>(root, 'notification:new');
    expect((await asHolder('POST', StudentRoutes.deselect.url, { courseId: small.id })).body.status).toBe('deselected');
    expect(await promoted).toMatchObject({ status: 'promoted', courseId: small.id, ticket: joined.body.ticket });
    const pushed = await note;
    expect(pushed).toMatchObject({ type: PROMOTED_NOTIFICATION_TYPE, recipientId: waiter.id, read: false });
    // the same row the inbox reads on connect
    const unread = await root.timeout(3000).emitWithAck('notification:getUnread', { limit: 10 });
    expect(unread.notifications.map((n: { id: number }) => n.id)).toContain(pushed.id);
  });
});
