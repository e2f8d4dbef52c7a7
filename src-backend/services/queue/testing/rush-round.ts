import { Pool } from 'undici';
import { afterAll, beforeAll } from 'vitest';
import type { ServiceName } from '../../../contracts/services.js';
import { waitFor } from '../../../testing/wait-for.js';
import { type Actor, type Course } from '../../../contracts/courses.js';
import { startStack, type TestStack } from '../../../testing/stack.js';
import { createCourse, mintSessions, openSelection, readBooks, seedUsers, type SeededUser } from './seed.js';
import { StudentRoutes } from '../../../contracts/routes/student.js';

/**
 * One round of the registration rush through the front door (student_node over HTTP), shared
 * by the rush tests and the crash-mid-rush tests: fresh courses and fresh students each round,
 * so rounds in one stack never see each other's seats.
 */

export interface RushAnswer {
  /** HTTP status; 0 when the connection failed (the service died under the request) */
  readonly status: number;
  readonly body: {
    status?: string;
    ticket?: number;
    courseId?: number;
    position?: number;
    swappedFrom?: number;
    error?: { code: string };
  };
}

export interface RushRound {
  readonly courses: Course[];
  readonly students: SeededUser[];
  readonly tokens: string[];
}

/** A connection pool wide enough that 2,000 requests really are in flight together. */
export interface RushStack {
  readonly stack: TestStack;
  /** the admin that seeds courses and reads the books */
  readonly actor: Actor;
  readonly pool: Pool;
  stop(): Promise<void>;
}

/** The selection path as real processes, small queue batches, the window open and a client pool. */
export async function startRushStack(name: string, env: Record<string, string> = {}): Promise<RushStack> {
  const stack = await startStack({
    services: ['data_node', 'auth_node', 'student_node', 'queue_node'],
    env: { ADMIN_PASSWORD: `${name}-test-pw`, QUEUE_MAX_BATCH: '50', QUEUE_MAX_DECIDE: '25', ...env },
  });
  const [admin] = await seedUsers(stack.client, [{ role: 'admin', username: `${name}adm`, name: 'Admin' }]);
  const actor: Actor = { userId: admin!.id, role: 'admin' };
  await openSelection(stack.client, actor);
  const pool = rushPool(stack);
  return {
    stack,
    actor,
    pool,
    async stop() {
      await pool.close();
      await stack.stop();
    },
  };
}

/** A rush stack for one test file: started before its tests (handed to `use`), stopped after them. */
export function rushStackForFile(name: string, env: Record<string, string>, use: (r: RushStack) => void): void {
  let rush: RushStack | undefined;
  beforeAll(async () => {
    rush = await startRushStack(name, env);
    use(rush);
  }, 60_000);
  afterAll(() => rush?.stop(), 30_000);
}

/** Resolves once `name` runs again under a new pid (after it was SIGKILLed). */
export const restartedAfterKill = (stack: TestStack, name: ServiceName, oldPid: number) =>
  waitFor(
    () => stack.supervisor.status().processes.find((p) => p.name === name && p.state === 'running' && p.pid !== oldPid),
    30_000,
  );

export function rushPool(stack: TestStack): Pool {
  return new Pool(stack.httpUrl('student_node'), { connections: 500 });
}

let round = 0;

/** `courseCount` fresh courses of `capacity` seats and `studentCount` fresh students with sessions. */
export async function setUpRound(
  stack: TestStack,
  actor: Actor,
  opts: { courseCount?: number; capacity?: number; studentCount?: number } = {},
): Promise<RushRound> {
  const r = ++round;
  const courses: Course[] = [];
  for (let i = 0; i < (opts.courseCount ?? 5); i++) {
    courses.push(
      await createCourse(stack.client, actor, {
        code: `R${r}C${i}`,
        name: `Round ${r} ${i}`,
        capacity: opts.capacity ?? 20,
        credits: 2,
        slots: [],
      }),
    );
  }
  const students = await seedUsers(
    stack.client,
    Array.from({ length: opts.studentCount ?? 2000 }, (_, i) => ({
      role: 'student' as const,
      username: `r${r}s${i}`,
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

/**
 * POST /student/course/select, with an Idempotency-Key when given; a dropped connection is an
 * answer too (status 0), not a throw.
 */
export function select(pool: Pool, token: string, courseId: number, key?: string): Promise<RushAnswer> {
  return queueCall(pool, token, StudentRoutes.select, { courseId }, key);
}

/** Any of student_node's queue routes (select, deselect, waitlist join or leave), as `select` sends it. */
export function queueCall(
  pool: Pool,
  token: string,
  route: { readonly url: string },
  body: { courseId: number; swapFrom?: number },
  key?: string,
): Promise<RushAnswer> {
  return pool
    .request({
      method: 'POST',
      path: route.url,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(key === undefined ? {} : { 'idempotency-key': key }),
      },
      body: JSON.stringify(body),
    })
    .then(async (r) => ({ status: r.statusCode, body: (await r.body.json()) as RushAnswer['body'] }))
    .catch((err: Error) => ({ status: 0, body: { error: { code: err.name } } }));
}

/** 200 decided or 202 queued: the request is persisted, and must never be lost. */
export const accepted = (a: RushAnswer) => a.status === 200 || a.status === 202;

/** Books for these courses only: ≤ capacity, counters = rows, nobody twice. */
export async function roundBooks(stack: TestStack, actor: Actor, courses: readonly Course[]) {
  const books = await readBooks(stack.client, actor);
  const ids = new Set(courses.map((c) => c.id));
  const mine = [...books.enrollments].filter((k) => ids.has(Number(k.split(':')[1])));
  return { violations: books.violations, enrollments: new Set(mine) };
}
