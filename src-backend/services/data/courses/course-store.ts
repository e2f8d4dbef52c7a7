import type { Database } from 'better-sqlite3';
import type {
  Actor,
  Course,
  CourseListQuery,
  CreateCourseRequest,
  EnrolledStudent,
  TeacherStats,
  UpdateCourseRequest,
} from '../../../contracts/courses.js';
import { badRequest, conflict, forbidden, notFound } from '../../../shared/app-error.js';
import type { DataCourseChangeResponse } from '../../../contracts/routes/data-courses.js';
import type { CourseAudit } from './audit.js';
import type { EnrollmentLog } from './enrollment-log.js';
import type { QueueDecider } from './queue-decider.js';
import { COURSE_COLUMNS, COURSE_FROM, likePattern, toCourse, type CourseRow } from './course-row.js';
import { sortSlots, validateSlots } from './slots.js';

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';

/** The teacher-side course operations. Ownership is checked inside the same transaction as the write. */
export class CourseStore {
  constructor(
    private readonly db: Database,
    private readonly audit: CourseAudit,
    private readonly log: EnrollmentLog,
    private readonly decider: QueueDecider,
  ) {}

  list(q: CourseListQuery = {}): Course[] {
    const where: string[] = [];
    const args: Record<string, unknown> = {};
    if (q.teacherId !== undefined) {
      where.push('c.teacher_id = @teacherId');
      args.teacherId = q.teacherId;
    }
    if (q.search) {
      where.push(`(c.code LIKE @pat ESCAPE '\\' OR c.name LIKE @pat ESCAPE '\\' OR t.name LIKE @pat ESCAPE '\\')`);
      args.pat = likePattern(q.search);
    }
    if (q.day !== undefined) {
      where.push(`EXISTS (SELECT 1 FROM json_each(c.slots) s WHERE json_extract(s.value, '$.day') = @day)`);
      args.day = q.day;
    }
    const sql = `SELECT ${COURSE_COLUMNS} ${COURSE_FROM} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.code`;
    return (this.db.prepare(sql).all(args) as CourseRow[]).map(toCourse);
  }

  find(courseId: number): Course | null {
    const row = this.db.prepare(`SELECT ${COURSE_COLUMNS} ${COURSE_FROM} WHERE c.id = ?`).get(courseId) as
      CourseRow | undefined;
    return row ? toCourse(row) : null;
  }

  /** The course, if it exists (404) and the actor may act on it (403). */
  owned(actor: Actor, courseId: number): Course {
    const course = this.find(courseId);
    if (!course) throw notFound(`no course with id ${courseId}`, 'COURSE_NOT_FOUND');
    if (actor.role !== 'admin' && course.teacherId !== actor.userId) {
      throw forbidden('this course belongs to another teacher', 'NOT_YOUR_COURSE');
    }
    return course;
  }

  students(courseId: number): EnrolledStudent[] {
    return this.db
      .prepare(
        `SELECT u.id, u.username, u.name, u.user_group AS "group", e.created_at AS enrolledAt
         FROM enrollments e JOIN users u ON u.id = e.student_id WHERE e.course_id = ? ORDER BY e.id`,
      )
      .all(courseId) as EnrolledStudent[];
  }

  create(actor: Actor, req: CreateCourseRequest): Course {
    validateSlots(req.slots);
    const teacherId = this.teacherFor(actor, req.teacherId);
    return this.db
      .transaction(() => {
        try {
          const id = this.db
            .prepare(
              `INSERT INTO courses (code, name, teacher_id, capacity, credits, slots, location, description, allowed_groups,
                 waitlist_enabled, waitlist_cap)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              req.code,
              req.name,
              teacherId,
              req.capacity,
              req.credits,
              JSON.stringify(sortSlots(req.slots)),
              req.location ?? '',
              req.description ?? '',
              JSON.stringify(uniqueGroups(req.allowedGroups ?? [])),
              req.waitlistEnabled === false ? 0 : 1,
              req.waitlistCap ?? null,
            ).lastInsertRowid;
          const created = this.find(Number(id))!;
          this.audit.record(actor, 'course.create', `course:${created.id}`, {
            code: created.code,
            capacity: created.capacity,
          });
          return created;
        } catch (err) {
          if (isUniqueViolation(err)) throw conflict(`course code ${req.code} is taken`, 'COURSE_CODE_TAKEN');
          throw err;
        }
      })
      .immediate();
  }

  /** A capacity increase promotes the waitlist in the same transaction. */
  update(actor: Actor, req: UpdateCourseRequest): DataCourseChangeResponse {
    if (req.slots) validateSlots(req.slots);
    return this.db
      .transaction(() => {
        const course = this.owned(actor, req.courseId);
        const teacherId = req.teacherId === undefined ? course.teacherId : this.teacherFor(actor, req.teacherId);
        if (req.capacity !== undefined && req.capacity < course.enrolled) {
          throw conflict(
            `capacity ${req.capacity} is below the ${course.enrolled} students already enrolled`,
            'CAPACITY_BELOW_ENROLLMENT',
          );
        }
        try {
          this.db
            .prepare(
              `UPDATE courses SET code = ?, name = ?, teacher_id = ?, capacity = ?, credits = ?, slots = ?, location = ?,
               description = ?, allowed_groups = ?, waitlist_enabled = ?, waitlist_cap = ?,
               updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?`,
            )
            .run(
              req.code ?? course.code,
              req.name ?? course.name,
              teacherId,
              req.capacity ?? course.capacity,
              req.credits ?? course.credits,
              JSON.stringify(sortSlots(req.slots ?? course.slots)),
              req.location ?? course.location,
              req.description ?? course.description,
              JSON.stringify(uniqueGroups(req.allowedGroups ?? course.allowedGroups)),
              (req.waitlistEnabled ?? course.waitlistEnabled) ? 1 : 0,
              req.waitlistCap === undefined ? course.waitlistCap : req.waitlistCap,
              course.id,
            );
        } catch (err) {
          if (isUniqueViolation(err)) throw conflict(`course code ${req.code} is taken`, 'COURSE_CODE_TAKEN');
          throw err;
        }
        const { courseId: _id, ...changes } = req;
        this.audit.record(actor, 'course.update', `course:${course.id}`, changes);
        const freed = this.decider.seatsFreed([course.id]);
        return { course: this.find(course.id)!, ...freed };
      })
      .immediate();
  }

  remove(actor: Actor, courseId: number, force: boolean): number {
    return this.db
      .transaction(() => {
        const course = this.owned(actor, courseId);
        if (course.enrolled > 0 && !force) {
          throw conflict(
            `${course.enrolled} students are enrolled; pass force: true to delete anyway`,
            'COURSE_HAS_STUDENTS',
          );
        }
        this.db.prepare('DELETE FROM courses WHERE id = ?').run(courseId);
        this.audit.record(actor, 'course.delete', `course:${courseId}`, {
          code: course.code,
          removedEnrollments: course.enrolled,
        });
        return course.enrolled;
      })
      .immediate();
  }

  /** The freed seat promotes the waitlist in the same transaction. */
  removeStudent(actor: Actor, courseId: number, studentId: number, reason?: string) {
    return this.db
      .transaction(() => {
        this.owned(actor, courseId);
        const res = this.db
          .prepare('DELETE FROM enrollments WHERE course_id = ? AND student_id = ?')
          .run(courseId, studentId);
        if (res.changes === 0)
          throw notFound(`student ${studentId} is not enrolled in course ${courseId}`, 'NOT_ENROLLED');
        this.audit.record(actor, 'course.remove_student', `course:${courseId}`, { studentId });
        this.log.write(Date.now(), {
          studentId,
          courseId,
          action: 'remove',
          status: 'removed',
          actorId: actor.userId,
          reason: reason ?? null,
        });
        const freed = this.decider.seatsFreed([courseId]);
        return { course: this.find(courseId)!, ...freed };
      })
      .immediate();
  }

  stats(actor: Actor): TeacherStats {
    const courses = this.list(actor.role === 'admin' ? {} : { teacherId: actor.userId });
    const totalCapacity = courses.reduce((n, c) => n + c.capacity, 0);
    const totalEnrolled = courses.reduce((n, c) => n + c.enrolled, 0);
    return {
      courseCount: courses.length,
      totalCapacity,
      totalEnrolled,
      fillRate: totalCapacity === 0 ? 0 : totalEnrolled / totalCapacity,
      fullCourses: courses.filter((c) => c.capacity > 0 && c.enrolled >= c.capacity).length,
      courses: courses.map((c) => ({
        id: c.id,
        code: c.code,
        name: c.name,
        capacity: c.capacity,
        enrolled: c.enrolled,
      })),
    };
  }

  /** A teacher always teaches what they create; an admin may name a teacher (or none). */
  private teacherFor(actor: Actor, requested: number | undefined): number | null {
    if (actor.role === 'teacher') {
      if (requested !== undefined && requested !== actor.userId)
        throw forbidden('only an admin may assign a course to another teacher', 'NOT_YOUR_COURSE');
      return actor.userId;
    }
    if (requested === undefined) return null;
    const user = this.db.prepare('SELECT role FROM users WHERE id = ?').get(requested) as { role: string } | undefined;
    if (!user || user.role !== 'teacher') throw badRequest(`user ${requested} is not a teacher`, 'UNKNOWN_TEACHER');
    return requested;
  }
}

function uniqueGroups(groups: readonly string[]): string[] {
  return [...new Set(groups.map((g) => g.trim()).filter((g) => g.length > 0))];
}
