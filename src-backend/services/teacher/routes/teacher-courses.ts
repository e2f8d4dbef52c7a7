import {
  Course,
  CourseIdRequest,
  CourseResponse,
  CreateCourseRequest,
  DATA_COURSE_PATHS as D,
  DeleteCourseRequest,
  DeleteCourseResponse,
  RemoveStudentRequest,
  RemoveStudentResponse,
  TEACHER_PATHS as P,
  TeacherCourseDetailResponse,
  TeacherCoursesResponse,
  TeacherStats,
  UpdateCourseRequest,
  type CourseListResponse,
} from '../../../contracts/courses.js';
import { errorResponses } from '../../../contracts/errors.js';
import { CourseEvents } from '../../../contracts/realtime-internal.js';
import { Rooms } from '../../../contracts/realtime.js';
import type { App } from '../../../shared/create-app.js';
import type { RealtimePublisher } from '../../../shared/realtime-publisher.js';
import type { ServiceClient } from '../../../shared/service-client.js';
import { requireRole, type SessionResolver } from '../../../shared/session-auth.js';
import { actorOf } from './actor.js';

export interface TeacherRouteOptions {
  readonly client: ServiceClient;
  readonly resolver: SessionResolver;
  readonly publisher?: RealtimePublisher;
}

const ok = <T>(schema: T) => ({ 200: schema, ...errorResponses });

/** Seed 000's teacher endpoints. Ownership is enforced by the data service, in the write's transaction. */
export async function teacherCourseRoutes(app: App, opts: TeacherRouteOptions): Promise<void> {
  const { client } = opts;
  // preValidation, not preHandler: an anonymous caller is refused before the body is looked at.
  const preValidation = requireRole(opts.resolver, 'teacher', 'admin');
  const seatsChanged = (c: Course) =>
    opts.publisher?.emit({
      event: CourseEvents.seats,
      room: Rooms.course(c.id),
      data: { courseId: c.id, enrolled: c.enrolled, capacity: c.capacity, seatsLeft: c.seatsLeft },
    });

  app.get(P.courses, { preValidation, schema: { response: ok(TeacherCoursesResponse) } }, async (req) => {
    const actor = actorOf(req);
    const query = actor.role === 'admin' ? '' : `?teacherId=${actor.userId}`;
    return client.get<CourseListResponse>('data_node', `${D.list}${query}`);
  });

  app.post(
    P.detail,
    { preValidation, schema: { body: CourseIdRequest, response: ok(TeacherCourseDetailResponse) } },
    async (req) =>
      client.post<TeacherCourseDetailResponse>('data_node', D.get, {
        actor: actorOf(req),
        courseId: req.body.courseId,
        withStudents: true,
      }),
  );

  app.post(
    P.create,
    { preValidation, schema: { body: CreateCourseRequest, response: { 201: CourseResponse, ...errorResponses } } },
    async (req, reply) => {
      const res = await client.post<CourseResponse>('data_node', D.create, { actor: actorOf(req), course: req.body });
      req.log.info({ courseId: res.course.id, code: res.course.code, by: req.user?.username }, 'course created');
      return reply.code(201).send(res);
    },
  );

  app.put(
    P.update,
    { preValidation, schema: { body: UpdateCourseRequest, response: ok(CourseResponse) } },
    async (req) => {
      const res = await client.post<CourseResponse>('data_node', D.update, { actor: actorOf(req), update: req.body });
      if (req.body.capacity !== undefined) seatsChanged(res.course);
      return res;
    },
  );

  app.delete(
    P.remove,
    { preValidation, schema: { body: DeleteCourseRequest, response: ok(DeleteCourseResponse) } },
    async (req) => {
      const res = await client.post<DeleteCourseResponse>('data_node', D.remove, { actor: actorOf(req), ...req.body });
      req.log.info(
        { courseId: res.courseId, removedEnrollments: res.removedEnrollments, by: req.user?.username },
        'course deleted',
      );
      return res;
    },
  );

  app.post(
    P.removeStudent,
    { preValidation, schema: { body: RemoveStudentRequest, response: ok(RemoveStudentResponse) } },
    async (req) => {
      const res = await client.post<RemoveStudentResponse>('data_node', D.removeStudent, {
        actor: actorOf(req),
        ...req.body,
      });
      seatsChanged(res.course);
      return res;
    },
  );

  app.get(P.stats, { preValidation, schema: { response: ok(TeacherStats) } }, async (req) =>
    client.post<TeacherStats>('data_node', D.stats, { actor: actorOf(req) }),
  );
}
