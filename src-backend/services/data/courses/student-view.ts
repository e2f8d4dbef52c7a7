import type { Database } from 'better-sqlite3';
import type {
  AvailableCoursesRequest,
  AvailableCoursesResponse,
  Course,
  CourseCheckResponse,
  QueueStatusResponse,
  QueueTicket,
  ScheduleResponse,
  SelectedCoursesResponse,
  StudentCourse,
  StudentRef,
  StudentStats,
} from '../../../contracts/courses.js';
import { notFound } from '../../../shared/app-error.js';
import {
  COURSE_COLUMNS,
  COURSE_FROM,
  likePattern,
  openToGroup,
  RESERVATION_USED_SQL,
  toCourse,
  type CourseRow,
} from './course-row.js';
import type { SelectionSettings } from './selection-settings.js';
import type { TimeTickets } from './time-tickets.js';
import { minutes, overlappingSlots } from './slots.js';

type HeldCourse = Course & { enrolledAt: string };

/** Read-only views for one student: what they may take, what they hold, and their tickets. */
export class StudentView {
  constructor(
    private readonly db: Database,
    private readonly settings: SelectionSettings,
    /** a student's window is their group's time ticket, else the global one */
    private readonly timeTickets: TimeTickets,
  ) {}

  held(studentId: number): HeldCourse[] {
    const rows = this.db
      .prepare(
        `SELECT ${COURSE_COLUMNS}, e.created_at AS enrolled_at ${COURSE_FROM} JOIN enrollments e ON e.course_id = c.id WHERE e.student_id = ? ORDER BY c.code`,
      )
      .all(studentId) as Array<CourseRow & { enrolled_at: string }>;
    return rows.map((r) => ({ enrolledAt: r.enrolled_at, ...toCourse(r) }));
  }

  available(student: StudentRef, filter: AvailableCoursesRequest): AvailableCoursesResponse {
    const where = [
      `(c.allowed_groups = '[]' OR (@group IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(c.allowed_groups) g WHERE g.value = @group)))`,
    ];
    const args: Record<string, unknown> = {
      group: student.group,
      limit: filter.limit ?? 100,
      offset: filter.offset ?? 0,
    };
    if (filter.search) {
      where.push(
        `(c.code LIKE @pat ESCAPE '\\' OR c.name LIKE @pat ESCAPE '\\' OR c.description LIKE @pat ESCAPE '\\' OR t.name LIKE @pat ESCAPE '\\')`,
      );
      args.pat = likePattern(filter.search);
    }
    if (filter.day !== undefined) {
      where.push(`EXISTS (SELECT 1 FROM json_each(c.slots) s WHERE json_extract(s.value, '$.day') = @day)`);
      args.day = filter.day;
    }
    if (filter.credits !== undefined) {
      where.push('c.credits = @credits');
      args.credits = filter.credits;
    }
    const whereSql = where.join(' AND ');
    const total = (this.db.prepare(`SELECT count(*) AS n ${COURSE_FROM} WHERE ${whereSql}`).get(args) as { n: number })
      .n;
    const rows = this.db
      .prepare(`SELECT ${COURSE_COLUMNS} ${COURSE_FROM} WHERE ${whereSql} ORDER BY c.code LIMIT @limit OFFSET @offset`)
      .all(args) as CourseRow[];
    const held = this.held(student.studentId);
    return { total, courses: rows.map((r) => this.asStudentCourse(toCourse(r), student, held)) };
  }

  /** One course as this student sees it, plus whether a select would succeed now. */
  course(student: StudentRef, courseId: number): { course: StudentCourse; check: CourseCheckResponse } {
    const row = this.db.prepare(`SELECT ${COURSE_COLUMNS} ${COURSE_FROM} WHERE c.id = ?`).get(courseId) as
      CourseRow | undefined;
    if (!row) throw notFound(`no course with id ${courseId}`, 'COURSE_NOT_FOUND');
    const course = toCourse(row);
    const held = this.held(student.studentId);
    const view = this.asStudentCourse(course, student, held);
    const others = held.filter((h) => h.id !== course.id);
    const conflicts = others.flatMap((h) =>
      overlappingSlots(course.slots, h.slots).map(([, b]) => ({
        courseId: h.id,
        code: h.code,
        name: h.name,
        day: b.day,
        start: b.start,
        end: b.end,
      })),
    );
    const settings = this.settings.row();
    const creditLimit = this.settings.creditLimit(student.studentId, settings.default_credit_limit);
    const currentCredits = held.reduce((n, h) => n + h.credits, 0);
    const alreadySelected = view.selected;
    const overCreditLimit = !alreadySelected && currentCredits + course.credits > creditLimit;
    const windowOpen = this.timeTickets.studentWindow(student.group).open;
    // seats held for this student (their group's or their own reservation) are theirs to take
    const seatsLeft = course.seatsLeft + this.heldFor(student, course.id);
    const check: CourseCheckResponse = {
      fits:
        conflicts.length === 0 && !overCreditLimit && windowOpen && seatsLeft > 0 && !alreadySelected && view.openToYou,
      conflicts,
      creditLimit,
      currentCredits,
      courseCredits: course.credits,
      overCreditLimit,
      windowOpen,
      seatsLeft,
      alreadySelected,
      openToYou: view.openToYou,
    };
    return { course: view, check };
  }

  selected(studentId: number): SelectedCoursesResponse {
    const courses = this.held(studentId);
    return {
      courses,
      totalCredits: courses.reduce((n, c) => n + c.credits, 0),
      creditLimit: this.settings.creditLimit(studentId),
    };
  }

  schedule(studentId: number): ScheduleResponse {
    const entries = this.held(studentId)
      .flatMap((c) =>
        c.slots.map((s) => ({
          courseId: c.id,
          code: c.code,
          name: c.name,
          location: c.location,
          teacherName: c.teacherName,
          ...s,
        })),
      )
      .sort((a, b) => a.day - b.day || minutes(a.start) - minutes(b.start));
    const starts = entries.map((e) => e.start).sort();
    const ends = entries.map((e) => e.end).sort();
    return { entries, firstStart: starts[0] ?? null, lastEnd: ends.at(-1) ?? null };
  }

  stats(studentId: number): StudentStats {
    const held = this.held(studentId);
    const totalCredits = held.reduce((n, c) => n + c.credits, 0);
    const creditLimit = this.settings.creditLimit(studentId);
    const weeklyMinutes = held.reduce(
      (n, c) => n + c.slots.reduce((m, s) => m + minutes(s.end) - minutes(s.start), 0),
      0,
    );
    const pending = this.pendingOf(studentId);
    return {
      selectedCount: held.length,
      totalCredits,
      creditLimit,
      creditsLeft: Math.max(0, creditLimit - totalCredits),
      weeklyHours: Math.round((weeklyMinutes / 60) * 100) / 100,
      pendingTickets: pending,
      windowOpen: this.timeTickets.studentWindow(this.groupOf(studentId)).open,
    };
  }

  /**
   * The student's latest tickets; an undecided one shows its place in its course's FIFO.
   * `pending` counts all of them, also those older than the listed `limit`.
   */
  tickets(studentId: number, limit = 50): QueueStatusResponse {
    const rows = this.db
      .prepare(
        `SELECT q.id AS ticket, q.course_id AS courseId, c.code AS courseCode, q.action, q.status, q.created_at AS createdAt,
           q.decided_at AS decidedAt,
           CASE WHEN q.status IS NULL THEN
             (SELECT count(*) FROM queue_tickets p WHERE p.status IS NULL AND p.course_id = q.course_id AND p.id <= q.id)
           END AS position
         FROM queue_tickets q LEFT JOIN courses c ON c.id = q.course_id
         WHERE q.student_id = ? ORDER BY q.id DESC LIMIT ?`,
      )
      .all(studentId, limit) as QueueTicket[];
    return { pending: this.pendingOf(studentId), tickets: rows };
  }

  private heldFor(student: StudentRef, courseId: number): number {
    const row = this.db
      .prepare(
        `SELECT COALESCE(SUM(MAX(0, r.seats - ${RESERVATION_USED_SQL})), 0) AS n FROM reservations r
         WHERE r.course_id = @courseId AND r.released_at IS NULL AND (r.group_name = @group
           OR EXISTS (SELECT 1 FROM reservation_students rs WHERE rs.reservation_id = r.id AND rs.student_id = @studentId))`,
      )
      .get({ courseId, group: student.group, studentId: student.studentId }) as { n: number };
    return row.n;
  }

  private groupOf(studentId: number): string | null {
    const row = this.db.prepare('SELECT user_group FROM users WHERE id = ?').get(studentId) as
      { user_group: string | null } | undefined;
    return row?.user_group ?? null;
  }

  private pendingOf(studentId: number): number {
    return (
      this.db
        .prepare('SELECT count(*) AS n FROM queue_tickets WHERE student_id = ? AND status IS NULL')
        .get(studentId) as { n: number }
    ).n;
  }

  private asStudentCourse(course: Course, student: StudentRef, held: readonly HeldCourse[]): StudentCourse {
    const selected = held.some((h) => h.id === course.id);
    const conflictsWith = held
      .filter((h) => h.id !== course.id && overlappingSlots(course.slots, h.slots).length > 0)
      .map((h) => h.id);
    // The added keys come first: new keys after a spread cost V8 (Node 20) a few µs each, per
    // course per catalogue page on registration day.
    return {
      selected,
      conflict: conflictsWith.length > 0,
      conflictsWith,
      openToYou: openToGroup(course.allowedGroups, student.group),
      ...course,
    };
  }
}
