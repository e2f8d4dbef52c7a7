import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pool } from 'undici';
import { STUDENT_PATHS as P, type Actor, type Course } from '../../contracts/courses.js';
import { startStack, type TestStack } from '../../testing/stack.js';
import { waitFor } from '../../testing/wait-for.js';
import {
  createCourse,
  finalStatus,
  pendingTickets,
  ticketsOf,
  mintSessions,
  openSelection,
  readBooks,
  seedUsers,
} from '../queue/testing/seed.js';

/**
 * The rush through the front door: 2,000 students with sessions hit POST /student/course/select
 * at once over HTTP; student_node → queue_node → data_node, all real processes. Small queue
 * batches stretch each rush so the SIGKILL below lands in the middle of one.
 */
let stack: TestStack;
let actor: Actor;
let pool: Pool;
let round = 0;

beforeAll(async () => {
  stack = await startStack({
    services: ['data_node', 'auth_node', 'student_node', 'queue_node'],
    env: { ADMIN_PASSWORD: 'rush-test-pw', QUEUE_MAX_BATCH: '50', QUEUE_MAX_DECIDE: '25' },
  });
  const [admin] = await seedUsers(stack.client, [{ role: 'admin', username: 'rushadm', name: 'Admin' }]);
  actor = { userId: admin!.id, role: 'admin' };
  await openSelection(stack.client, actor);
  pool = new Pool(stack.httpUrl('student_node'), { connections: 500 });
}, 60_000);
afterAll(async () => {
  await pool?.close();
  await stack?.stop();
}, 30_000);

/** 5 fresh courses × 20 seats and 2,000 fresh students with sessions. */
async function setUpRound() {
  round++;
  const courses: Course[] = [];
  for (let i = 0; i < 5; i++) {
    courses.push(
      await createCourse(stack.client, actor, {
        code: `R${round}C${i}`,
        name: `Round ${round} ${i}`,
        capacity: 20,
        credits: 2,
        slots: [],
      }),
    );
  }
  const students = await seedUsers(
    stack.client,
    Array.from({ length: 2000 }, (_, i) => ({
      role: 'student' as const,
      username: `r${round}s${i}`,
      name: `S${i}`,
      group: 'cs',
    })),
  );
  const tokens = await mintSessions(
    stack.client,
    students.map((s) => s.id),
  );
  return { courses, students, tokens };
}

interface Answer {
  status: number;
  body: { status?: string; ticket?: number; courseId?: number; error?: { code: string } };
}

function select(token: string, courseId: number): Promise<Answer> {
  return pool
    .request({
      method: 'POST',
      path: P.select,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ courseId }),
    })
    .then(async (r) => ({ status: r.statusCode, body: (await r.body.json()) as Answer['body'] }));
}

/** Books for this round's courses only: ≤ capacity, counters = rows, nobody twice. */
async function roundBooks(courses: Course[]) {
  const books = await readBooks(stack.client, actor);
  const ids = new Set(courses.map((c) => c.id));
  const mine = [...books.enrollments].filter((k) => ids.has(Number(k.split(':')[1])));
  return { violations: books.violations, enrollments: new Set(mine) };
}

describe('the registration rush through student_node', () => {
  it('2,000 concurrent students for 100 seats over 5 courses: exactly capacity, no duplicates, everyone answered', async () => {
    const { courses, students, tokens } = await setUpRound();
    const answers = await Promise.all(tokens.map((t, i) => select(t, courses[i % 5]!.id)));
    // 200 decided, or 202 accepted with a ticket (a loaded machine may not decide within ~2 s)
    expect(answers.map((a) => a.status).filter((s) => s !== 200 && s !== 202)).toEqual([]);
    for (const [i, a] of answers.entries()) {
      if (a.status === 202) a.body.status = await finalStatus(stack.client, students[i]!.id, a.body.ticket!);
    }
    const selected = answers.filter((a) => a.body.status === 'selected');
    expect(selected).toHaveLength(100);
    expect(answers.filter((a) => a.body.status === 'full')).toHaveLength(1900);
    for (const c of courses) expect(selected.filter((a) => a.body.courseId === c.id)).toHaveLength(20);
    const books = await roundBooks(courses);
    expect(books.violations).toEqual([]);
    expect(books.enrollments.size).toBe(100);
    answers.forEach((a, i) => {
      if (a.body.status === 'selected')
        expect(books.enrollments.has(`${students[i]!.id}:${a.body.courseId}`)).toBe(true);
    });
  }, 90_000);

  it('SIGKILL of queue_node mid-rush loses no accepted selection, and the books balance', async () => {
    const { courses, students, tokens } = await setUpRound();
    let answered = 0;
    const inflight = tokens.map((t, i) => select(t, courses[i % 5]!.id).finally(() => answered++));
    const victim = stack.pid('queue_node');
    await waitFor(() => answered >= 100, 20_000, 5);
    process.kill(victim, 'SIGKILL');
    const answeredAtKill = answered;
    const answers = await Promise.all(inflight);
    expect(answeredAtKill).toBeLessThan(1500); // the kill really landed mid-rush
    await waitFor(
      () =>
        stack.supervisor
          .status()
          .processes.find((p) => p.name === 'queue_node' && p.state === 'running' && p.pid !== victim),
      15_000,
    );

    // Everyone answered: decided (200) or accepted with a ticket (202); student_node re-sent what the
    // dead queue had not answered, under the same requestIds.
    expect(answers.filter((a) => a.status !== 200 && a.status !== 202).map((a) => a.body.error?.code)).toEqual([]);
    expect(answers.every((a) => (a.body.ticket ?? 0) > 0)).toBe(true);

    // Accepted-but-undecided tickets are decided by the restarted queue.
    await waitFor(async () => (await pendingTickets(stack.client)) === 0, 30_000, 200);
    const tickets = await ticketsOf(
      stack.client,
      students.map((x) => x.id),
    );
    const books = await roundBooks(courses);
    expect(books.violations).toEqual([]);
    expect(books.enrollments.size).toBe(100);
    const selectedTickets = new Set<string>();
    tickets.forEach((t, i) => {
      expect(t.tickets).toHaveLength(1); // a re-sent request never became a second ticket
      if (t.tickets[0]!.status === 'selected') selectedTickets.add(`${students[i]!.id}:${t.tickets[0]!.courseId}`);
      if (answers[i]!.status === 200) expect(t.tickets[0]!.status).toBe(answers[i]!.body.status);
    });
    expect(selectedTickets).toEqual(books.enrollments);
  }, 120_000);
});
