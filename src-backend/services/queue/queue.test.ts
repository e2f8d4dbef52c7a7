import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type Actor, type QueueResult } from '../../contracts/courses.js';
import { startStack, type TestStack } from '../../testing/stack.js';
import { waitFor } from '../../testing/wait-for.js';
import { QueueForwarder } from '../../shared/queue-forwarder.js';
import {
  createCourse,
  finalStatus,
  pendingTickets,
  ticketsOf,
  openSelection,
  readBooks,
  seedUsers,
} from './testing/seed.js';
import { QueueRoutes } from '../../contracts/routes/queue.js';

let stack: TestStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

/** One open course, `count` students and an admin: the line the slow-queue tests watch. */
async function seedLine(s: TestStack, name: string, capacity: number, count: number) {
  const [admin] = await seedUsers(s.client, [{ role: 'admin', username: `${name}-admin`, name: 'Admin' }]);
  const actor: Actor = { userId: admin!.id, role: 'admin' };
  const course = await createCourse(s.client, actor, {
    code: name.toUpperCase(),
    name,
    capacity,
    credits: 1,
    slots: [],
  });
  const students = await seedUsers(
    s.client,
    Array.from({ length: count }, (_, i) => ({
      role: 'student' as const,
      username: `${name}${i}`,
      name: 'S',
      group: null,
    })),
  );
  await openSelection(s.client, actor);
  return { actor, course, students };
}

/** 5 courses × 20 seats, 2,000 students, an admin to read the books with. */
async function seedRush(s: TestStack) {
  const [admin] = await seedUsers(s.client, [{ role: 'admin', username: 'rush-admin', name: 'Admin' }]);
  const actor: Actor = { userId: admin!.id, role: 'admin' };
  const courses = [];
  for (let i = 0; i < 5; i++) {
    courses.push(
      await createCourse(s.client, actor, {
        code: `RUSH${i}`,
        name: `Rush ${i}`,
        capacity: 20,
        credits: 3,
        slots: [{ day: i + 1, start: '10:00', end: '12:00' }],
      }),
    );
  }
  const students = await seedUsers(
    s.client,
    Array.from({ length: 2000 }, (_, i) => ({
      role: 'student' as const,
      username: `rush${i}`,
      name: `Student ${i}`,
      group: 'cs',
    })),
  );
  await openSelection(s.client, actor);
  return { actor, courses, students };
}

describe('queue_node: the registration rush (real processes, real database)', () => {
  it('2,000 concurrent students, 100 seats over 5 courses: exactly capacity, no duplicates, everyone answered', async () => {
    stack = await startStack({ services: ['data_node', 'queue_node'] });
    const s = stack;
    const { actor, courses, students } = await seedRush(s);
    const answers = await Promise.all(
      students.map((st, i) =>
        s.client
          .call(QueueRoutes.submit, {
            body: {
              requests: [
                {
                  requestId: randomUUID(),
                  studentId: st.id,
                  group: 'cs',
                  courseId: courses[i % 5]!.id,
                  action: 'select',
                },
              ],
            },
            timeoutMs: 60_000,
          })
          .then((r) => r.results[0]!),
      ),
    );
    expect(answers).toHaveLength(2000);
    // Decided at once, or (on a loaded machine) accepted as "queued" with a ticket and decided later.
    expect(answers.every((a) => a.outcome === 'decided' || (a.outcome === 'queued' && a.ticket! > 0))).toBe(true);
    for (const [i, a] of answers.entries()) {
      if (a.outcome === 'queued')
        a.status = (await finalStatus(s.client, students[i]!.id, a.ticket!)) as QueueResult['status'];
    }
    const selected = answers.filter((a) => a.status === 'selected');
    expect(selected).toHaveLength(100);
    expect(answers.filter((a) => a.status === 'full')).toHaveLength(1900);
    for (const c of courses) expect(selected.filter((a) => a.courseId === c.id)).toHaveLength(20);

    const books = await readBooks(s.client, actor);
    expect(books.violations).toEqual([]);
    expect(books.enrolledTotal).toBe(100);
    selected.forEach((a, i) =>
      expect(books.enrollments.has(`${students[answers.indexOf(a)]!.id}:${a.courseId}`), `answer ${i}`).toBe(true),
    );
    // Group commit: far fewer data transactions than requests.
    const stats = await s.client.call(QueueRoutes.stats);
    expect(stats.decided).toBeGreaterThanOrEqual(2000);
    expect(stats.batches).toBeGreaterThan(0);
    expect(stats.batches).toBeLessThan(1000);
    expect(stats.waiting).toBe(0);
    expect(
      (await s.client.request('GET', 'queue_node', QueueRoutes.stats.url, undefined, { internal: false })).statusCode,
    ).toBe(401);
  }, 60_000);

  it('SIGKILL of queue_node mid-rush loses no accepted selection, and the books balance', async () => {
    // Small batches and transactions stretch the rush out and leave undecided tickets behind.
    stack = await startStack({
      services: ['data_node', 'queue_node'],
      env: { QUEUE_MAX_BATCH: '40', QUEUE_MAX_DECIDE: '20' },
    });
    const s = stack;
    const { actor, courses, students } = await seedRush(s);
    // The same forwarder student_node uses: it re-sends a batch, same requestIds, when the queue dies.
    const forwarder = new QueueForwarder(s.client, { retryForMs: 15_000, maxBatch: 20 });
    let answered = 0;
    const pending = students.map((st, i) =>
      forwarder
        .submit({
          requestId: randomUUID(),
          studentId: st.id,
          group: 'cs',
          courseId: courses[i % 5]!.id,
          action: 'select',
        })
        .then(
          (r): QueueResult | Error => r,
          (e: Error) => e,
        )
        .finally(() => answered++),
    );
    const victim = s.pid('queue_node');
    await waitFor(() => answered >= 100, 10_000, 5);
    process.kill(victim, 'SIGKILL');
    const answeredAtKill = answered;
    const answers = await Promise.all(pending);
    expect(answeredAtKill).toBeLessThan(1500); // really mid-rush
    await waitFor(
      () =>
        s.supervisor
          .status()
          .processes.find((p) => p.name === 'queue_node' && p.state === 'running' && p.pid !== victim),
      10_000,
    );
    expect(s.supervisor.status().processes.find((p) => p.name === 'queue_node')!.restarts).toBeGreaterThanOrEqual(1);

    // Everyone got an answer: decided, or queued with a ticket (none lost in the crash).
    const errors = answers.filter((a) => a instanceof Error);
    expect(errors).toEqual([]);
    const results = answers as QueueResult[];
    expect(results.every((r) => r.outcome === 'decided' || (r.outcome === 'queued' && r.ticket! > 0))).toBe(true);

    // The restarted queue re-decides whatever was accepted but undecided.
    await waitFor(async () => (await pendingTickets(s.client)) === 0, 30_000, 200);
    const tickets = await ticketsOf(
      s.client,
      students.map((x) => x.id),
    );

    const books = await readBooks(s.client, actor);
    expect(books.violations).toEqual([]);
    expect(books.enrolledTotal).toBe(100);
    // Every ticket decided "selected" is an enrollment, and every enrollment has such a ticket.
    const selectedTickets = new Set<string>();
    tickets.forEach((t, i) => {
      expect(t.tickets.length).toBe(1); // a retried request never became a second ticket
      for (const tk of t.tickets)
        if (tk.status === 'selected') selectedTickets.add(`${students[i]!.id}:${tk.courseId}`);
    });
    expect(selectedTickets).toEqual(books.enrollments);
    results.forEach((r, i) => {
      if (r.status === 'selected') expect(books.enrollments.has(`${students[i]!.id}:${r.courseId}`)).toBe(true);
    });
  }, 90_000);

  it('answers 202-style "queued" with ticket and position when not decided in time, and decides later in order', async () => {
    stack = await startStack({
      services: ['data_node', 'queue_node'],
      env: { QUEUE_ANSWER_MS: '1', QUEUE_MAX_DECIDE: '1' },
    });
    const s = stack;
    const { actor, course: c, students } = await seedLine(s, 'slow', 10, 200);
    const res = await s.client.call(QueueRoutes.submit, {
      body: {
        requests: students.map((st) => ({
          requestId: randomUUID(),
          studentId: st.id,
          group: null,
          courseId: c.id,
          action: 'select' as const,
        })),
      },
    });
    const queued = res.results.filter((r) => r.outcome === 'queued');
    expect(queued.length).toBeGreaterThan(0);
    for (const q of queued) {
      expect(q.ticket).toBeGreaterThan(0);
      expect(q.position).toBeGreaterThanOrEqual(1);
    }
    // A place in line counts the undecided tickets up to this one as the line stood when it was
    // asked. Places are asked at different moments while the line moves, so two of them may
    // cross; but none can exceed the ticket's rank among this batch's tickets.
    const tickets = res.results.flatMap((r) => (r.ticket ? [r.ticket] : [])).sort((a, b) => a - b);
    for (const q of queued) expect(q.position).toBeLessThanOrEqual(tickets.indexOf(q.ticket!) + 1);
    await waitFor(async () => (await pendingTickets(s.client)) === 0, 30_000, 200);
    const statuses = (
      await ticketsOf(
        s.client,
        students.map((x) => x.id),
      )
    ).map((t) => t.tickets[0]!);
    // FIFO: the 10 seats went to the 10 lowest tickets.
    const ordered = statuses.sort((a, b) => a.ticket - b.ticket);
    expect(ordered.slice(0, 10).every((t) => t.status === 'selected')).toBe(true);
    expect(ordered.slice(10).every((t) => t.status === 'full')).toBe(true);
    expect((await readBooks(s.client, actor)).violations).toEqual([]);
  }, 90_000);

  it('QUEUE_BACKLOG_PAUSE_MS keeps a line long, yet a new request still gets its ticket at once', async () => {
    stack = await startStack({
      services: ['data_node', 'queue_node'],
      env: { QUEUE_ANSWER_MS: '1', QUEUE_MAX_DECIDE: '1', QUEUE_BACKLOG_PAUSE_MS: '5000' },
    });
    const s = stack;
    const { course: c, students } = await seedLine(s, 'pace', 50, 21);
    const select = (st: { id: number }) => ({
      requestId: randomUUID(),
      studentId: st.id,
      group: null,
      courseId: c.id,
      action: 'select' as const,
    });
    const first = await s.client.call(QueueRoutes.submit, { body: { requests: students.slice(0, 20).map(select) } });
    expect(first.results.filter((r) => r.outcome === 'queued').length).toBeGreaterThanOrEqual(18);
    // a new arrival ends the pause: answered "queued" with its ticket, not after the 5 s pause
    const t0 = performance.now();
    const late = await s.client.call(QueueRoutes.submit, { body: { requests: [select(students[20]!)] } });
    expect(performance.now() - t0).toBeLessThan(2500);
    expect(late.results[0]).toMatchObject({ outcome: 'queued', ticket: expect.any(Number) });
    // ...and the line still works off one ticket per pause: most of it is waiting a second later
    await new Promise((r) => setTimeout(r, 1000));
    expect(await pendingTickets(s.client)).toBeGreaterThanOrEqual(15);
  }, 60_000);
});
