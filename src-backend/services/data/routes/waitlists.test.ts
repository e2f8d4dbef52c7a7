import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Course, CreateCourseRequest, QueueRequestItem } from '../../../contracts/courses.js';
import { PROMOTED_NOTIFICATION_TYPE } from '../../../contracts/realtime-internal.js';
import type { EnrollmentLogEntry } from '../../../contracts/registrar.js';
import {
  DataCourseRoutes as D,
  type DataQueueSubmitResponse,
  type DecidedTicket,
} from '../../../contracts/routes/data-courses.js';
import { DataIdentityRoutes } from '../../../contracts/routes/data-identity.js';
import { pathOf } from '../../../contracts/route.js';
import { buildDataApp } from '../app.js';

const TOKEN = 'w'.repeat(64);
let dir: string;
let built: Awaited<ReturnType<typeof buildDataApp>>;
let seq = 0;
let adminActor: { userId: number; role: 'admin' };

async function call(method: string, url: string, payload?: unknown) {
  const res = await built.app.inject({
    method: method as 'POST',
    url,
    ...(payload !== undefined ? { payload: payload as object } : {}),
    headers: { 'x-internal-token': TOKEN },
  });
  return { status: res.statusCode, body: res.json() };
}
const post = (url: string, payload: unknown) => call('POST', url, payload);

function user(role: string, group: string | null = null): number {
  const name = `u${++seq}`;
  return Number(
    built.db
      .prepare(
        'INSERT INTO users (role, username, name, user_group, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(role, name, `Name ${name}`, group, 'x', Date.now()).lastInsertRowid,
  );
}
const student = (group: string | null = null) => user('student', group);

/** Mon 08:00-09:30 unless told otherwise; a different day per course keeps them apart. */
async function course(over: Partial<CreateCourseRequest> = {}): Promise<Course> {
  const n = ++seq;
  const res = await post(D.create.url, {
    actor: adminActor,
    course: {
      code: `W${n}`,
      name: `Course ${n}`,
      capacity: 1,
      credits: 3,
      slots: [{ day: (n % 7) + 1, start: '08:00', end: '09:30' }],
      ...over,
    },
  });
  expect(res.status).toBe(201);
  return res.body.course;
}

const item = (
  studentId: number,
  courseId: number,
  action: QueueRequestItem['action'],
  extra: Partial<QueueRequestItem> = {},
): QueueRequestItem => ({ requestId: `req-${++seq}-xxxxxxxx`, studentId, courseId, action, group: null, ...extra });

async function submit(...requests: QueueRequestItem[]): Promise<DataQueueSubmitResponse> {
  const res = await post(D.queueSubmit.url, { requests, maxDecide: 1000 });
  expect(res.status).toBe(200);
  return res.body;
}
/** The decision of the one request submitted. */
async function one(r: QueueRequestItem): Promise<{ own: DecidedTicket; all: DecidedTicket[] }> {
  const res = await submit(r);
  const ticket = res.tickets[0]!.ticket;
  return { own: res.decided.find((d) => d.ticket === ticket && d.status !== 'promoted')!, all: res.decided };
}
const holds = (studentId: number, courseId: number) =>
  built.db.prepare('SELECT 1 FROM enrollments WHERE student_id = ? AND course_id = ?').get(studentId, courseId) !==
  undefined;
const logOf = (studentId: number): EnrollmentLogEntry[] =>
  built.db
    .prepare('SELECT * FROM enrollment_log WHERE student_id = ? ORDER BY id')
    .all(studentId)
    .map((r) => r as EnrollmentLogEntry);

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-wl-'));
  built = await buildDataApp({ config: { dataDir: dir, internalToken: TOKEN } });
  adminActor = { userId: user('admin'), role: 'admin' };
  await post(D.openWindow.url, { actor: adminActor });
}, 20_000);
afterEach(async () => {
  await built.app.close();
  fs.rmSync(dir, { recursive: true, force: true });
}, 20_000);

describe('waitlists', { timeout: 20_000 }, () => {
  it('joins a full course in order, lists and leaves, and promotes the head when a seat frees, in the same transaction', async () => {
    const c = await course();
    const [holder, a, b] = [student(), student(), student()];
    expect((await one(item(holder, c.id, 'select'))).own.status).toBe('selected');
    expect((await one(item(a, c.id, 'join'))).own).toMatchObject({ status: 'waitlisted', position: 1 });
    expect((await one(item(b, c.id, 'join'))).own).toMatchObject({ status: 'waitlisted', position: 2 });
    expect((await one(item(a, c.id, 'join'))).own.status).toBe('already_waitlisted');
    expect((await post(D.studentWaitlist.url, { student: { studentId: b, group: null } })).body.entries).toEqual([
      expect.objectContaining({ courseId: c.id, position: 2, swapFrom: null }),
    ]);

    const { own, all } = await one(item(holder, c.id, 'deselect'));
    expect(own.status).toBe('deselected');
    expect(all).toContainEqual(
      expect.objectContaining({ studentId: a, courseId: c.id, status: 'promoted', action: 'join' }),
    );
    expect(holds(a, c.id)).toBe(true);
    expect(
      (await post(D.studentWaitlist.url, { student: { studentId: b, group: null } })).body.entries[0].position,
    ).toBe(1);
    const note = built.db.prepare('SELECT id, type, title, message FROM notifications WHERE recipient_id = ?').get(a);
    expect(note).toMatchObject({ type: PROMOTED_NOTIFICATION_TYPE });
    // the promotion carries that persisted row, for queue_node to push as notification:new
    expect(all.find((d) => d.status === 'promoted')!.notification).toEqual({
      ...(note as object),
      recipientId: a,
      senderId: null,
      audience: null,
      metadata: { courseId: c.id, ticket: expect.any(Number) },
      read: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(logOf(a).map((l) => l.status)).toEqual(['waitlisted', 'already_waitlisted', 'promoted']);

    expect((await one(item(b, c.id, 'leave'))).own.status).toBe('left');
    expect((await one(item(b, c.id, 'leave'))).own.status).toBe('not_waitlisted');
  });

  it('answers selected when a seat is free, and refuses with the queue statuses', async () => {
    const c = await course({ capacity: 2 });
    const s = student();
    expect((await one(item(s, c.id, 'join'))).own.status).toBe('selected');
    expect((await one(item(s, c.id, 'join'))).own.status).toBe('already_selected');
    const clash = await course({ slots: c.slots, capacity: 0 });
    expect((await one(item(s, clash.id, 'join'))).own.status).toBe('conflict');
  });

  it('honours waitlistEnabled and waitlistCap', async () => {
    const off = await course({ capacity: 0, waitlistEnabled: false });
    const capped = await course({ capacity: 0, waitlistCap: 1 });
    expect((await one(item(student(), off.id, 'join'))).own.status).toBe('waitlist_closed');
    expect((await one(item(student(), capped.id, 'join'))).own.status).toBe('waitlisted');
    expect((await one(item(student(), capped.id, 'join'))).own.status).toBe('waitlist_full');
  });

  it('swaps atomically: the promoted student drops swapFrom, which promotes that course in turn (cascade)', async () => {
    const x = await course();
    const y = await course();
    const [a, b, c] = [student(), student(), student()];
    await one(item(a, x.id, 'select'));
    await one(item(b, y.id, 'select'));
    expect((await one(item(a, y.id, 'join', { swapFrom: x.id }))).own.status).toBe('waitlisted');
    expect((await one(item(c, x.id, 'join'))).own.status).toBe('waitlisted');

    const { all } = await one(item(b, y.id, 'deselect'));
    expect(all).toContainEqual(
      expect.objectContaining({ studentId: a, courseId: y.id, status: 'promoted', swappedFrom: x.id }),
    );
    expect(all).toContainEqual(expect.objectContaining({ studentId: c, courseId: x.id, status: 'promoted' }));
    expect([holds(a, y.id), holds(a, x.id), holds(c, x.id)]).toEqual([true, false, true]);
    expect(logOf(a).map((l) => l.status)).toEqual(['selected', 'waitlisted', 'promoted', 'swapped']);
  });

  it('a join with swapFrom and a free seat swaps at once', async () => {
    const x = await course();
    const y = await course();
    const a = student();
    await one(item(a, x.id, 'select'));
    expect((await one(item(a, y.id, 'join', { swapFrom: x.id }))).own).toMatchObject({
      status: 'selected',
      swappedFrom: x.id,
    });
    expect([holds(a, y.id), holds(a, x.id)]).toEqual([true, false]);
  });

  it('re-checks the head: a clash is skipped with its reason, the next eligible student gets the seat, the skipped one keeps its place', async () => {
    const c = await course();
    const other = await course();
    const [holder, clashing, next] = [student(), student(), student()];
    await one(item(holder, c.id, 'select'));
    expect((await one(item(clashing, c.id, 'join'))).own.status).toBe('waitlisted');
    expect((await one(item(next, c.id, 'join'))).own.status).toBe('waitlisted');
    // clashing now holds a course at c's time (given by staff, conflicts allowed)
    built.db.prepare('UPDATE courses SET slots = ? WHERE id = ?').run(JSON.stringify(c.slots), other.id);
    expect((await one(item(clashing, other.id, 'select'))).own.status).toBe('selected');

    await one(item(holder, c.id, 'deselect'));
    expect(holds(next, c.id)).toBe(true);
    expect(holds(clashing, c.id)).toBe(false);
    const skipped = logOf(clashing).find((l) => l.status === 'skipped');
    expect(skipped).toMatchObject({ reason: 'conflict', action: 'promote' });
    expect((await post(D.studentWaitlist.url, { student: { studentId: clashing, group: null } })).body.entries).toEqual(
      [expect.objectContaining({ courseId: c.id, position: 1 })],
    );
  });

  it("ignores swapFrom's slots and counts its credits when re-checking", async () => {
    built.db.prepare('UPDATE selection_settings SET default_credit_limit = 6').run();
    const target = await course({ credits: 4 });
    const swapFrom = await course({ slots: target.slots, credits: 3 });
    const filler = await course({ credits: 2, capacity: 5 });
    const [holder, a] = [student(), student()];
    await one(item(holder, target.id, 'select'));
    await one(item(a, swapFrom.id, 'select'));
    await one(item(a, filler.id, 'select'));
    // 3 + 2 held; 4 more would be 9 > 6 without the swap, 6 with it; the slots clash only with swapFrom
    expect((await one(item(a, target.id, 'join'))).own.status).toBe('conflict');
    expect((await one(item(a, target.id, 'join', { swapFrom: swapFrom.id }))).own.status).toBe('waitlisted');
    await one(item(holder, target.id, 'deselect'));
    expect([holds(a, target.id), holds(a, swapFrom.id), holds(a, filler.id)]).toEqual([true, false, true]);
  });

  it('skips a head whose time ticket is closed, and window_closed answers carry opensAt', async () => {
    const opensAt = new Date(Date.now() + 3_600_000).toISOString();
    const c = await course();
    const [holder, early, late] = [student(), student('early'), student('late')];
    await one(item(holder, c.id, 'select'));
    await one(item(late, c.id, 'join'));
    await one(item(early, c.id, 'join'));
    const set = await call('PUT', D.setTimeTickets.url, {
      actor: adminActor,
      tickets: { tickets: [{ group: 'late', opensAt }] },
    });
    expect(set.status).toBe(200);
    expect(set.body.groups).toEqual(expect.arrayContaining([{ group: 'late', students: 1 }]));
    const closed = (await one(item(late, c.id, 'select'))).own;
    expect(closed).toMatchObject({ status: 'window_closed', opensAt });
    const w = await post(D.studentWindow.url, { student: { studentId: late, group: 'late' } });
    expect(w.body).toMatchObject({ source: 'ticket', open: false, opensAt });
    const view = await post(D.studentView.url, { student: { studentId: late, group: 'late' }, courseId: c.id });
    expect(view.body.check.windowOpen).toBe(false);
    const stats = await post(D.studentStats.url, { student: { studentId: early, group: 'early' } });
    expect(stats.body.windowOpen).toBe(true);
    await one(item(holder, c.id, 'deselect'));
    expect(holds(early, c.id)).toBe(true);
    expect(logOf(late).at(-1)).toMatchObject({ status: 'skipped', reason: 'window_closed' });
  });

  it('promotes on a staff removal, a capacity increase and a deleted student (the outbox carries the outcome to the queue)', async () => {
    const c = await course();
    const [holder, a, b, d] = [student(), student(), student(), student()];
    await one(item(holder, c.id, 'select'));
    for (const s of [a, b, d]) await one(item(s, c.id, 'join'));

    const removed = await post(D.removeStudent.url, { actor: adminActor, courseId: c.id, studentId: holder });
    expect(removed.status).toBe(200);
    expect(removed.body.promoted).toEqual([expect.objectContaining({ studentId: a, status: 'promoted' })]);
    expect(holds(a, c.id)).toBe(true);

    const grown = await post(D.update.url, { actor: adminActor, update: { courseId: c.id, capacity: 2 } });
    expect(grown.body.promoted).toEqual([expect.objectContaining({ studentId: b, status: 'promoted' })]);

    const del = await call('DELETE', pathOf(DataIdentityRoutes.deleteUser, { id: a }));
    expect(del.status).toBe(200);
    expect(holds(d, c.id)).toBe(true);
    const drained = await post(D.queueDecide.url, { max: 10 });
    expect(drained.body.decided).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ studentId: a, status: 'promoted' }),
        expect.objectContaining({ studentId: d, status: 'promoted' }),
      ]),
    );
    expect((await post(D.queueDecide.url, { max: 10 })).body.decided).toEqual([]);
    const log = await post(D.enrollmentLog.url, { actor: adminActor, query: { courseId: c.id, status: 'removed' } });
    expect(log.body.entries).toEqual([
      expect.objectContaining({ studentId: a, actorId: null, reason: 'account deleted', studentName: null }),
      expect.objectContaining({ studentId: holder, actorId: adminActor.userId }),
    ]);
  });
});

describe('staff enrolment with overrides', { timeout: 20_000 }, () => {
  it('exceeds capacity only with overCapacity; the database allows capacity + granted overrides and no more', async () => {
    const c = await course();
    const [s1, s2, s3] = [student(), student(), student()];
    await one(item(s1, c.id, 'select'));
    const enroll = (s: number, overrides: object) =>
      one(item(s, c.id, 'enroll', { overrides, actorId: adminActor.userId, reason: 'dean approved' }));
    expect((await enroll(s2, {})).own.status).toBe('full');
    expect((await enroll(s2, { overCapacity: true })).own.status).toBe('overridden');
    const row = built.db.prepare('SELECT enrolled, capacity, override_seats FROM courses WHERE id = ?').get(c.id);
    expect(row).toEqual({ enrolled: 2, capacity: 1, override_seats: 1 });
    expect(() =>
      built.db.prepare('INSERT INTO enrollments (student_id, course_id) VALUES (?, ?)').run(s3, c.id),
    ).toThrow(/CHECK/);
    // the override student leaving takes the granted seat with them: nothing frees for the waitlist
    await one(item(s3, c.id, 'join'));
    await one(item(s2, c.id, 'deselect'));
    expect(holds(s3, c.id)).toBe(false);
    const entry = logOf(s2).find((l) => l.status === 'overridden') as unknown as { actor_id: number; reason: string };
    expect(entry).toMatchObject({ actor_id: adminActor.userId, reason: 'dean approved' });
  });

  it('allowConflict and overCreditLimit lift their rule; without them the refusal stands', async () => {
    const c = await course({ capacity: 5, credits: 30 });
    const clash = await course({ capacity: 5, slots: c.slots, credits: 1 });
    const s = student();
    await one(item(s, clash.id, 'select'));
    const base = { actorId: adminActor.userId, reason: 'r' };
    expect((await one(item(s, c.id, 'enroll', { ...base, overrides: {} }))).own.status).toBe('conflict');
    expect((await one(item(s, c.id, 'enroll', { ...base, overrides: { allowConflict: true } }))).own.status).toBe(
      'over_credit_limit',
    );
    expect(
      (await one(item(s, c.id, 'enroll', { ...base, overrides: { allowConflict: true, overCreditLimit: true } }))).own
        .status,
    ).toBe('overridden');
  });
});

describe('reserved seats', { timeout: 20_000 }, () => {
  it('holds seats for a group until expiry; others see seatsLeft without them and get full; expiry promotes the waitlist', async () => {
    const c = await course({ capacity: 2 });
    const res = await post(D.createReservation.url, {
      actor: adminActor,
      reservation: {
        courseId: c.id,
        group: 'honours',
        seats: 1,
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      },
    });
    expect(res.status).toBe(201);
    const [x, y, h] = [student(), student(), student('honours')];
    expect((await one(item(x, c.id, 'select'))).own.status).toBe('selected');
    const listed = (await call('GET', D.list.url)).body.courses.find((k: Course) => k.id === c.id);
    expect(listed).toMatchObject({ seatsLeft: 0, reservedSeats: 1, enrolled: 1 });
    expect((await one(item(y, c.id, 'select'))).own.status).toBe('full');
    const checkFor = async (studentId: number, group: string | null) =>
      (await post(D.studentView.url, { student: { studentId, group }, courseId: c.id })).body.check;
    expect(await checkFor(y, null)).toMatchObject({ seatsLeft: 0, fits: false });
    expect(await checkFor(h, 'honours')).toMatchObject({ seatsLeft: 1, fits: true });
    expect((await one(item(y, c.id, 'join'))).own.status).toBe('waitlisted');
    expect((await one(item(h, c.id, 'select', { group: 'honours' }))).own.status).toBe('selected');

    // a capacity increase frees a general seat: the waitlist head gets it
    await post(D.update.url, { actor: adminActor, update: { courseId: c.id, capacity: 3 } });
    expect(holds(y, c.id)).toBe(true);
  });

  it('releases an expired reservation into the general pool and promotes', async () => {
    const c = await course({ capacity: 1 });
    const r = await post(D.createReservation.url, {
      actor: adminActor,
      reservation: {
        courseId: c.id,
        studentIds: [student()],
        seats: 1,
        expiresAt: new Date(Date.now() + 300).toISOString(),
      },
    });
    expect(r.status).toBe(201);
    const w = student();
    expect((await one(item(w, c.id, 'join'))).own.status).toBe('waitlisted');
    await new Promise((ok) => setTimeout(ok, 400));
    const after = await post(D.queueDecide.url, { max: 10 });
    expect(after.body.decided).toEqual([expect.objectContaining({ studentId: w, status: 'promoted' })]);
    const list = await post(D.reservations.url, { actor: adminActor, courseId: c.id });
    expect(list.body.reservations[0]).toMatchObject({ active: false, held: 0 });
  });
});
