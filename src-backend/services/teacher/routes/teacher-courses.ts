import { Course } from '../../../contracts/courses.js';
import { CourseEvents } from '../../../contracts/realtime-internal.js';
import { Rooms } from '../../../contracts/realtime.js';
import type { App } from '../../../shared/create-app.js';
import type { RealtimePublisher } from '../../../shared/realtime-publisher.js';
import type { ServiceClient } from '../../../shared/service-client.js';
import { requireRole, type SessionResolver } from '../../../shared/session-auth.js';
import { actorOf } from './actor.js';
import { TeacherRoutes } from '../../../contracts/routes/teacher.js';
import { DataCourseRoutes as D } from '../../../contracts/routes/data-courses.js';
import { registerRoute } from '../../../shared/register-route.js';

export interface TeacherRouteOptions {
  readonly client: ServiceClient;
  readonly resolver: SessionResolver;
  readonly publisher?: RealtimePublisher;
}

/** The teacher endpoints. Ownership is enforced by the data service, in the write's transaction. */
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
  // New, renamed or deleted courses have no room the console already watches: tell /admin.
  const courseChanged = (id: number, action: 'created' | 'updated' | 'deleted', by: string | undefined) =>
    opts.publisher?.adminEvent('course_changed', { id, action, by: by ?? null });

  registerRoute(app, TeacherRoutes.courses, { preValidation }, async (req) => {
    const actor = actorOf(req);
    return client.call(D.list, { query: actor.role === 'admin' ? {} : { teacherId: actor.userId } });
  });

  registerRoute(app, TeacherRoutes.detail, { preValidation }, async (req) =>
    client.call(D.owned, { body: { actor: actorOf(req), courseId: req.body.courseId, withStudents: true } }),
  );

  registerRoute(app, TeacherRoutes.create, { preValidation }, async (req, reply) => {
    const res = await client.call(D.create, { body: { actor: actorOf(req), course: req.body } });
    req.log.info({ courseId: res.course.id, code: res.course.code, by: req.user?.username }, 'course created');
    courseChanged(res.course.id, 'created', req.user?.username);
    return reply.code(201).send(res);
  });

  registerRoute(app, TeacherRoutes.update, { preValidation }, async (req) => {
    const res = await client.call(D.update, { body: { actor: actorOf(req), update: req.body } });
    if (req.body.capacity !== undefined) seatsChanged(res.course);
    courseChanged(res.course.id, 'updated', req.user?.username);
    return res;
  });

  registerRoute(app, TeacherRoutes.remove, { preValidation }, async (req) => {
    const res = await client.call(D.remove, { body: { actor: actorOf(req), ...req.body } });
    req.log.info(
      { courseId: res.courseId, removedEnrollments: res.removedEnrollments, by: req.user?.username },
      'course deleted',
    );
    courseChanged(res.courseId, 'deleted', req.user?.username);
    return res;
  });

  registerRoute(app, TeacherRoutes.removeStudent, { preValidation }, async (req) => {
    const res = await client.call(D.removeStudent, { body: { actor: actorOf(req), ...req.body } });
    seatsChanged(res.course);
    return res;
  });

  registerRoute(app, TeacherRoutes.stats, { preValidation }, async (req) =>
    client.call(D.stats, { body: { actor: actorOf(req) } }),
  );
}
