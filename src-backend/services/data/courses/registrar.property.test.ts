import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QueueRequestItem, Slot, StaffOverrides } from '../../../contracts/courses.js';
import { DataCourseRoutes as D } from '../../../contracts/routes/data-courses.js';
import { buildDataApp } from '../app.js';
import { slotsOverlap } from './slots.js';

/**
 * Random sequences of select, deselect, join, leave, swap, staff enrolment, capacity change,
 * reservation, expiry and window changes against the real data service (its routes, its
 * SQLite file). After every step: no course over capacity + granted overrides; no clash
 * without an allowConflict enrolment; promotions FIFO among the eligible; every promoted
 * student eligible; the change log explains every enrollment.
 */

const TOKEN = 'p'.repeat(64);
const STUDENTS = 6;
const COURSES = 4;
const SLOT_CHOICES: Slot[][] = [
  [{ day: 1, start: '08:00', end: '10:00' }],
  [{ day: 1, start: '09:00', end: '11:00' }],
  [{ day: 2, start: '08:00', end: '10:00' }],
];
const GROUPS = ['a', 'b'] as const;
const CREDIT_LIMIT = 9;

type Cmd =
  | {
      kind: 'batch';
      requests: Array<{ s: number; c: number; action: 'select' | 'deselect' | 'join' | 'leave'; swap: number | null }>;
    }
  | { kind: 'enroll'; s: number; c: number; overrides: StaffOverrides }
  | { kind: 'capacity'; c: number; capacity: number }
  | { kind: 'reserve'; c: number; group: 'a' | 'b' | null; student: number | null; seats: number }
  | { kind: 'expire' }
  /** a holder of the course gives the seat back (deselect), or staff take one off (remove) */
  | { kind: 'free'; c: number; how: 'deselect' | 'remove' }
  | { kind: 'window'; open: boolean };

const idx = (n: number) => fc.integer({ min: 0, max: n - 1 });
const request = fc.record({
  s: idx(STUDENTS),
  c: idx(COURSES),
  action: fc.constantFrom('select', 'select', 'deselect', 'join', 'join', 'leave') as fc.Arbitrary<
    'select' | 'deselect' | 'join' | 'leave'
  >,
  // a swap one join in four: most joins are plain
  swap: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: idx(COURSES) }),
});
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('batch' as const),
      requests: fc.array(request, { minLength: 1, maxLength: 6 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('enroll' as const),
      s: idx(STUDENTS),
      c: idx(COURSES),
      overrides: fc.record(
        { overCapacity: fc.boolean(), allowConflict: fc.boolean(), overCreditLimit: fc.boolean() },
        { requiredKeys: [] },
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('capacity' as const),
      c: idx(COURSES),
      capacity: fc.integer({ min: 0, max: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reserve' as const),
      c: idx(COURSES),
      group: fc.constantFrom('a', 'b', null) as fc.Arbitrary<'a' | 'b' | null>,
      student: fc.option(idx(STUDENTS), { nil: null }),
      seats: fc.integer({ min: 1, max: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'expire' as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('free' as const),
      c: idx(COURSES),
      how: fc.constantFrom('deselect', 'remove') as fc.Arbitrary<'deselect' | 'remove'>,
    }),
  },
  // closed one time in four: a closed window stops every step until it opens again
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('window' as const),
      open: fc.integer({ min: 0, max: 3 }).map((n) => n !== 0),
    }),
  },
);

interface World {
  built: Awaited<ReturnType<typeof buildDataApp>>;
  dir: string;
  students: number[];
  courses: number[];
  admin: { userId: number; role: 'admin' };
  seq: number;
}

async function call(w: World, method: 'POST' | 'PUT', url: string, payload: unknown) {
  const res = await w.built.app.inject({
    method,
    url,
    payload: payload as object,
    headers: { 'x-internal-token': TOKEN },
  });
  return { status: res.statusCode, body: res.json() };
}

async function newWorld(creditsOf: number[], slotsOf: number[], capacityOf: number[]): Promise<World> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-prop-'));
  const built = await buildDataApp({ config: { dataDir: dir, internalToken: TOKEN } });
  const insert = built.db.prepare(
    'INSERT INTO users (role, username, name, user_group, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const admin = Number(insert.run('admin', 'adm', 'Adm', null, 'x', Date.now()).lastInsertRowid);
  const students = Array.from({ length: STUDENTS }, (_, i) =>
    Number(insert.run('student', `s${i}`, `S${i}`, GROUPS[i % 2]!, 'x', Date.now()).lastInsertRowid),
  );
  built.db.prepare('UPDATE selection_settings SET default_credit_limit = ?').run(CREDIT_LIMIT);
  const w: World = { built, dir, students, courses: [], admin: { userId: admin, role: 'admin' }, seq: 0 };
  for (let i = 0; i < COURSES; i++) {
    const res = await call(w, 'POST', D.create.url, {
      actor: w.admin,
      course: {
        code: `P${i}`,
        name: `P${i}`,
        capacity: capacityOf[i]!,
        credits: creditsOf[i]!,
        slots: SLOT_CHOICES[slotsOf[i]!]!,
      },
    });
    w.courses.push(res.body.course.id);
  }
  await call(w, 'POST', D.openWindow.url, { actor: w.admin });
  return w;
}

async function run(w: World, c: Cmd): Promise<void> {
  const item = (
    s: number,
    course: number,
    action: QueueRequestItem['action'],
    extra: Partial<QueueRequestItem> = {},
  ) => ({
    requestId: `prop-${++w.seq}-xxxxxxxx`,
    studentId: w.students[s]!,
    courseId: w.courses[course]!,
    action,
    group: GROUPS[s % 2]!,
    ...extra,
  });
  switch (c.kind) {
    case 'batch': {
      const requests = c.requests.map((r) =>
        item(
          r.s,
          r.c,
          r.action,
          r.action === 'join' && r.swap !== null && r.swap !== r.c ? { swapFrom: w.courses[r.swap]! } : {},
        ),
      );
      expect((await call(w, 'POST', D.queueSubmit.url, { requests, maxDecide: 100 })).status).toBe(200);
      return;
    }
    case 'enroll':
      await call(w, 'POST', D.queueSubmit.url, {
        requests: [item(c.s, c.c, 'enroll', { overrides: c.overrides, actorId: w.admin.userId, reason: 'prop' })],
        maxDecide: 100,
      });
      return;
    case 'capacity':
      // 409 below enrollment is a fine answer too
      await call(w, 'POST', D.update.url, {
        actor: w.admin,
        update: { courseId: w.courses[c.c]!, capacity: c.capacity },
      });
      return;
    case 'reserve': {
      const res = await call(w, 'POST', D.createReservation.url, {
        actor: w.admin,
        reservation: {
          courseId: w.courses[c.c]!,
          ...(c.group ? { group: c.group } : {}),
          ...(c.student !== null || !c.group ? { studentIds: [w.students[c.student ?? 0]!] } : {}),
          seats: c.seats,
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
      });
      expect(res.status).toBe(201);
      return;
    }
    case 'expire':
      w.built.db.prepare('UPDATE reservations SET expires_at = ? WHERE released_at IS NULL').run(Date.now() - 1);
      expect((await call(w, 'POST', D.queueDecide.url, { max: 100 })).status).toBe(200);
      return;
    case 'free': {
      const holder = w.built.db
        .prepare('SELECT student_id FROM enrollments WHERE course_id = ? ORDER BY id LIMIT 1')
        .get(w.courses[c.c]!) as { student_id: number } | undefined;
      if (!holder) return;
      const s = w.students.indexOf(holder.student_id);
      if (c.how === 'remove') {
        const res = await call(w, 'POST', D.removeStudent.url, {
          actor: w.admin,
          courseId: w.courses[c.c]!,
          studentId: holder.student_id,
        });
        expect(res.status).toBe(200);
      } else {
        await call(w, 'POST', D.queueSubmit.url, { requests: [item(s, c.c, 'deselect')], maxDecide: 100 });
      }
      return;
    }
    case 'window':
      await call(w, 'POST', c.open ? D.openWindow.url : D.closeWindow.url, { actor: w.admin });
      return;
  }
}

interface LogRow {
  id: number;
  student_id: number;
  course_id: number;
  action: string;
  status: string;
  reason: string | null;
}

function check(
  w: World,
  before: { lastLog: number; waitlist: Array<{ id: number; student_id: number; course_id: number }> },
  windowOpen: boolean,
) {
  const db = w.built.db;
  // 1. capacity + granted overrides, and the counters agree with the rows
  const courses = db
    .prepare('SELECT id, capacity, enrolled, override_seats, credits, slots FROM courses')
    .all() as Array<{
    id: number;
    capacity: number;
    enrolled: number;
    override_seats: number;
    credits: number;
    slots: string;
  }>;
  const rows = db
    .prepare('SELECT student_id, course_id, over_capacity, allow_conflict FROM enrollments')
    .all() as Array<{
    student_id: number;
    course_id: number;
    over_capacity: number;
    allow_conflict: number;
  }>;
  for (const c of courses) {
    const mine = rows.filter((r) => r.course_id === c.id);
    expect(c.enrolled).toBe(mine.length);
    expect(c.override_seats).toBe(mine.filter((r) => r.over_capacity === 1).length);
    expect(c.enrolled).toBeLessThanOrEqual(c.capacity + c.override_seats);
  }
  // 2. no clash unless an allowConflict enrolment is one of the pair; no credit excess without a staff override
  const byId = new Map(courses.map((c) => [c.id, { ...c, slotList: JSON.parse(c.slots) as Slot[] }]));
  for (const s of w.students) {
    const held = rows.filter((r) => r.student_id === s);
    for (const a of held)
      for (const b of held) {
        if (a.course_id >= b.course_id || a.allow_conflict || b.allow_conflict) continue;
        const clash = byId
          .get(a.course_id)!
          .slotList.some((x) => byId.get(b.course_id)!.slotList.some((y) => slotsOverlap(x, y)));
        expect(clash, `student ${s} holds clashing ${a.course_id} and ${b.course_id}`).toBe(false);
      }
  }
  const lines = db
    .prepare('SELECT id, student_id, course_id, action, status, reason FROM enrollment_log WHERE id > ? ORDER BY id')
    .all(before.lastLog) as LogRow[];
  const after = db.prepare('SELECT student_id, course_id FROM waitlist_entries').all() as Array<{
    student_id: number;
    course_id: number;
  }>;
  const stillWaiting = new Set(after.map((e) => `${e.student_id}:${e.course_id}`));
  for (const p of lines.filter((l) => l.status === 'promoted')) {
    // 3. FIFO among the eligible: everyone ahead who is still waiting was skipped in this step
    const mine = before.waitlist.find((e) => e.student_id === p.student_id && e.course_id === p.course_id);
    if (mine) {
      for (const ahead of before.waitlist.filter((e) => e.course_id === p.course_id && e.id < mine.id)) {
        if (!stillWaiting.has(`${ahead.student_id}:${ahead.course_id}`)) continue;
        const skipped = lines.some(
          (l) =>
            l.status === 'skipped' && l.student_id === ahead.student_id && l.course_id === p.course_id && l.id < p.id,
        );
        expect(
          skipped,
          `student ${ahead.student_id} was ahead of promoted ${p.student_id} in course ${p.course_id}`,
        ).toBe(true);
      }
    }
    // 4. eligible at that moment: the window was open (clashes and credits are checked on the whole state above and below)
    expect(windowOpen).toBe(true);
  }
  for (const s of w.students) {
    const held = rows.filter((r) => r.student_id === s);
    const credits = held.reduce((n, r) => n + byId.get(r.course_id)!.credits, 0);
    const staffEnrolled = db
      .prepare(`SELECT 1 FROM enrollment_log WHERE student_id = ? AND status = 'overridden'`)
      .get(s);
    if (!staffEnrolled) expect(credits, `student ${s} over the credit limit`).toBeLessThanOrEqual(CREDIT_LIMIT);
  }
  // 5. the log explains every enrollment: replaying it gives exactly the enrollments
  const all = db.prepare('SELECT student_id, course_id, status FROM enrollment_log ORDER BY id').all() as LogRow[];
  const replay = new Set<string>();
  for (const l of all) {
    const key = `${l.student_id}:${l.course_id}`;
    if (l.status === 'selected' || l.status === 'promoted' || l.status === 'overridden') replay.add(key);
    if (l.status === 'deselected' || l.status === 'swapped' || l.status === 'removed') replay.delete(key);
  }
  expect([...replay].sort()).toEqual(rows.map((r) => `${r.student_id}:${r.course_id}`).sort());
}

describe('registrar invariants (fast-check, real data service)', () => {
  it('hold after every step of random sequences', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: COURSES, maxLength: COURSES }),
        fc.array(idx(SLOT_CHOICES.length), { minLength: COURSES, maxLength: COURSES }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: COURSES, maxLength: COURSES }),
        fc.array(cmd, { minLength: 10, maxLength: 40 }),
        async (credits, slots, capacity, cmds) => {
          const w = await newWorld(credits, slots, capacity);
          try {
            let windowOpen = true;
            for (const c of cmds) {
              const before = {
                lastLog: (
                  w.built.db.prepare('SELECT COALESCE(max(id), 0) AS n FROM enrollment_log').get() as { n: number }
                ).n,
                waitlist: w.built.db
                  .prepare('SELECT id, student_id, course_id FROM waitlist_entries ORDER BY id')
                  .all() as Array<{
                  id: number;
                  student_id: number;
                  course_id: number;
                }>,
              };
              if (c.kind === 'window') windowOpen = c.open;
              await run(w, c);
              check(w, before, windowOpen);
            }
          } finally {
            await w.built.app.close();
            fs.rmSync(w.dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 40) },
    );
  }, 180_000);
});
