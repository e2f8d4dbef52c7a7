import type { Database } from 'better-sqlite3';
import type { BoardCourse } from '../../../contracts/registrar.js';
import { COURSE_COLUMNS, COURSE_FROM, toCourse, type CourseRow } from './course-row.js';

/** Refusals that are unmet demand: the student wanted the seat and did not get it. */
export const REFUSAL_STATUSES = [
  'full',
  'conflict',
  'over_credit_limit',
  'window_closed',
  'waitlist_full',
  'waitlist_closed',
] as const;

/** The board's per-course part: fill, waitlist, reserved seats and refusals by reason. */
export function boardCourses(db: Database): BoardCourse[] {
  const refusals = new Map<number, Record<string, number>>();
  const rows = db
    .prepare(
      `SELECT course_id AS courseId, status, count(*) AS n FROM enrollment_log
       WHERE status IN (${REFUSAL_STATUSES.map(() => '?').join(', ')}) GROUP BY course_id, status`,
    )
    .all(...REFUSAL_STATUSES) as Array<{ courseId: number; status: string; n: number }>;
  for (const r of rows) {
    const byReason = refusals.get(r.courseId) ?? {};
    byReason[r.status] = r.n;
    refusals.set(r.courseId, byReason);
  }
  const courses = (db.prepare(`SELECT ${COURSE_COLUMNS} ${COURSE_FROM} ORDER BY c.code`).all() as CourseRow[]).map(
    toCourse,
  );
  return courses.map((c) => ({
    courseId: c.id,
    code: c.code,
    name: c.name,
    enrolled: c.enrolled,
    capacity: c.capacity,
    overrideSeats: c.overrideSeats,
    reservedSeats: c.reservedSeats,
    waitlisted: c.waitlisted,
    refusals: refusals.get(c.id) ?? {},
  }));
}
