import { describe, expect, it } from 'vitest';
import type { Pool } from 'undici';
import type { Actor } from '../../contracts/courses.js';
import type { TestStack } from '../../testing/stack.js';
import { finalStatus } from '../queue/testing/seed.js';
import { roundBooks, select, setUpRound, rushStackForFile, type RushAnswer } from '../queue/testing/rush-round.js';

/**
 * The rush through the front door: 2,000 students with sessions hit POST /student/course/select
 * at once over HTTP; student_node → queue_node → data_node, all real processes. Small queue
 * batches stretch each rush over many transactions. Crashes mid-rush: rush-crash.test.ts.
 */
let stack: TestStack;
let actor: Actor;
let pool: Pool;
rushStackForFile('rush', {}, (r) => ({ stack, actor, pool } = r));

/** The decision behind an answer: a 202 ticket is followed until it is decided. */
async function decided(a: RushAnswer, studentId: number): Promise<string | undefined> {
  return a.status === 202 ? finalStatus(stack.client, studentId, a.body.ticket!) : a.body.status;
}

describe('the registration rush through student_node', () => {
  it('2,000 concurrent students for 100 seats over 5 courses: exactly capacity, no duplicates, everyone answered', async () => {
    const { courses, students, tokens } = await setUpRound(stack, actor);
    const answers = await Promise.all(tokens.map((t, i) => select(pool, t, courses[i % 5]!.id)));
    // 200 decided, or 202 accepted with a ticket (a loaded machine may not decide within ~2 s)
    expect(answers.map((a) => a.status).filter((s) => s !== 200 && s !== 202)).toEqual([]);
    const statuses = await Promise.all(answers.map((a, i) => decided(a, students[i]!.id)));
    const selected = answers.filter((_, i) => statuses[i] === 'selected');
    expect(selected).toHaveLength(100);
    expect(statuses.filter((s) => s === 'full')).toHaveLength(1900);
    for (const c of courses) expect(selected.filter((a) => a.body.courseId === c.id)).toHaveLength(20);
    const books = await roundBooks(stack, actor, courses);
    expect(books.violations).toEqual([]);
    expect(books.enrollments.size).toBe(100);
    answers.forEach((a, i) => {
      if (statuses[i] === 'selected') expect(books.enrollments.has(`${students[i]!.id}:${a.body.courseId}`)).toBe(true);
    });
  }, 90_000);

  it('the same student sending the same select 4 times at once is enrolled exactly once', async () => {
    // 500 students × 4 identical requests = 2,000 at once, for 100 seats
    const { courses, students, tokens } = await setUpRound(stack, actor, { studentCount: 500 });
    const copies = 4;
    const answers = await Promise.all(
      tokens.flatMap((t, i) => Array.from({ length: copies }, () => select(pool, t, courses[i % 5]!.id))),
    );
    expect(answers.map((a) => a.status).filter((s) => s !== 200 && s !== 202)).toEqual([]);
    const statuses = await Promise.all(answers.map((a, k) => decided(a, students[Math.floor(k / copies)]!.id)));
    const books = await roundBooks(stack, actor, courses);
    expect(books.violations).toEqual([]);
    expect(books.enrollments.size).toBe(100);
    students.forEach((s, i) => {
      const mine = answers
        .slice(i * copies, (i + 1) * copies)
        .map((a, j) => ({ ticket: a.body.ticket!, status: statuses[i * copies + j] }));
      // each copy is its own ticket, decided in ticket order: one seat, then "already selected";
      // or the course was full for the first, and so for every later one
      expect(new Set(mine.map((m) => m.ticket)).size).toBe(copies);
      const inOrder = mine.sort((a, b) => a.ticket - b.ticket).map((m) => m.status);
      if (books.enrollments.has(`${s.id}:${courses[i % 5]!.id}`))
        expect(inOrder).toEqual(['selected', ...Array(copies - 1).fill('already_selected')]);
      else expect(inOrder).toEqual(Array(copies).fill('full'));
    });
  }, 90_000);
});
