import type { Migration } from '../db/migration.js';

/**
 * Courses, enrollments, the selection window, credit limits, the queue's tickets, and
 * registration day's waitlists, reservations, time tickets and enrollment log.
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
  {
    id: 203,
    name: 'capacity-plus-granted-overrides',
    rebuildsParentTable: true,
    up(db) {
      // The CHECK becomes capacity + override_seats: only a staff overCapacity grant (an
      // enrollment with over_capacity = 1) raises override_seats, and taking that student off
      // lowers it again, so a seat freed by them never reaches the waitlist. SQLite cannot
      // change a CHECK in place: the table is rebuilt (foreign keys off, see Migration).
      db.exec(`
        DROP TRIGGER enrollments_count_in;
        DROP TRIGGER enrollments_count_out;
        ALTER TABLE enrollments ADD COLUMN over_capacity INTEGER NOT NULL DEFAULT 0 CHECK (over_capacity IN (0, 1));
        ALTER TABLE enrollments ADD COLUMN allow_conflict INTEGER NOT NULL DEFAULT 0 CHECK (allow_conflict IN (0, 1));
        CREATE TABLE courses_new (
          id INTEGER PRIMARY KEY,
          code TEXT NOT NULL UNIQUE COLLATE NOCASE,
          name TEXT NOT NULL,
          teacher_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
          capacity INTEGER NOT NULL CHECK (capacity >= 0),
          override_seats INTEGER NOT NULL DEFAULT 0 CHECK (override_seats >= 0),
          enrolled INTEGER NOT NULL DEFAULT 0 CHECK (enrolled >= 0 AND enrolled <= capacity + override_seats),
          credits INTEGER NOT NULL CHECK (credits >= 0),
          slots TEXT NOT NULL DEFAULT '[]',
          location TEXT NOT NULL DEFAULT '',
          description TEXT NOT NULL DEFAULT '',
          allowed_groups TEXT NOT NULL DEFAULT '[]',
          waitlist_enabled INTEGER NOT NULL DEFAULT 1 CHECK (waitlist_enabled IN (0, 1)),
          waitlist_cap INTEGER CHECK (waitlist_cap IS NULL OR waitlist_cap >= 0),
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
        );
        INSERT INTO courses_new (id, code, name, teacher_id, capacity, enrolled, credits, slots, location,
          description, allowed_groups, created_at, updated_at)
        SELECT id, code, name, teacher_id, capacity, enrolled, credits, slots, location, description,
          allowed_groups, created_at, updated_at FROM courses;
        DROP TABLE courses;
        ALTER TABLE courses_new RENAME TO courses;
        CREATE INDEX courses_teacher ON courses(teacher_id);

        CREATE TRIGGER enrollments_count_in AFTER INSERT ON enrollments BEGIN
          UPDATE courses SET enrolled = enrolled + 1, override_seats = override_seats + NEW.over_capacity
          WHERE id = NEW.course_id;
        END;
        CREATE TRIGGER enrollments_count_out AFTER DELETE ON enrollments BEGIN
          UPDATE courses SET enrolled = enrolled - 1, override_seats = override_seats - OLD.over_capacity
          WHERE id = OLD.course_id;
        END;
      `);
    },
  },
  {
    id: 204,
    name: 'queue-tickets-waitlist-and-staff-actions',
    up(db) {
      // New actions (join, leave, enroll) need a new CHECK; nothing references queue_tickets, so
      // a plain rebuild. swap_from: a join's course to drop; overrides/actor_id/reason: enroll.
      db.exec(`
        CREATE TABLE queue_tickets_new (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          request_id TEXT NOT NULL UNIQUE,
          student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          course_id INTEGER NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
          student_group TEXT,
          action TEXT NOT NULL CHECK (action IN ('select', 'deselect', 'join', 'leave', 'enroll')),
          status TEXT,
          swap_from INTEGER,
          overrides TEXT,
          actor_id INTEGER,
          reason TEXT,
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          decided_at TEXT
        );
        INSERT INTO queue_tickets_new (id, request_id, student_id, course_id, student_group, action, status, created_at, decided_at)
        SELECT id, request_id, student_id, course_id, student_group, action, status, created_at, decided_at FROM queue_tickets;
        DROP TABLE queue_tickets;
        ALTER TABLE queue_tickets_new RENAME TO queue_tickets;
        CREATE INDEX queue_tickets_pending ON queue_tickets(id) WHERE status IS NULL;
        CREATE INDEX queue_tickets_student ON queue_tickets(student_id, id);
      `);
    },
  },
  {
    id: 205,
    name: 'waitlists',
    up(db) {
      // id order is waitlist order (FIFO); a course is never reordered. ticket: the join's ticket.
      db.exec(`
        CREATE TABLE waitlist_entries (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          course_id INTEGER NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
          swap_from INTEGER REFERENCES courses(id) ON DELETE SET NULL,
          ticket INTEGER,
          joined_at INTEGER NOT NULL,
          UNIQUE (student_id, course_id)
        );
        CREATE INDEX waitlist_course ON waitlist_entries(course_id, id);
      `);
    },
  },
  {
    id: 206,
    name: 'reservations',
    up(db) {
      // released_at: set once expired (or deleted seats handed back); held seats count only before.
      db.exec(`
        CREATE TABLE reservations (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          course_id INTEGER NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
          group_name TEXT,
          seats INTEGER NOT NULL CHECK (seats >= 1),
          expires_at INTEGER NOT NULL,
          released_at INTEGER,
          created_by INTEGER,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX reservations_course ON reservations(course_id);
        CREATE INDEX reservations_due ON reservations(expires_at) WHERE released_at IS NULL;
        CREATE TABLE reservation_students (
          reservation_id INTEGER NOT NULL REFERENCES reservations(id) ON DELETE CASCADE,
          student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          PRIMARY KEY (reservation_id, student_id)
        );
      `);
    },
  },
  {
    id: 207,
    name: 'time-tickets',
    up(db) {
      db.exec(`
        CREATE TABLE time_tickets (
          group_name TEXT PRIMARY KEY,
          opens_at INTEGER NOT NULL,
          closes_at INTEGER,
          CHECK (closes_at IS NULL OR closes_at > opens_at)
        );
      `);
    },
  },
  {
    id: 208,
    name: 'enrollment-log',
    up(db) {
      // No foreign keys: the log outlives deleted students and courses (names are joined when read).
      db.exec(`
        CREATE TABLE enrollment_log (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          at INTEGER NOT NULL,
          student_id INTEGER NOT NULL,
          course_id INTEGER NOT NULL,
          action TEXT NOT NULL,
          status TEXT NOT NULL,
          ticket INTEGER,
          actor_id INTEGER,
          reason TEXT,
          related_course_id INTEGER
        );
        CREATE INDEX enrollment_log_student ON enrollment_log(student_id, id);
        CREATE INDEX enrollment_log_course ON enrollment_log(course_id, id);
        -- the board counts refusals by status each second: read from this index, not the table
        CREATE INDEX enrollment_log_status ON enrollment_log(status, course_id);
      `);
    },
  },
];
