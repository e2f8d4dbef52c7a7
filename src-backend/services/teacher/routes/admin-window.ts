import type { App } from '../../../shared/create-app.js';
import type { ServiceClient } from '../../../shared/service-client.js';
import { requireRole, type SessionResolver } from '../../../shared/session-auth.js';
import { actorOf } from './actor.js';
import { TeacherRoutes } from '../../../contracts/routes/teacher.js';
import { DataCourseRoutes as D } from '../../../contracts/routes/data-courses.js';
import { registerRoute } from '../../../shared/register-route.js';

export interface AdminWindowRouteOptions {
  readonly client: ServiceClient;
  readonly resolver: SessionResolver;
}

/** The selection window and credit limits: the console's Courses view opens and closes selection here. */
export async function adminWindowRoutes(app: App, opts: AdminWindowRouteOptions): Promise<void> {
  const { client } = opts;
  const admin = requireRole(opts.resolver, 'admin');
  // Teachers may see when selection runs; only admins change it.
  const anyStaff = requireRole(opts.resolver, 'admin', 'teacher');

  registerRoute(app, TeacherRoutes.window, { preValidation: anyStaff }, async () => client.call(D.window));
  registerRoute(app, TeacherRoutes.setWindow, { preValidation: admin }, async (req) => {
    const res = await client.call(D.setWindow, { body: { actor: actorOf(req), window: req.body } });
    req.log.info({ opensAt: res.opensAt, closesAt: res.closesAt, by: req.user?.username }, 'selection window set');
    return res;
  });
  registerRoute(app, TeacherRoutes.openWindow, { preValidation: admin }, async (req) => {
    const res = await client.call(D.openWindow, { body: { actor: actorOf(req) } });
    req.log.info({ by: req.user?.username }, 'selection window opened');
    return res;
  });
  registerRoute(app, TeacherRoutes.closeWindow, { preValidation: admin }, async (req) => {
    const res = await client.call(D.closeWindow, { body: { actor: actorOf(req) } });
    req.log.info({ by: req.user?.username }, 'selection window closed');
    return res;
  });
  registerRoute(app, TeacherRoutes.setCreditLimit, { preValidation: admin }, async (req) =>
    client.call(D.setCreditLimit, { body: { actor: actorOf(req), limit: req.body } }),
  );
}
