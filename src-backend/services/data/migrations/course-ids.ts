import type { Migration } from '../db/migration.js';

/**
 * Course ids are never handed out twice. `courses.id` was a plain INTEGER PRIMARY KEY, so SQLite
 * gave a new course the highest id + 1, which after deleting the newest course is that course's
 * id again; the enrollment log (no foreign keys: it outlives deleted courses, and names are
 * joined when read) then showed the deleted course's history, and the board its refusals,
 * under the new course. AUTOINCREMENT never reuses an id, and the sequence starts past every id
 * the log and the queue already name.
 */
export const courseIdMigrations: readonly Migration[] = [
  {
    id: 250,
    name: 'course-ids-never-reused',
    rebuildsParentTable: true,
    up(db) {
      // The same table as migration 203 but for AUTOINCREMENT; the enrollment triggers name
      // `courses`, so they go while it is swapped and come back unchanged.
      db.exec(`
        DROP TRIGGER enrollments_count_in;
        DROP TRIGGER enrollments_count_out;
        CREATE TABLE courses_new (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
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
        INSERT INTO courses_new SELECT id, code, name, teacher_id, capacity, override_seats, enrolled, credits,
          slots, location, description, allowed_groups, waitlist_enabled, waitlist_cap, created_at, updated_at
          FROM courses;
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
      // Start past every course id anything still names, including courses already deleted.
      const highest = db
        .prepare(
          `SELECT max(
             (SELECT coalesce(max(id), 0) FROM courses),
             (SELECT coalesce(max(course_id), 0) FROM enrollment_log),
             (SELECT coalesce(max(related_course_id), 0) FROM enrollment_log),
             (SELECT coalesce(max(course_id), 0) FROM queue_tickets))`,
        )
        .pluck()
        .get() as number;
      db.prepare("DELETE FROM sqlite_sequence WHERE name = 'courses'").run();
      db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('courses', ?)").run(highest);
    },
  },
];
