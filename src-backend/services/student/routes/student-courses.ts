import {
  AvailableCoursesRequest,
  AvailableCoursesResponse,
  CourseCheckResponse,
  CourseIdRequest,
  DATA_COURSE_PATHS as D,
  ScheduleResponse,
  SelectedCoursesResponse,
  SelectionWindow,
  STUDENT_PATHS as P,
  StudentCourseDetailResponse,
  StudentStats,
  type DataStudentCourseResponse,
} from '../../../contracts/courses.js';
import { errorResponses } from '../../../contracts/errors.js';
import type { App } from '../../../shared/create-app.js';
import type { ServiceClient } from '../../../shared/service-client.js';
import { requireRole, type SessionResolver } from '../../../shared/session-auth.js';
import { studentOf } from './student-ref.js';

export interface StudentCourseRouteOptions {
  readonly client: ServiceClient;
  readonly resolver: SessionResolver;
}

const ok = <T>(schema: T) => ({ 200: schema, ...errorResponses });

/** Browsing and the student's own picture: each one data call with the student's id and group. */
export async function studentCourseRoutes(app: App, opts: StudentCourseRouteOptions): Promise<void> {
  const { client } = opts;
  // preValidation, not preHandler: an anonymous caller is refused before the body is looked at.
  const preValidation = requireRole(opts.resolver, 'student');

  app.post(
    P.available,
    { preValidation, schema: { body: AvailableCoursesRequest, response: ok(AvailableCoursesResponse) } },
    async (req) =>
      client.post<AvailableCoursesResponse>('data_node', D.available, { student: studentOf(req), filter: req.body }),
  );
  app.get(P.selected, { preValidation, schema: { response: ok(SelectedCoursesResponse) } }, async (req) =>
    client.post<SelectedCoursesResponse>('data_node', D.selected, { student: studentOf(req) }),
  );
  app.post(
    P.detail,
    { preValidation, schema: { body: CourseIdRequest, response: ok(StudentCourseDetailResponse) } },
    async (req) => {
      const res = await client.post<DataStudentCourseResponse>('data_node', D.studentView, {
        student: studentOf(req),
        courseId: req.body.courseId,
      });
      return { course: res.course };
    },
  );
  app.post(
    P.check,
    { preValidation, schema: { body: CourseIdRequest, response: ok(CourseCheckResponse) } },
    async (req) => {
      const res = await client.post<DataStudentCourseResponse>('data_node', D.studentView, {
        student: studentOf(req),
        courseId: req.body.courseId,
      });
      return res.check;
    },
  );
  app.get(P.schedule, { preValidation, schema: { response: ok(ScheduleResponse) } }, async (req) =>
    client.post<ScheduleResponse>('data_node', D.schedule, { student: studentOf(req) }),
  );
  app.get(P.stats, { preValidation, schema: { response: ok(StudentStats) } }, async (req) =>
    client.post<StudentStats>('data_node', D.studentStats, { student: studentOf(req) }),
  );
  // A student told "window closed" needs the opening time; the window is the same for everyone.
  app.get(P.window, { preValidation, schema: { response: ok(SelectionWindow) } }, async () =>
    client.get<SelectionWindow>('data_node', D.window),
  );
}
