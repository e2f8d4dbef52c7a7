import { describe, expect, it } from 'vitest';
import type { Pool } from 'undici';
import type { Actor } from '../../contracts/courses.js';
import type { ServiceName } from '../../contracts/services.js';
import type { TestStack } from '../../testing/stack.js';
import { waitFor } from '../../testing/wait-for.js';
import { pendingTickets, ticketsOf } from '../queue/testing/seed.js';
import {
  accepted,
  roundBooks,
  select,
  setUpRound,
  rushStackForFile,
  restartedAfterKill,
  type RushAnswer,
} from '../queue/testing/rush-round.js';

/**
 * A crash of any service loses no accepted request: each service on the selection
 * path is SIGKILLed in the middle of a 2,000-student rush for 500 seats. Accepted means a 200
 * decision or a 202 ticket. Small queue batches stretch each rush so the kill lands inside it,
 * and a short answer window makes some answers 202 tickets while the kill is under way.
 */
let stack: TestStack;
let actor: Actor;
let pool: Pool;
rushStackForFile('crash', { QUEUE_ANSWER_MS: '300' }, (r) => ({ stack, actor, pool } = r));

/** More seats than the 100 of the plain rush, so that seats are still being given out when the kill lands. */
const SEATS = 500;

/**
 * `withKeys`: every student sends an Idempotency-Key, the same on the first try and the retry.
 * `coldSessions`: the kill lands before the rush, so no student's session has been looked up yet.
 */
async function rushAndKill(victim: ServiceName, withKeys = false, coldSessions = false) {
  const { courses, students, tokens } = await setUpRound(stack, actor, { capacity: SEATS / 5 });
  const courseOf = (i: number) => courses[i % courses.length]!.id;
  let answered = 0;
  const keyOf = (i: number) => (withKeys ? `select-${i}` : undefined);
  const pid = stack.pid(victim);
  if (coldSessions) process.kill(pid, 'SIGKILL');
  const inflight = tokens.map((t, i) => select(pool, t, courseOf(i), keyOf(i)).finally(() => answered++));
  if (!coldSessions) {
    await waitFor(() => answered >= 100, 30_000, 5);
    process.kill(pid, 'SIGKILL');
  }
  const answeredAtKill = answered;
  const first = await Promise.all(inflight);
  await restartedAfterKill(stack, victim, pid);

  // A student left without an acceptance asks again once the service is back, as a client would.
  const again = first.flatMap((a, i) => (accepted(a) ? [] : [i]));
  const retried = new Map<number, RushAnswer>(
    await Promise.all(again.map(async (i) => [i, await select(pool, tokens[i]!, courseOf(i), keyOf(i))] as const)),
  );
  await waitFor(async () => (await pendingTickets(stack.client)) === 0, 60_000, 200);
  const tickets = await ticketsOf(
    stack.client,
    students.map((s) => s.id),
  );
  const books = await roundBooks(stack, actor, courses);
  return { answeredAtKill, first, retried, tickets, books, students };
}

type Outcome = Awaited<ReturnType<typeof rushAndKill>>;

/** The same checks after every kill. */
function expectNothingLost({ answeredAtKill, first, retried, tickets, books, students }: Outcome) {
  expect(answeredAtKill).toBeLessThan(SEATS); // the kill really landed mid-rush, before the seats ran out
  // A refusal is a clear one: a dropped connection or a coded 503, never a 500 or a 4xx.
  const refused = first.filter((a) => !accepted(a));
  expect(refused.filter((a) => a.status !== 0 && !(a.status === 503 && a.body.error?.code))).toEqual([]);
  expect([...retried.values()].filter((a) => !accepted(a))).toEqual([]);

  // Every accepted answer is in the database: its ticket, its course, and its decision if one was given.
  first.forEach((a, i) => {
    if (!accepted(a)) return;
    const t = tickets[i]!.tickets.find((x) => x.ticket === a.body.ticket);
    expect(t, `student ${students[i]!.id} was answered ${a.status} with ticket ${a.body.ticket}`).toBeDefined();
    expect(t!.courseId).toBe(a.body.courseId);
    if (a.status === 200) expect(t!.status).toBe(a.body.status);
    // a request answered once was never turned into a second ticket
    if (!retried.has(i)) expect(tickets[i]!.tickets).toHaveLength(1);
  });

  // Capacity held, counters balance, nobody twice; every seat backed by exactly one selected ticket.
  expect(books.violations).toEqual([]);
  expect(books.enrollments.size).toBe(SEATS); // 2,000 asked for fewer seats, so every seat went
  const selected = tickets.flatMap((t, i) =>
    t.tickets.filter((x) => x.status === 'selected').map((x) => `${students[i]!.id}:${x.courseId}`),
  );
  expect(selected).toHaveLength(SEATS);
  expect(new Set(selected)).toEqual(books.enrollments);
}

describe('SIGKILL mid-rush loses no accepted selection', () => {
  it('of queue_node: student_node re-sends under the same requestIds', async () => {
    expectNothingLost(await rushAndKill('queue_node'));
  }, 180_000);

  it('of data_node: undecided tickets are decided after it restarts', async () => {
    expectNothingLost(await rushAndKill('data_node'));
  }, 180_000);

  it('of data_node with a cold session cache: session look-ups wait for it, and no request fails', async () => {
    const outcome = await rushAndKill('data_node', false, true);
    expectNothingLost(outcome);
    expect(outcome.first.filter((a) => !accepted(a))).toEqual([]);
  }, 180_000);

  it('of student_node: what it had handed on is decided, what it had not is asked again', async () => {
    const outcome = await rushAndKill('student_node', true);
    expectNothingLost(outcome);
    expect(outcome.retried.size).toBeGreaterThan(0); // its open connections really dropped
    // with an Idempotency-Key, a retry whose first try was saved (answer lost) is that same ticket
    expect(outcome.tickets.filter((t) => t.tickets.length !== 1)).toEqual([]);
  }, 180_000);
});
