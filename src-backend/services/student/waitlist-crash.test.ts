import { describe, expect, it } from 'vitest';
import type { Pool } from 'undici';
import type { Actor } from '../../contracts/courses.js';
import type { EnrollmentLogEntry } from '../../contracts/registrar.js';
import { DataCourseRoutes as D } from '../../contracts/routes/data-courses.js';
import { StudentRoutes as S } from '../../contracts/routes/student.js';
import type { ServiceName } from '../../contracts/services.js';
import type { TestStack } from '../../testing/stack.js';
import { waitFor } from '../../testing/wait-for.js';
import { pendingTickets, ticketsOf } from '../queue/testing/seed.js';
import {
  accepted,
  queueCall,
  roundBooks,
  setUpRound,
  rushStackForFile,
  restartedAfterKill,
  type RushAnswer,
} from '../queue/testing/rush-round.js';

/**
 * A rush heavy with waitlists, with data_node or queue_node SIGKILLed in the middle: 200 seats
 * are taken, then 1,000 students join the waitlists while 100 holders give their seats back
 * (each promotes a head) and 100 others join another course swapping their own. Every
 * accepted answer must be in the database, the seats must all be filled from the waitlists,
 * promotions FIFO per course, and the change log must replay to exactly the enrollments.
 */
let stack: TestStack;
let actor: Actor;
let pool: Pool;
rushStackForFile('wlcrash', { QUEUE_ANSWER_MS: '300' }, (r) => ({ stack, actor, pool } = r));

const COURSES = 5;
const CAPACITY = 40;
const SEATS = COURSES * CAPACITY;
const JOINERS = 1000;

async function waitlistRushAndKill(victim: ServiceName) {
  const { courses, students, tokens } = await setUpRound(stack, actor, {
    courseCount: COURSES,
    capacity: CAPACITY,
    studentCount: SEATS + JOINERS,
  });
  const courseOf = (i: number) => courses[i % COURSES]!.id;
  // the seats are taken first, so every join below meets a full course
  const fill = await Promise.all(
    tokens.slice(0, SEATS).map((t, i) => queueCall(pool, t, S.select, { courseId: courseOf(i) }, `fill-${i}`)),
  );
  expect(fill.every(accepted)).toBe(true);
  await waitFor(async () => (await pendingTickets(stack.client)) === 0, 60_000, 200);
  expect((await roundBooks(stack, actor, courses)).enrollments.size).toBe(SEATS);

  // the rush: [route, body] per student, each with its own Idempotency-Key (the same on a retry)
  type Req = readonly [{ readonly url: string }, { courseId: number; swapFrom?: number }];
  const plan: Array<Req | null> = tokens.map((_, i): Req | null => {
    if (i < 100) return [S.deselect, { courseId: courseOf(i) }];
    if (i < 200) return [S.waitlistJoin, { courseId: courseOf(i + 1), swapFrom: courseOf(i) }];
    if (i < SEATS) return null;
    return [S.waitlistJoin, { courseId: courseOf(i) }];
  });
  const send = (i: number) => queueCall(pool, tokens[i]!, plan[i]![0], plan[i]![1], `rush-${i}`);
  let answered = 0;
  const order = plan.flatMap((p, i) => (p && i >= SEATS ? [i] : []));
  const inflight = order.map((i) => send(i).finally(() => answered++));
  // once the lines have formed, the holders move (each deselect or swap promotes a head) and the kill lands among them
  await waitFor(() => answered >= 100, 30_000, 5);
  const moves = plan.flatMap((p, i) => (p && i < SEATS ? [i] : []));
  order.push(...moves);
  inflight.push(...moves.map((i) => send(i).finally(() => answered++)));
  const pid = stack.pid(victim);
  await waitFor(() => answered >= 250, 30_000, 5);
  process.kill(pid, 'SIGKILL');
  const answeredAtKill = answered;
  const first = new Map<number, RushAnswer>((await Promise.all(inflight)).map((a, k) => [order[k]!, a]));
  await restartedAfterKill(stack, victim, pid);
  const retried = new Map<number, RushAnswer>();
  for (const [i, a] of first) if (!accepted(a)) retried.set(i, await send(i));
  await waitFor(async () => (await pendingTickets(stack.client)) === 0, 60_000, 200);
  const tickets = await ticketsOf(
    stack.client,
    students.map((s) => s.id),
  );
  const books = await roundBooks(stack, actor, courses);
  const log: EnrollmentLogEntry[] = [];
  for (const c of courses) {
    const page = await stack.client.call(D.enrollmentLog, {
      body: { actor, query: { courseId: c.id }, limit: 50_000 },
      timeoutMs: 30_000,
    });
    log.push(...page.entries);
  }
  return { answeredAtKill, first, retried, tickets, books, students, log: log.sort((a, b) => a.id - b.id) };
}

function expectInvariants(o: Awaited<ReturnType<typeof waitlistRushAndKill>>) {
  expect(o.answeredAtKill).toBeLessThan(JOINERS); // the kill landed mid-rush
  const refused = [...o.first.values()].filter((a) => !accepted(a));
  expect(refused.filter((a) => a.status !== 0 && !(a.status === 503 && a.body.error?.code))).toEqual([]);
  expect([...o.retried.values()].filter((a) => !accepted(a))).toEqual([]);

  // every acknowledged answer is persisted: its ticket, and its decision when one was given
  for (const [i, a] of o.first) {
    if (!accepted(a)) continue;
    const t = o.tickets[i]!.tickets.find((x) => x.ticket === a.body.ticket);
    expect(t, `student ${o.students[i]!.id}: answered ${a.status} ticket ${a.body.ticket}`).toBeDefined();
    if (a.status === 200) expect(t!.status).toBe(a.body.status);
  }
  // never oversold, and every freed seat went to the waitlist (plenty of students wait in every course)
  expect(o.books.violations).toEqual([]);
  expect(o.books.enrollments.size).toBe(SEATS);

  // the log replays to exactly the enrollments
  const replay = new Set<string>();
  for (const l of o.log) {
    const key = `${l.studentId}:${l.courseId}`;
    if (l.status === 'selected' || l.status === 'promoted' || l.status === 'overridden') replay.add(key);
    if (l.status === 'deselected' || l.status === 'swapped' || l.status === 'removed') replay.delete(key);
  }
  expect(replay).toEqual(o.books.enrollments);

  // FIFO per course: promotions follow the order of the join tickets (everyone here is eligible)
  const byCourse = new Map<number, number[]>();
  for (const l of o.log.filter((x) => x.status === 'promoted')) {
    byCourse.set(l.courseId, [...(byCourse.get(l.courseId) ?? []), l.ticket!]);
  }
  const summary: Record<string, number> = {};
  for (const l of o.log) summary[`${l.action}:${l.status}`] = (summary[`${l.action}:${l.status}`] ?? 0) + 1;
  expect(byCourse.size, JSON.stringify(summary)).toBe(COURSES);
  for (const tickets of byCourse.values()) expect(tickets).toEqual([...tickets].sort((a, b) => a - b));
  expect(o.log.filter((x) => x.status === 'skipped')).toEqual([]);
}

describe('SIGKILL during a waitlist-heavy rush', () => {
  it('of data_node: no acknowledged answer lost, invariants hold', async () => {
    expectInvariants(await waitlistRushAndKill('data_node'));
  }, 240_000);

  it('of queue_node: no acknowledged answer lost, invariants hold', async () => {
    expectInvariants(await waitlistRushAndKill('queue_node'));
  }, 240_000);
});
