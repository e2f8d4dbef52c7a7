import type { App } from '../../../shared/create-app.js';
import type { ServiceClient } from '../../../shared/service-client.js';
import { requireRole, type SessionResolver } from '../../../shared/session-auth.js';
import { studentOf } from './student-ref.js';
import { StudentRoutes } from '../../../contracts/routes/student.js';
import { DataCourseRoutes as D } from '../../../contracts/routes/data-courses.js';
import { registerRoute } from '../../../shared/register-route.js';

export interface StudentCourseRouteOptions {
  readonly client: ServiceClient;
  readonly resolver: SessionResolver;
}

/** Browsing and the student's own picture: each one data call with the student's id and group. */
export async function studentCourseRoutes(app: App, opts: StudentCourseRouteOptions): Promise<void> {
  const { client } = opts;
  // preValidation, not preHandler: an anonymous caller is refused before the body is looked at.
  const preValidation = requireRole(opts.resolver, 'student');

  registerRoute(app, StudentRoutes.available, { preValidation }, async (req) =>
    client.call(D.available, { body: { student: studentOf(req), filter: req.body } }),
  );
  registerRoute(app, StudentRoutes.selected, { preValidation }, async (req) =>
    client.call(D.selected, { body: { student: studentOf(req) } }),
  );
  registerRoute(app, StudentRoutes.detail, { preValidation }, async (req) => {
    const res = await client.call(D.studentView, { body: { student: studentOf(req), courseId: req.body.courseId } });
    return { course: res.course };
  });
  registerRoute(app, StudentRoutes.check, { preValidation }, async (req) => {
    const res = await client.call(D.studentView, { body: { student: studentOf(req), courseId: req.body.courseId } });
    return res.check;
  });
  registerRoute(app, StudentRoutes.schedule, { preValidation }, async (req) =>
    client.call(D.schedule, { body: { student: studentOf(req) } }),
  );
  registerRoute(app, StudentRoutes.stats, { preValidation }, async (req) =>
    client.call(D.studentStats, { body: { student: studentOf(req) } }),
  );
}
