import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STUDENT_PATHS as P, type Actor, type Course } from '../../contracts/courses.js';
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

/**
 * A queue that cannot keep up (one decision per transaction, a 1 ms answer window): student_node
 * answers 202 {status: "queued", ticket, position}, and GET /student/queue/status follows it.
 */
let stack: TestStack;
let course: Course;

beforeAll(async () => {
  stack = await startStack({
    services: ['data_node', 'auth_node', 'student_node', 'queue_node'],
    env: { ADMIN_PASSWORD: 'queued-test-pw', QUEUE_ANSWER_MS: '1', QUEUE_MAX_DECIDE: '1' },
  });
  const [admin] = await seedUsers(stack.client, [{ role: 'admin', username: 'qadmin', name: 'Admin' }]);
  const actor: Actor = { userId: admin!.id, role: 'admin' };
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
    const answers = await Promise.all(callers.map((c) => c('POST', P.select, { courseId: course.id })));
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
    const status = await callers[i]!('GET', P.queueStatus);
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
    const selected = await Promise.all(callers.map((c) => c('GET', P.selected)));
    expect(selected.reduce((n, r) => n + r.body.courses.length, 0)).toBe(5);
  }, 90_000);
});
