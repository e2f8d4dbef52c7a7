import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Course, type CreateCourseRequest, type QueueRequestItem } from '../../../contracts/courses.js';
import { buildDataApp } from '../app.js';
import { DataCourseRoutes } from '../../../contracts/routes/data-courses.js';

const TOKEN = 'c'.repeat(64);
let dir: string;
let built: Awaited<ReturnType<typeof buildDataApp>>;
let seq = 0;

async function call(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, internal = true) {
  const res = await built.app.inject({
    method,
    url,
    ...(payload !== undefined ? { payload: payload as object } : {}),
    headers: internal ? { 'x-internal-token': TOKEN } : {},
  });
  return { status: res.statusCode, body: res.json() };
}
const post = (url: string, payload: unknown) => call('POST', url, payload);

function user(role: string, username: string, group: string | null = null): number {
  return Number(
    built.db
      .prepare(
        'INSERT INTO users (role, username, name, user_group, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(role, username, `Name ${username}`, group, 'x', Date.now()).lastInsertRowid,
  );
}
const course = (over: Partial<CreateCourseRequest> = {}): CreateCourseRequest => ({
  code: `C${++seq}`,
  name: 'Course',
  capacity: 10,
  credits: 3,
  slots: [{ day: 1, start: '08:00', end: '09:30' }],
  ...over,
});
const admin = () => ({ userId: user('admin', `adm${++seq}`), role: 'admin' as const });
async function create(
  actor: { userId: number; role: 'admin' | 'teacher' },
  over: Partial<CreateCourseRequest> = {},
): Promise<Course> {
  const res = await post(DataCourseRoutes.create.url, { actor, course: course(over) });
  expect(res.status).toBe(201);
  return res.body.course;
}
const req = (
  studentId: number,
  courseId: number,
  action: 'select' | 'deselect' = 'select',
  group: string | null = null,
): QueueRequestItem => ({
  requestId: `req-${++seq}-xxxxxxxx`,
  studentId,
  courseId,
  action,
  group,
});

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-cr-'));
  built = await buildDataApp({ config: { dataDir: dir, internalToken: TOKEN } });
}, 20_000);
afterEach(async () => {
  await built.app.close();
  fs.rmSync(dir, { recursive: true, force: true });
}, 20_000);

describe('course storage', { timeout: 20_000 }, () => {
  it('serves GET /courses publicly and everything else only with the internal token', async () => {
    const a = admin();
    await create(a, { code: 'PUB1' });
    const list = await call('GET', DataCourseRoutes.list.url, undefined, false);
    expect(list.status).toBe(200);
    expect(list.body.courses.map((c: Course) => c.code)).toEqual(['PUB1']);
    const denied = await call('POST', DataCourseRoutes.create.url, { actor: a, course: course() }, false);
    expect(denied.status).toBe(401);
    expect(denied.body.error.code).toBe('INTERNAL_ONLY');
  });

  it('lets a teacher edit only their own courses; an admin edits any', async () => {
    const t1 = { userId: user('teacher', 't1'), role: 'teacher' as const };
    const t2 = { userId: user('teacher', 't2'), role: 'teacher' as const };
    const c = await create(t1);
    expect(c.teacherId).toBe(t1.userId);
    expect(c.teacherName).toBe('Name t1');
    const other = await post(DataCourseRoutes.update.url, { actor: t2, update: { courseId: c.id, name: 'Stolen' } });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('NOT_YOUR_COURSE');
    const byAdmin = await post(DataCourseRoutes.update.url, {
      actor: admin(),
      update: { courseId: c.id, name: 'Renamed' },
    });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.course.name).toBe('Renamed');
    const actions = built.db.prepare('SELECT actor, action, target FROM audit_log ORDER BY id').all();
    expect(actions).toEqual([
      { actor: 't1', action: 'course.create', target: `course:${c.id}` },
      { actor: expect.stringMatching(/^adm/), action: 'course.update', target: `course:${c.id}` },
    ]);
    const assign = await post(DataCourseRoutes.create.url, { actor: t1, course: course({ teacherId: t2.userId }) });
    expect(assign.status).toBe(403);
    expect((await post(DataCourseRoutes.owned.url, { actor: t2, courseId: c.id })).status).toBe(403);
    expect((await post(DataCourseRoutes.owned.url, { actor: t2, courseId: 99999 })).status).toBe(404);
  });

  it('rejects bad slots, duplicate codes and unknown fields without writing anything', async () => {
    const a = admin();
    const backwards = await post(DataCourseRoutes.create.url, {
      actor: a,
      course: course({ slots: [{ day: 2, start: '10:00', end: '09:00' }] }),
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.code).toBe('INVALID_SLOT');
    const overlapping = await post(DataCourseRoutes.create.url, {
      actor: a,
      course: course({
        slots: [
          { day: 2, start: '10:00', end: '11:00' },
          { day: 2, start: '10:30', end: '12:00' },
        ],
      }),
    });
    expect(overlapping.body.error.code).toBe('INVALID_SLOT');
    const negative = await post(DataCourseRoutes.create.url, { actor: a, course: course({ capacity: -1 }) });
    expect(negative.status).toBe(400);
    const unknown = await post(DataCourseRoutes.create.url, { actor: a, course: { ...course(), room: 'B12' } });
    expect(unknown.status).toBe(400);
    await create(a, { code: 'DUP' });
    const dup = await post(DataCourseRoutes.create.url, { actor: a, course: course({ code: 'dup' }) });
    expect(dup.status).toBe(409);
    expect((await call('GET', DataCourseRoutes.list.url)).body.courses).toHaveLength(1);
  });

  it('refuses capacity below enrollment and deletes a course with students only when forced', async () => {
    const a = admin();
    const c = await create(a, { capacity: 3 });
    await post(DataCourseRoutes.openWindow.url, { actor: admin() });
    const s1 = user('student', 's1');
    const s2 = user('student', 's2');
    await post(DataCourseRoutes.queueSubmit.url, { requests: [req(s1, c.id), req(s2, c.id)], maxDecide: 100 });
    const shrink = await post(DataCourseRoutes.update.url, { actor: a, update: { courseId: c.id, capacity: 1 } });
    expect(shrink.status).toBe(409);
    expect(shrink.body.error.code).toBe('CAPACITY_BELOW_ENROLLMENT');
    expect(
      (await post(DataCourseRoutes.update.url, { actor: a, update: { courseId: c.id, capacity: 2 } })).body.course
        .seatsLeft,
    ).toBe(0);
    const removed = await post(DataCourseRoutes.removeStudent.url, { actor: a, courseId: c.id, studentId: s1 });
    expect(removed.body.course.enrolled).toBe(1);
    expect((await post(DataCourseRoutes.removeStudent.url, { actor: a, courseId: c.id, studentId: s1 })).status).toBe(
      404,
    );
    expect((await post(DataCourseRoutes.remove.url, { actor: a, courseId: c.id })).status).toBe(409);
    const del = await post(DataCourseRoutes.remove.url, { actor: a, courseId: c.id, force: true });
    expect(del.body).toEqual({ deleted: true, courseId: c.id, removedEnrollments: 1 });
  });

  it('searches with LIKE wildcards and quotes taken literally', async () => {
    const a = admin();
    await create(a, { code: 'PCT', name: '100% Python' });
    await create(a, { code: 'UND', name: 'Under_score' });
    await create(a, { code: 'PLN', name: 'Plain 1000 words' });
    const s = { studentId: user('student', 'srch'), group: null };
    const names = async (search: string) =>
      ((await post(DataCourseRoutes.available.url, { student: s, filter: { search } })).body.courses as Course[]).map(
        (c) => c.name,
      );
    expect(await names('100%')).toEqual(['100% Python']);
    expect(await names('_')).toEqual(['Under_score']);
    expect(await names("'; DROP TABLE courses; --")).toEqual([]);
    expect(await names('%')).toEqual(['100% Python']);
    expect((await call('GET', DataCourseRoutes.list.url)).body.courses).toHaveLength(3);
  });

  it('shows a student only the courses open to their group, with conflicts and seats', async () => {
    const a = admin();
    const open = await create(a, { code: 'OPEN', slots: [{ day: 3, start: '09:00', end: '10:00' }] });
    const cs = await create(a, {
      code: 'CSONLY',
      allowedGroups: ['cs'],
      slots: [{ day: 3, start: '09:30', end: '11:00' }],
    });
    await create(a, { code: 'MATH', allowedGroups: ['math'] });
    await post(DataCourseRoutes.openWindow.url, { actor: admin() });
    const sid = user('student', 'g1', 'cs');
    const student = { studentId: sid, group: 'cs' };
    await post(DataCourseRoutes.queueSubmit.url, { requests: [req(sid, open.id, 'select', 'cs')], maxDecide: 10 });
    const res = await post(DataCourseRoutes.available.url, { student, filter: {} });
    expect(res.body.total).toBe(2);
    const byCode = Object.fromEntries(
      (res.body.courses as Array<Course & { conflict: boolean; selected: boolean }>).map((c) => [c.code, c]),
    );
    expect(byCode.OPEN).toMatchObject({ selected: true, conflict: false, seatsLeft: 9 });
    expect(byCode.CSONLY).toMatchObject({ selected: false, conflict: true, conflictsWith: [open.id] });
    const day = await post(DataCourseRoutes.available.url, { student, filter: { day: 1 } });
    expect(day.body.total).toBe(0);
    const check = await post(DataCourseRoutes.studentView.url, { student, courseId: cs.id });
    expect(check.body.check).toMatchObject({
      fits: false,
      windowOpen: true,
      seatsLeft: 10,
      alreadySelected: false,
      openToYou: true,
    });
    expect(check.body.check.conflicts).toEqual([
      { courseId: open.id, code: 'OPEN', name: 'Course', day: 3, start: '09:00', end: '10:00' },
    ]);
  });
});

describe('queue decisions (group commit)', { timeout: 20_000 }, () => {
  it('decides FIFO: exactly capacity selected, the rest full, duplicates already_selected', async () => {
    const c = await create(admin(), { capacity: 3 });
    await post(DataCourseRoutes.openWindow.url, { actor: admin() });
    const students = Array.from({ length: 6 }, (_, i) => user('student', `q${i}`));
    const requests = [...students.map((s) => req(s, c.id)), req(students[0]!, c.id)];
    const res = await post(DataCourseRoutes.queueSubmit.url, { requests, maxDecide: 100 });
    expect(res.status).toBe(200);
    const statuses = res.body.decided.map((d: { status: string }) => d.status);
    expect(statuses).toEqual(['selected', 'selected', 'selected', 'full', 'full', 'full', 'already_selected']);
    expect(res.body.seats).toEqual([{ courseId: c.id, capacity: 3, enrolled: 3, seatsLeft: 0 }]);
    expect(res.body.pending).toBe(0);
  });

  it('answers a retried requestId with its first decision, never twice', async () => {
    const c = await create(admin(), { capacity: 5 });
    await post(DataCourseRoutes.openWindow.url, { actor: admin() });
    const s = user('student', 'retry');
    const r = req(s, c.id);
    const first = await post(DataCourseRoutes.queueSubmit.url, { requests: [r], maxDecide: 10 });
    const again = await post(DataCourseRoutes.queueSubmit.url, { requests: [r], maxDecide: 10 });
    expect(again.body.tickets[0].ticket).toBe(first.body.tickets[0].ticket);
    expect(again.body.decided[0].status).toBe('selected');
    expect(built.db.prepare('SELECT count(*) FROM queue_tickets').pluck().get()).toBe(1);
    // null stays null through validation (no coercion to "")
    expect(built.db.prepare('SELECT student_group FROM queue_tickets').pluck().get()).toBeNull();
    expect(built.db.prepare('SELECT enrolled FROM courses WHERE id = ?').pluck().get(c.id)).toBe(1);
  });

  it('applies window, conflict, credit limit and group rules, and deselects', async () => {
    const a = admin();
    const c1 = await create(a, { credits: 4, slots: [{ day: 1, start: '08:00', end: '10:00' }] });
    const clash = await create(a, { credits: 1, slots: [{ day: 1, start: '09:00', end: '11:00' }] });
    const heavy = await create(a, { credits: 4, slots: [{ day: 2, start: '08:00', end: '10:00' }] });
    const closed = await create(a, { allowedGroups: ['math'], slots: [{ day: 5, start: '08:00', end: '10:00' }] });
    const s = user('student', 'rules', 'cs');
    const shut = await post(DataCourseRoutes.queueSubmit.url, {
      requests: [req(s, c1.id, 'select', 'cs')],
      maxDecide: 10,
    });
    expect(shut.body.decided[0].status).toBe('window_closed');
    await post(DataCourseRoutes.openWindow.url, { actor: admin() });
    expect(
      (
        await call('PUT', DataCourseRoutes.setCreditLimit.url, {
          actor: admin(),
          limit: { studentId: s, creditLimit: 6 },
        })
      ).body,
    ).toEqual({
      studentId: s,
      creditLimit: 6,
      isDefault: false,
    });
    const res = await post(DataCourseRoutes.queueSubmit.url, {
      requests: [
        req(s, c1.id, 'select', 'cs'),
        req(s, clash.id, 'select', 'cs'),
        req(s, heavy.id, 'select', 'cs'),
        req(s, closed.id, 'select', 'cs'),
        req(s, 424242, 'select', 'cs'),
        req(s, heavy.id, 'deselect', 'cs'),
        req(s, c1.id, 'deselect', 'cs'),
        req(s, heavy.id, 'select', 'cs'),
      ],
      maxDecide: 100,
    });
    expect(res.body.tickets.map((t: { rejected?: string }) => t.rejected ?? 'ticket')).toEqual([
      'ticket',
      'ticket',
      'ticket',
      'not_allowed',
      'unknown_course',
      'ticket',
      'ticket',
      'ticket',
    ]);
    expect(res.body.decided.map((d: { status: string }) => d.status)).toEqual([
      'selected',
      'conflict',
      'over_credit_limit',
      'not_selected',
      'deselected',
      'selected',
    ]);
    await post(DataCourseRoutes.closeWindow.url, { actor: admin() });
    expect((await call('GET', DataCourseRoutes.window.url)).body.open).toBe(false);
    const boss = admin();
    const reopened = await call('PUT', DataCourseRoutes.window.url, {
      actor: boss,
      window: { opensAt: new Date(Date.now() - 1000).toISOString(), closesAt: null },
    });
    expect(reopened.body).toMatchObject({ open: true, closesAt: null });
    const backwards = await call('PUT', DataCourseRoutes.window.url, {
      actor: boss,
      window: { opensAt: '2030-01-02T00:00:00Z', closesAt: '2030-01-01T00:00:00Z' },
    });
    expect(backwards.status).toBe(400);
    expect(
      (await call('PUT', DataCourseRoutes.window.url, { actor: boss, window: { opensAt: 'tomorrow', closesAt: null } }))
        .status,
    ).toBe(400);
    expect((await call('PUT', DataCourseRoutes.window.url, { opensAt: null, closesAt: null })).status).toBe(400); // no actor
    // the change that succeeded is in the audit log with its admin; the refused ones are not
    const log = built.db
      .prepare(`SELECT actor_id, actor, action FROM audit_log WHERE action = 'selection_window.set'`)
      .all();
    expect(log).toEqual([
      { actor_id: boss.userId, actor: expect.stringMatching(/^adm/), action: 'selection_window.set' },
    ]);
    await post(DataCourseRoutes.closeWindow.url, { actor: admin() });
    const late = await post(DataCourseRoutes.queueSubmit.url, {
      requests: [req(s, heavy.id, 'deselect', 'cs')],
      maxDecide: 10,
    });
    expect(late.body.decided[0].status).toBe('window_closed');
  });

  it('keeps tickets beyond one transaction undecided, with positions, and decides them in order later', async () => {
    const c = await create(admin(), { capacity: 2 });
    await post(DataCourseRoutes.openWindow.url, { actor: admin() });
    const students = Array.from({ length: 4 }, (_, i) => user('student', `b${i}`));
    const res = await post(DataCourseRoutes.queueSubmit.url, {
      requests: students.map((s) => req(s, c.id)),
      maxDecide: 1,
    });
    expect(res.body.decided).toHaveLength(1);
    expect(res.body.pending).toBe(3);
    const tickets = res.body.tickets.map((t: { ticket: number }) => t.ticket);
    const snap = await post(DataCourseRoutes.queueSnapshot.url, { tickets: [...tickets, 777777] });
    expect(
      snap.body.positions.map((p: { position: number | null; status: string | null }) => [p.position, p.status]),
    ).toEqual([
      [null, 'selected'],
      [1, null],
      [2, null],
      [3, null],
    ]); // the unknown ticket is left out
    const status = await post(DataCourseRoutes.tickets.url, { student: { studentId: students[3], group: null } });
    expect(status.body).toMatchObject({ pending: 1, tickets: [{ ticket: tickets[3], status: null, position: 3 }] });
    // a new request waits behind the backlog (FIFO), even with budget to spare
    const late = user('student', 'late');
    const next = await post(DataCourseRoutes.queueSubmit.url, { requests: [req(late, c.id)], maxDecide: 2 });
    expect(next.body.decided.map((d: { ticket: number; status: string }) => [d.ticket, d.status])).toEqual([
      [tickets[1], 'selected'],
      [tickets[2], 'full'],
    ]);
    const rest = await post(DataCourseRoutes.queueDecide.url, { max: 100 });
    expect(rest.body.decided.map((d: { status: string }) => d.status)).toEqual(['full', 'full']);
    expect(rest.body.pending).toBe(0);
  });

  it("counts all of a student's undecided tickets, also those beyond the 50 listed", async () => {
    const c = await create(admin(), { capacity: 1 });
    await post(DataCourseRoutes.openWindow.url, { actor: admin() });
    const s = user('student', 'many');
    // 52 requests, one decided: 51 wait, the oldest of them below the newest 50
    const res = await post(DataCourseRoutes.queueSubmit.url, {
      requests: Array.from({ length: 52 }, () => req(s, c.id)),
      maxDecide: 1,
    });
    expect(res.body.decided).toHaveLength(1);
    const status = await post(DataCourseRoutes.tickets.url, { student: { studentId: s, group: null } });
    expect(status.body.tickets).toHaveLength(50);
    expect(status.body.pending).toBe(51);
  });
});
