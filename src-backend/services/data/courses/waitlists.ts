import type { Database } from 'better-sqlite3';
import type { Actor } from '../../../contracts/courses.js';
import type {
  CourseWaitlistResponse,
  StudentWaitlistResponse,
  WaitlistRemoveRequest,
} from '../../../contracts/registrar.js';
import { notFound } from '../../../shared/app-error.js';
import type { CourseStore } from './course-store.js';
import type { EnrollmentLog } from './enrollment-log.js';

const POSITION_SQL = '(SELECT count(*) FROM waitlist_entries p WHERE p.course_id = w.course_id AND p.id <= w.id)';

/** Reading waitlists, and staff taking a student off one (joining and leaving go through the queue). */
export class Waitlists {
  constructor(
    private readonly db: Database,
    private readonly courses: CourseStore,
    private readonly log: EnrollmentLog,
  ) {}

  ofStudent(studentId: number): StudentWaitlistResponse {
    const rows = this.db
      .prepare(
        `SELECT w.course_id AS courseId, ${POSITION_SQL} AS position, w.swap_from AS swapFrom, w.joined_at AS joinedAt
         FROM waitlist_entries w WHERE w.student_id = ? ORDER BY w.id`,
      )
      .all(studentId) as Array<StudentWaitlistResponse['entries'][number] & { joinedAt: number }>;
    return { entries: rows.map((r) => ({ ...r, joinedAt: new Date(r.joinedAt).toISOString() })) };
  }

  ofCourse(actor: Actor, courseId: number): CourseWaitlistResponse {
    this.courses.owned(actor, courseId);
    const rows = this.db
      .prepare(
        `SELECT w.student_id AS studentId, u.username, u.name, u.user_group AS "group", ${POSITION_SQL} AS position,
           w.swap_from AS swapFrom, w.joined_at AS joinedAt
         FROM waitlist_entries w JOIN users u ON u.id = w.student_id WHERE w.course_id = ? ORDER BY w.id`,
      )
      .all(courseId) as Array<CourseWaitlistResponse['entries'][number] & { joinedAt: number }>;
    return { courseId, entries: rows.map((r) => ({ ...r, joinedAt: new Date(r.joinedAt).toISOString() })) };
  }

  remove(actor: Actor, req: WaitlistRemoveRequest): void {
    this.db
      .transaction(() => {
        this.courses.owned(actor, req.courseId);
        const res = this.db
          .prepare('DELETE FROM waitlist_entries WHERE course_id = ? AND student_id = ?')
          .run(req.courseId, req.studentId);
        if (res.changes === 0)
          throw notFound(`student ${req.studentId} is not on the waitlist of course ${req.courseId}`, 'NOT_WAITLISTED');
        this.log.write(Date.now(), {
          studentId: req.studentId,
          courseId: req.courseId,
          action: 'waitlist_remove',
          status: 'waitlist_removed',
          actorId: actor.userId,
          reason: req.reason ?? null,
        });
      })
      .immediate();
  }
}
