import type { Database } from 'better-sqlite3';
import { Type } from 'typebox';
import {
  AvailableCoursesResponse,
  CountResponse,
  CourseListQuery,
  CourseListResponse,
  CourseResponse,
  CreditLimitResponse,
  DATA_COURSE_PATHS as P,
  DataAvailableRequest,
  DataCreateCourseRequest,
  DataDeleteCourseRequest,
  DataGetCourseRequest,
  DataQueueDecideRequest,
  DataQueueDecideResponse,
  DataQueueSnapshotRequest,
  DataQueueSnapshotResponse,
  DataQueueSubmitRequest,
  DataQueueSubmitResponse,
  DataRemoveStudentRequest,
  DataStatsRequest,
  DataStudentCourseRequest,
  DataStudentCourseResponse,
  DataStudentRequest,
  DataUpdateCourseRequest,
  DeleteCourseResponse,
  DataSetCreditLimitRequest,
  DataSetWindowRequest,
  DataWindowActionRequest,
  type Actor,
  QueueStatusResponse,
  RemoveStudentResponse,
  ScheduleResponse,
  SelectedCoursesResponse,
  SelectionWindow,
  StudentStats,
  TeacherCourseDetailResponse,
  TeacherStats,
} from '../../../contracts/courses.js';
import { errorResponses } from '../../../contracts/errors.js';
import type { App } from '../../../shared/create-app.js';
import { CourseAudit } from '../courses/audit.js';
import type { AuditRepo } from '../identity/audit-repo.js';
import { CourseStore } from '../courses/course-store.js';
import { QueueDecider } from '../courses/queue-decider.js';
import { SelectionSettings } from '../courses/selection-settings.js';
import { StudentView } from '../courses/student-view.js';
import { notFound } from '../../../shared/app-error.js';

export interface DataRouteOptions {
  readonly db: Database;
  /** the one writer of audit_log */
  readonly audit: AuditRepo;
}

const ok = <T>(schema: T) => ({ 200: schema, ...errorResponses });

/**
 * Course storage for teacher_node, student_node and queue_node. Only GET /courses is public
 * (app.ts gates the rest behind the internal token); callers pass the acting user explicitly.
 */
export async function courseRoutes(app: App, opts: DataRouteOptions): Promise<void> {
  const { db } = opts;
  const audit = new CourseAudit(opts.audit);
  const courses = new CourseStore(db, audit);
  const settings = new SelectionSettings(db);
  const students = new StudentView(db, settings);
  const queue = new QueueDecider(db, settings);

  app.get(P.list, { schema: { querystring: CourseListQuery, response: ok(CourseListResponse) } }, async (req) => ({
    courses: courses.list(req.query),
  }));

  // Teacher side -------------------------------------------------------------------------------
  app.post(
    P.create,
    { schema: { body: DataCreateCourseRequest, response: { 201: CourseResponse, ...errorResponses } } },
    async (req, reply) => {
      return reply.code(201).send({ course: courses.create(req.body.actor, req.body.course) });
    },
  );
  app.post(
    P.get,
    { schema: { body: DataGetCourseRequest, response: ok(TeacherCourseDetailResponse) } },
    async (req) => {
      const course = courses.owned(req.body.actor, req.body.courseId);
      return { course, students: req.body.withStudents ? courses.students(course.id) : [] };
    },
  );
  app.post(P.update, { schema: { body: DataUpdateCourseRequest, response: ok(CourseResponse) } }, async (req) => ({
    course: courses.update(req.body.actor, req.body.update),
  }));
  app.post(
    P.remove,
    { schema: { body: DataDeleteCourseRequest, response: ok(DeleteCourseResponse) } },
    async (req) => ({
      deleted: true as const,
      courseId: req.body.courseId,
      removedEnrollments: courses.remove(req.body.actor, req.body.courseId, req.body.force ?? false),
    }),
  );
  app.post(
    P.removeStudent,
    { schema: { body: DataRemoveStudentRequest, response: ok(RemoveStudentResponse) } },
    async (req) => ({
      removed: true as const,
      course: courses.removeStudent(req.body.actor, req.body.courseId, req.body.studentId),
    }),
  );
  app.post(P.stats, { schema: { body: DataStatsRequest, response: ok(TeacherStats) } }, async (req) =>
    courses.stats(req.body.actor),
  );

  // Student side -------------------------------------------------------------------------------
  app.post(
    P.available,
    { schema: { body: DataAvailableRequest, response: ok(AvailableCoursesResponse) } },
    async (req) => students.available(req.body.student, req.body.filter),
  );
  app.post(
    P.studentView,
    { schema: { body: DataStudentCourseRequest, response: ok(DataStudentCourseResponse) } },
    async (req) => students.course(req.body.student, req.body.courseId),
  );
  app.post(P.selected, { schema: { body: DataStudentRequest, response: ok(SelectedCoursesResponse) } }, async (req) =>
    students.selected(req.body.student.studentId),
  );
  app.post(P.schedule, { schema: { body: DataStudentRequest, response: ok(ScheduleResponse) } }, async (req) =>
    students.schedule(req.body.student.studentId),
  );
  app.post(P.studentStats, { schema: { body: DataStudentRequest, response: ok(StudentStats) } }, async (req) =>
    students.stats(req.body.student.studentId),
  );
  app.post(P.queueTickets, { schema: { body: DataStudentRequest, response: ok(QueueStatusResponse) } }, async (req) =>
    students.tickets(req.body.student.studentId),
  );

  // Selection window and credit limits ------------------------------------------------------------
  app.get(P.window, { schema: { response: ok(SelectionWindow) } }, async () => settings.window());
  // Each change and its audit entry commit together.
  const audited = <T>(actor: Actor, action: string, change: () => T, detail: (r: T) => Record<string, unknown>) =>
    db
      .transaction(() => {
        const result = change();
        audit.record(actor, action, 'selection', detail(result));
        return result;
      })
      .immediate();
  const windowDetail = (w: SelectionWindow) => ({
    opensAt: w.opensAt,
    closesAt: w.closesAt,
    defaultCreditLimit: w.defaultCreditLimit,
  });
  app.put(P.window, { schema: { body: DataSetWindowRequest, response: ok(SelectionWindow) } }, async (req) =>
    audited(req.body.actor, 'selection_window.set', () => settings.setWindow(req.body.window), windowDetail),
  );
  app.post(P.windowOpen, { schema: { body: DataWindowActionRequest, response: ok(SelectionWindow) } }, async (req) =>
    audited(req.body.actor, 'selection_window.open', () => settings.openNow(), windowDetail),
  );
  app.post(P.windowClose, { schema: { body: DataWindowActionRequest, response: ok(SelectionWindow) } }, async (req) =>
    audited(req.body.actor, 'selection_window.close', () => settings.closeNow(), windowDetail),
  );
  app.put(
    P.creditLimit,
    { schema: { body: DataSetCreditLimitRequest, response: ok(CreditLimitResponse) } },
    async (req) =>
      audited(
        req.body.actor,
        'credit_limit.set',
        () => settings.setCreditLimit(req.body.limit),
        (r) => ({ ...r }),
      ),
  );

  // The queue's group commit ---------------------------------------------------------------------
  app.post(
    P.queueSubmit,
    { schema: { body: DataQueueSubmitRequest, response: ok(DataQueueSubmitResponse) } },
    async (req) => queue.submit(req.body.requests, req.body.maxDecide),
  );
  app.post(
    P.queueDecide,
    { schema: { body: DataQueueDecideRequest, response: ok(DataQueueDecideResponse) } },
    async (req) => queue.decidePending(req.body.max),
  );
  app.post(
    P.queueSnapshot,
    { schema: { body: DataQueueSnapshotRequest, response: ok(DataQueueSnapshotResponse) } },
    async (req) => ({
      positions: queue.positions(req.body.tickets),
    }),
  );
  app.get(P.queuePending, { schema: { response: ok(CountResponse) } }, async () => ({ count: queue.pendingCount() }));
  app.get(
    '/courses/:id',
    { schema: { params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: ok(CourseResponse) } },
    async (req) => {
      const course = courses.find(req.params.id);
      if (!course) throw notFound(`no course with id ${req.params.id}`, 'COURSE_NOT_FOUND');
      return { course };
    },
  );
}
