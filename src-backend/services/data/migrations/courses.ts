import type { Migration } from '../db/migration.js';

/**
 * Courses, enrollments, the selection window, credit limits and the queue's tickets.
 * `courses.enrolled` is kept by triggers so a seat count is one row read, and the CHECK makes
 * overselling impossible even for a buggy caller.
 */
export const courseMigrations: readonly Migration[] = [
  {
    id: 200,
    name: 'courses-and-enrollments',
    up(db) {
      db.exec(`
        CREATE TABLE courses (
          id INTEGER PRIMARY KEY,
          code TEXT NOT NULL UNIQUE COLLATE NOCASE,
          name TEXT NOT NULL,
          teacher_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
          capacity INTEGER NOT NULL CHECK (capacity >= 0),
          enrolled INTEGER NOT NULL DEFAULT 0 CHECK (enrolled >= 0 AND enrolled <= capacity),
          credits INTEGER NOT NULL CHECK (credits >= 0),
          slots TEXT NOT NULL DEFAULT '[]',
          location TEXT NOT NULL DEFAULT '',
          description TEXT NOT NULL DEFAULT '',
          allowed_groups TEXT NOT NULL DEFAULT '[]',
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
        );
        CREATE INDEX courses_teacher ON courses(teacher_id);

        CREATE TABLE enrollments (
          id INTEGER PRIMARY KEY,
          student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          course_id INTEGER NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          UNIQUE (student_id, course_id)
        );
        CREATE INDEX enrollments_course ON enrollments(course_id);

        CREATE TRIGGER enrollments_count_in AFTER INSERT ON enrollments BEGIN
          UPDATE courses SET enrolled = enrolled + 1 WHERE id = NEW.course_id;
        END;
        CREATE TRIGGER enrollments_count_out AFTER DELETE ON enrollments BEGIN
          UPDATE courses SET enrolled = enrolled - 1 WHERE id = OLD.course_id;
        END;
      `);
    },
  },
  {
    id: 201,
    name: 'selection-window-and-credit-limits',
    up(db) {
      db.exec(`
        CREATE TABLE selection_settings (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          opens_at TEXT,
          closes_at TEXT,
          default_credit_limit INTEGER NOT NULL CHECK (default_credit_limit >= 0)
        );
        INSERT INTO selection_settings (id, opens_at, closes_at, default_credit_limit) VALUES (1, NULL, NULL, 30);

        CREATE TABLE student_credit_limits (
          student_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
          credit_limit INTEGER NOT NULL CHECK (credit_limit >= 0)
        );
      `);
    },
  },
  {
    id: 202,
    name: 'queue-tickets',
    up(db) {
      // status NULL = accepted, not yet decided. request_id makes a retried request idempotent.
      db.exec(`
        CREATE TABLE queue_tickets (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          request_id TEXT NOT NULL UNIQUE,
          student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          course_id INTEGER NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
          student_group TEXT,
          action TEXT NOT NULL CHECK (action IN ('select', 'deselect')),
          status TEXT,
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          decided_at TEXT
        );
        CREATE INDEX queue_tickets_pending ON queue_tickets(id) WHERE status IS NULL;
        CREATE INDEX queue_tickets_student ON queue_tickets(student_id, id);
      `);
    },
  },
];
