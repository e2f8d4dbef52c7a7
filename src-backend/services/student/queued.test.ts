import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { type Actor, type Course } from '../../contracts/courses.js';
import { startStack, type TestStack } from '../../testing/stack.js';
import { waitFor } from '../../testing/wait-for.js';
import {
  createCourse,
  httpCaller,
  mintSessions,
  openSelection,
  pendingTickets,
  seedUsers,
} from '../queue/testing/seed.js';
import { DataCourseRoutes } from '../../contracts/routes/data-courses.js';
import { StudentRoutes } from '../../contracts/routes/student.js';

/**
 * A queue that cannot keep up (one decision per transaction, a 1 ms answer window): student_node
 * answers 202 {status: "queued", ticket, position}, and GET /student/queue/status follows it.
 */
let stack: TestStack;
let actor: Actor;
let course: Course;

beforeAll(async () => {
  stack = await startStack({
    services: ['data_node', 'auth_node', 'student_node', 'queue_node'],
    env: { ADMIN_PASSWORD: 'queued-test-pw', QUEUE_ANSWER_MS: '1', QUEUE_MAX_DECIDE: '1' },
  });
  const [admin] = await seedUsers(stack.client, [{ role: 'admin', username: 'qadmin', name: 'Admin' }]);
  actor = { userId: admin!.id, role: 'admin' };
  course = await createCourse(stack.client, actor, { code: 'Q1', name: 'Queued', capacity: 5, credits: 1, slots: [] });
  await openSelection(stack.client, actor);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
}, 30_000);

describe('student_node when the queue falls behind', () => {
  it('answers 202 queued with ticket and position, then shows the outcome in the queue status', async () => {
    const users = await seedUsers(
      stack.client,
      Array.from({ length: 100 }, (_, i) => ({
        role: 'student' as const,
        username: `qs${i}`,
        name: `S${i}`,
        group: null,
      })),
    );
    const tokens = await mintSessions(
      stack.client,
      users.map((u) => u.id),
    );
    const callers = tokens.map((t) => httpCaller(stack.httpUrl('student_node'), t));
    const answers = await Promise.all(callers.map((c) => c('POST', StudentRoutes.select.url, { courseId: course.id })));
    const queued = answers.map((a, i) => ({ a, i })).filter(({ a }) => a.status === 202);
    expect(queued.length).toBeGreaterThan(0);
    for (const { a } of queued) {
      expect(a.body).toEqual({
        status: 'queued',
        ticket: expect.any(Number),
        position: expect.any(Number),
        courseId: course.id,
        action: 'select',
      });
      expect(a.body.position).toBeGreaterThanOrEqual(1);
    }
    expect(answers.every((a) => a.status === 200 || a.status === 202)).toBe(true);

    await waitFor(async () => (await pendingTickets(stack.client)) === 0, 30_000, 200);
    const { a, i } = queued[queued.length - 1]!;
    const status = await callers[i]!('GET', StudentRoutes.queueStatus.url);
    expect(status.body.pending).toBe(0);
    expect(status.body.tickets).toEqual([
      expect.objectContaining({
        ticket: a.body.ticket,
        courseId: course.id,
        courseCode: 'Q1',
        action: 'select',
        position: null,
        status: expect.stringMatching(/^(selected|full)$/),
      }),
    ]);
    const selected = await Promise.all(callers.map((c) => c('GET', StudentRoutes.selected.url)));
    expect(selected.reduce((n, r) => n + r.body.courses.length, 0)).toBe(5);
  }, 90_000);

  it('shows a waiting ticket with its place in line and no outcome, then the decision', async () => {
    const line = await createCourse(stack.client, actor, {
      code: 'Q2',
      name: 'Held line',
      capacity: 2,
      credits: 1,
      slots: [],
    });
    const [first, second, third] = await seedUsers(
      stack.client,
      ['qw1', 'qw2', 'qw3'].map((username) => ({ role: 'student' as const, username, name: username, group: null })),
    );
    const [, secondToken, thirdToken] = await mintSessions(stack.client, [first!.id, second!.id, third!.id]);
    const asSecond = httpCaller(stack.httpUrl('student_node'), secondToken!);
    const asThird = httpCaller(stack.httpUrl('student_node'), thirdToken!);

    // Hold the line still: with queue_node stopped nothing decides, so "waiting" is not a race.
    // The tickets are taken the way queue_node takes them, deciding only the first.
    await stack.supervisor.stop('queue_node');
    const submitted = await stack.client.call(DataCourseRoutes.queueSubmit, {
      body: {
        maxDecide: 1,
        requests: [first!, second!, third!].map((s) => ({
          requestId: randomUUID(),
          studentId: s.id,
          group: null,
          courseId: line.id,
          action: 'select' as const,
        })),
      },
    });
    expect(submitted.decided.map((d) => d.studentId)).toEqual([first!.id]);
    const thirdTicket = submitted.tickets[2]!.ticket;

    const waiting = await asThird('GET', StudentRoutes.queueStatus.url);
    expect(waiting.status).toBe(200);
    expect(waiting.body).toEqual({
      pending: 1,
      tickets: [
        expect.objectContaining({
          ticket: thirdTicket,
          courseId: line.id,
          courseCode: 'Q2',
          action: 'select',
          status: null,
          position: 2, // behind the second student's ticket
          decidedAt: null,
        }),
      ],
    });
    expect((await asSecond('GET', StudentRoutes.queueStatus.url)).body.tickets[0]).toMatchObject({
      position: 1,
      status: null,
    });
    expect((await asThird('GET', StudentRoutes.stats.url)).body.pendingTickets).toBe(1);

    // queue_node comes back and decides what it finds persisted, in ticket order: one seat was left
    await stack.supervisor.start('queue_node');
    await waitFor(async () => (await pendingTickets(stack.client)) === 0, 30_000, 100);
    const decided = await asThird('GET', StudentRoutes.queueStatus.url);
    expect(decided.body).toEqual({
      pending: 0,
      tickets: [
        expect.objectContaining({
          ticket: thirdTicket,
          status: 'full',
          position: null,
          decidedAt: expect.any(String),
        }),
      ],
    });
    expect((await asSecond('GET', StudentRoutes.queueStatus.url)).body.tickets[0]).toMatchObject({
      status: 'selected',
      position: null,
    });
    expect((await asSecond('GET', StudentRoutes.selected.url)).body.courses.map((c: Course) => c.id)).toEqual([
      line.id,
    ]);
  }, 90_000);
});
