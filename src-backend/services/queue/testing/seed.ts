import { type DataNewUser } from '../../../contracts/routes/data-identity.js';
import {
  type Actor,
  type Course,
  type CreateCourseRequest,
  type QueueStatusResponse,
} from '../../../contracts/courses.js';
import type { ServiceClient } from '../../../shared/service-client.js';
import { DataCourseRoutes } from '../../../contracts/routes/data-courses.js';
import { DataIdentityRoutes } from '../../../contracts/routes/data-identity.js';

/**
 * Seeding for the rush tests and the benchmark, through the data service's internal routes
 * (users with a placeholder hash and directly minted sessions: 10,000 argon2 logins would
 * measure auth, not the queue).
 */

export interface SeededUser {
  readonly id: number;
  readonly username: string;
  readonly group: string | null;
}

export async function seedUsers(
  client: ServiceClient,
  users: ReadonlyArray<Omit<DataNewUser, 'passwordHash'>>,
): Promise<SeededUser[]> {
  const out: SeededUser[] = [];
  for (let i = 0; i < users.length; i += 5000) {
    const chunk = users.slice(i, i + 5000).map((u) => ({ ...u, passwordHash: 'seeded-no-login' }));
    const res = await client.call(DataIdentityRoutes.insertUsers, {
      body: { users: chunk, atomic: true },
      timeoutMs: 60_000,
    });
    res.results.forEach((r, j) => out.push({ id: r.id!, username: r.username, group: chunk[j]!.group ?? null }));
  }
  return out;
}

/** Bearer tokens, in the order of `userIds`. */
export async function mintSessions(client: ServiceClient, userIds: readonly number[]): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < userIds.length; i += 5000) {
    const res = await client.call(DataIdentityRoutes.createSessions, {
      body: { userIds: userIds.slice(i, i + 5000), idleSeconds: 3600, absoluteSeconds: 7200 },
      timeoutMs: 60_000,
    });
    tokens.push(...res.sessions.map((s) => s.token));
  }
  return tokens;
}

export async function createCourse(client: ServiceClient, actor: Actor, course: CreateCourseRequest): Promise<Course> {
  return (await client.call(DataCourseRoutes.create, { body: { actor, course } })).course;
}

export async function openSelection(client: ServiceClient, actor: Actor): Promise<void> {
  await client.call(DataCourseRoutes.openWindow, { body: { actor } });
}

export interface Books {
  /** courses whose enrolled count is over capacity, or disagrees with the enrollment rows */
  readonly violations: string[];
  readonly enrolledTotal: number;
  /** `${studentId}:${courseId}` of every enrollment */
  readonly enrollments: Set<string>;
}

/**
 * Read the books back through the data service: every course's counter must equal its
 * enrollment rows, stay within capacity, and list each student once.
 */
export async function readBooks(client: ServiceClient, actor: Actor): Promise<Books> {
  const { courses } = await client.call(DataCourseRoutes.list);
  const violations: string[] = [];
  const enrollments = new Set<string>();
  let enrolledTotal = 0;
  for (const c of courses) {
    const detail = await client.call(DataCourseRoutes.owned, {
      body: {
        actor,
        courseId: c.id,
        withStudents: true,
      },
    });
    const ids = detail.students.map((s) => s.id);
    if (new Set(ids).size !== ids.length) violations.push(`${c.code}: a student is enrolled twice`);
    if (ids.length !== detail.course.enrolled)
      violations.push(`${c.code}: counter ${detail.course.enrolled} but ${ids.length} rows`);
    if (ids.length > c.capacity) violations.push(`${c.code}: ${ids.length} enrolled over capacity ${c.capacity}`);
    for (const id of ids) enrollments.add(`${id}:${c.id}`);
    enrolledTotal += ids.length;
  }
  return { violations, enrolledTotal, enrollments };
}

export interface Caller {
  (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

/** A client the way a browser calls a service: plain HTTP with a bearer token (or none). */
export function httpCaller(baseUrl: string, token: string | null): Caller {
  return async (method, path, body) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}

/**
 * The final status of a ticket: a request answered "queued" (not decided within the answer
 * window, which a loaded machine can cause) is decided later; poll until it is.
 */
export async function finalStatus(
  client: ServiceClient,
  studentId: number,
  ticket: number,
  timeoutMs = 30_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await client.call(DataCourseRoutes.tickets, {
      body: {
        student: { studentId, group: null },
      },
    });
    const t = res.tickets.find((x) => x.ticket === ticket);
    if (t?.status) return t.status;
    if (Date.now() > deadline) throw new Error(`ticket ${ticket} still undecided after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Undecided tickets on the data service. */
export async function pendingTickets(client: ServiceClient): Promise<number> {
  return (await client.call(DataCourseRoutes.queuePending)).count;
}

/** Every student's tickets, a few calls at a time (a loaded machine times out 2,000 at once). */
export async function ticketsOf(client: ServiceClient, studentIds: readonly number[]): Promise<QueueStatusResponse[]> {
  const out: QueueStatusResponse[] = [];
  for (let i = 0; i < studentIds.length; i += 50) {
    const chunk = studentIds.slice(i, i + 50);
    out.push(
      ...(await Promise.all(
        chunk.map((studentId) =>
          client.call(DataCourseRoutes.tickets, { body: { student: { studentId, group: null } }, timeoutMs: 30_000 }),
        ),
      )),
    );
  }
  return out;
}
