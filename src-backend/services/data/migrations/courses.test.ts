import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDb } from '../db/temp-db.js';
import { migrate } from '../db/migrate.js';
import { courseMigrations } from './courses.js';
import { identityMigrations } from './identity.js';

let db: Database.Database;
let dispose: () => void;

beforeEach(() => {
  ({ db, dispose } = openTempDb('csc-cm-'));
  migrate(db, [...identityMigrations, ...courseMigrations]);
});
afterEach(() => dispose());

const user = (username: string, role = 'student') =>
  Number(
    db
      .prepare('INSERT INTO users (role, username, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(role, username, username, 'h', Date.now()).lastInsertRowid,
  );
const course = (code: string, capacity: number) =>
  Number(
    db.prepare('INSERT INTO courses (code, name, capacity, credits) VALUES (?, ?, ?, 3)').run(code, code, capacity)
      .lastInsertRowid,
  );
const enrolled = (id: number) => db.prepare('SELECT enrolled FROM courses WHERE id = ?').pluck().get(id);

describe('migration 200 courses-and-enrollments', () => {
  it('counts enrollments with triggers, including cascades', () => {
    const c = course('CS101', 2);
    const a = user('a');
    const b = user('b');
    db.prepare('INSERT INTO enrollments (student_id, course_id) VALUES (?, ?)').run(a, c);
    db.prepare('INSERT INTO enrollments (student_id, course_id) VALUES (?, ?)').run(b, c);
    expect(enrolled(c)).toBe(2);
    db.prepare('DELETE FROM users WHERE id = ?').run(a);
    expect(enrolled(c)).toBe(1);
  });

  it('refuses a duplicate enrollment and an enrollment beyond capacity', () => {
    const c = course('CS102', 1);
    const a = user('a');
    const b = user('b');
    db.prepare('INSERT INTO enrollments (student_id, course_id) VALUES (?, ?)').run(a, c);
    expect(() => db.prepare('INSERT INTO enrollments (student_id, course_id) VALUES (?, ?)').run(a, c)).toThrow(
      /UNIQUE/,
    );
    expect(() => db.prepare('INSERT INTO enrollments (student_id, course_id) VALUES (?, ?)').run(b, c)).toThrow(
      /CHECK/,
    );
    expect(enrolled(c)).toBe(1);
  });

  it('refuses negative capacity and a duplicate code in any case', () => {
    expect(() => course('X1', -1)).toThrow(/CHECK/);
    course('ABC', 1);
    expect(() => course('abc', 1)).toThrow(/UNIQUE/);
  });
});

describe('migration 201 selection-window-and-credit-limits', () => {
  it('starts with a closed window and a default credit limit of 30', () => {
    expect(db.prepare('SELECT opens_at, closes_at, default_credit_limit FROM selection_settings').all()).toEqual([
      { opens_at: null, closes_at: null, default_credit_limit: 30 },
    ]);
    expect(() => db.prepare('INSERT INTO selection_settings (id, default_credit_limit) VALUES (2, 1)').run()).toThrow(
      /CHECK/,
    );
  });
});

describe('migration 202 queue-tickets', () => {
  it('keeps request ids unique and indexes undecided tickets', () => {
    const c = course('CS103', 5);
    const a = user('a');
    const ins = db.prepare('INSERT INTO queue_tickets (request_id, student_id, course_id, action) VALUES (?, ?, ?, ?)');
    ins.run('req-1', a, c, 'select');
    expect(() => ins.run('req-1', a, c, 'select')).toThrow(/UNIQUE/);
    expect(() => ins.run('req-2', a, c, 'enrol')).toThrow(/CHECK/);
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT id FROM queue_tickets WHERE status IS NULL ORDER BY id LIMIT 10')
      .all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/queue_tickets_pending/);
  });
});

describe('migrations 203-208 (registration day) over a database that already has rows', () => {
  it('203 keeps courses, enrollments and tickets, its foreign keys still cascade, and foreign keys are on again', () => {
    const { db: old, dispose: done } = openTempDb('csc-cm-old-');
    try {
      migrate(old, [...identityMigrations, ...courseMigrations.filter((m) => m.id <= 202)]);
      const insUser = old.prepare(
        'INSERT INTO users (role, username, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
      );
      const s = Number(insUser.run('student', 's', 's', 'h', Date.now()).lastInsertRowid);
      const c = Number(
        old.prepare("INSERT INTO courses (code, name, capacity, credits) VALUES ('K1', 'K', 1, 3)").run()
          .lastInsertRowid,
      );
      old.prepare('INSERT INTO enrollments (student_id, course_id) VALUES (?, ?)').run(s, c);
      old
        .prepare(
          "INSERT INTO queue_tickets (request_id, student_id, course_id, action, status) VALUES ('r-1', ?, ?, 'select', 'selected')",
        )
        .run(s, c);

      expect(migrate(old, [...identityMigrations, ...courseMigrations])).toEqual([203, 204, 205, 206, 207, 208]);
      expect(old.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(old.prepare('SELECT capacity, enrolled, override_seats, waitlist_enabled FROM courses').get()).toEqual({
        capacity: 1,
        enrolled: 1,
        override_seats: 0,
        waitlist_enabled: 1,
      });
      expect(old.prepare('SELECT request_id, status FROM queue_tickets').all()).toEqual([
        { request_id: 'r-1', status: 'selected' },
      ]);
      // the triggers count again, and deleting the course still cascades into its children
      const s2 = Number(insUser.run('student', 's2', 's2', 'h', Date.now()).lastInsertRowid);
      expect(() => old.prepare('INSERT INTO enrollments (student_id, course_id) VALUES (?, ?)').run(s2, c)).toThrow(
        /CHECK/,
      );
      old.prepare('INSERT INTO enrollments (student_id, course_id, over_capacity) VALUES (?, ?, 1)').run(s2, c);
      expect(old.prepare('SELECT enrolled, override_seats FROM courses').get()).toEqual({
        enrolled: 2,
        override_seats: 1,
      });
      old.prepare('DELETE FROM courses WHERE id = ?').run(c);
      expect(old.prepare('SELECT count(*) FROM enrollments').pluck().get()).toBe(0);
      expect(old.prepare('SELECT count(*) FROM queue_tickets').pluck().get()).toBe(0);
    } finally {
      done();
    }
  });

  it('204 accepts the new queue actions; 205 keeps one entry per student and course; 207 refuses a ticket closing before it opens', () => {
    const c = course('CS104', 1);
    const a = user('a');
    const ins = db.prepare('INSERT INTO queue_tickets (request_id, student_id, course_id, action) VALUES (?, ?, ?, ?)');
    for (const action of ['join', 'leave', 'enroll']) ins.run(`req-${action}`, a, c, action);
    expect(() => ins.run('req-x', a, c, 'promote')).toThrow(/CHECK/);
    const wl = db.prepare('INSERT INTO waitlist_entries (student_id, course_id, joined_at) VALUES (?, ?, ?)');
    wl.run(a, c, Date.now());
    expect(() => wl.run(a, c, Date.now())).toThrow(/UNIQUE/);
    expect(() =>
      db.prepare("INSERT INTO time_tickets (group_name, opens_at, closes_at) VALUES ('g', 10, 5)").run(),
    ).toThrow(/CHECK/);
  });
});

describe('migration 208 enrollment-log', () => {
  it('pages a course or a student from an index and counts refusals from one', () => {
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((p) => p.detail).join(' ');
    expect(plan('SELECT * FROM enrollment_log WHERE course_id = 1 ORDER BY id DESC LIMIT 10')).toMatch(
      /enrollment_log_course/,
    );
    expect(plan('SELECT * FROM enrollment_log WHERE student_id = 1 ORDER BY id DESC LIMIT 10')).toMatch(
      /enrollment_log_student/,
    );
    expect(
      plan(
        "SELECT course_id, status, count(*) FROM enrollment_log WHERE status IN ('full', 'conflict') GROUP BY course_id, status",
      ),
    ).toMatch(/COVERING INDEX enrollment_log_status/);
  });
});
