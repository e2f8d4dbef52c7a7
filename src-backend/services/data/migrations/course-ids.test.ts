import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDb } from '../db/temp-db.js';
import { migrate } from '../db/migrate.js';
import { courseIdMigrations } from './course-ids.js';
import { courseMigrations } from './courses.js';
import { identityMigrations } from './identity.js';

let db: Database.Database;
let dispose: () => void;

beforeEach(() => {
  ({ db, dispose } = openTempDb('csc-cid-'));
  // Up to 208, as a database written before migration 250 is.
  migrate(db, [...identityMigrations, ...courseMigrations]);
});
afterEach(() => dispose());

const course = (code: string, capacity = 2) =>
  Number(
    db.prepare('INSERT INTO courses (code, name, capacity, credits) VALUES (?, ?, ?, 3)').run(code, code, capacity)
      .lastInsertRowid,
  );
const student = (username: string) =>
  Number(
    db
      .prepare("INSERT INTO users (role, username, name, password_hash, created_at) VALUES ('student', ?, ?, 'h', ?)")
      .run(username, username, Date.now()).lastInsertRowid,
  );

describe('migration 250 course-ids-never-reused', () => {
  it('before it, deleting the newest course hands its id to the next one (the bug it fixes)', () => {
    const b = course('B1');
    db.prepare('DELETE FROM courses WHERE id = ?').run(b);
    expect(course('C1')).toBe(b);
  });

  it('after it, a deleted course id is never handed out again', () => {
    course('A1');
    migrate(db, [...identityMigrations, ...courseMigrations, ...courseIdMigrations]);
    const b = course('B1');
    db.prepare('DELETE FROM courses WHERE id = ?').run(b);
    expect(course('C1')).toBe(b + 1);
  });

  it('starts past course ids only the enrollment log still names, and keeps rows, seats and triggers', () => {
    const a = course('A1', 1);
    const s = student('s1');
    db.prepare('INSERT INTO enrollments (student_id, course_id) VALUES (?, ?)').run(s, a);
    // a course deleted before the migration: only the log remembers id 57
    db.prepare(
      "INSERT INTO enrollment_log (at, student_id, course_id, action, status) VALUES (?, ?, 57, 'select', 'full')",
    ).run(Date.now(), s);
    migrate(db, [...identityMigrations, ...courseMigrations, ...courseIdMigrations]);
    expect(db.prepare('SELECT code, enrolled FROM courses WHERE id = ?').get(a)).toEqual({ code: 'A1', enrolled: 1 });
    expect(course('N1')).toBe(58);
    // the seat triggers and the capacity check survived the rebuild
    expect(() =>
      db.prepare('INSERT INTO enrollments (student_id, course_id) VALUES (?, ?)').run(student('s2'), a),
    ).toThrow(/CHECK/);
    db.prepare('DELETE FROM enrollments WHERE course_id = ?').run(a);
    expect(db.prepare('SELECT enrolled FROM courses WHERE id = ?').pluck().get(a)).toBe(0);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});
