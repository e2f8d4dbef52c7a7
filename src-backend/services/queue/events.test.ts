import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { type Actor, type Course } from '../../contracts/courses.js';
import { CourseEvents } from '../../contracts/realtime-internal.js';
import { Namespaces } from '../../contracts/realtime.js';
import { startStack, type TestStack } from '../../testing/stack.js';
import { createCourse, httpCaller, mintSessions, openSelection, seedUsers } from './testing/seed.js';
import { StudentRoutes } from '../../contracts/routes/student.js';

/** The queue's events reach a real socket.io-client through the real realtime server. */
let stack: TestStack;
let course: Course;
let student: { id: number; token: string };
const sockets: Socket[] = [];

beforeAll(async () => {
  stack = await startStack({
    services: ['data_node', 'realtime', 'auth_node', 'student_node', 'queue_node'],
    env: { ADMIN_PASSWORD: 'events-test-pw' },
  });
  const [admin, s] = await seedUsers(stack.client, [
    { role: 'admin', username: 'evadm', name: 'Admin' },
    { role: 'student', username: 'evstu', name: 'Student', group: 'cs' },
  ]);
  const actor: Actor = { userId: admin!.id, role: 'admin' };
  course = await createCourse(stack.client, actor, { code: 'EV1', name: 'Events', capacity: 3, credits: 2, slots: [] });
  student = { id: s!.id, token: (await mintSessions(stack.client, [s!.id]))[0]! };
  await openSelection(stack.client, actor);
}, 60_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  await stack?.stop();
}, 30_000);

function connect(token: string): Promise<Socket> {
  const socket = io(`http://127.0.0.1:${stack.config.ports.realtime}${Namespaces.courses}`, {
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
});
