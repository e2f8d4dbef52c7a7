import { bodyLimitFor } from '../../../contracts/body-limits.js';
import { CourseImportRoutes, DataCourseImportRoutes } from '../../../contracts/routes/course-import.js';
import type { ErrorBody } from '../../../contracts/errors.js';
import { AppError } from '../../../shared/app-error.js';
import type { App } from '../../../shared/create-app.js';
import { registerRoute } from '../../../shared/register-route.js';
import { ServiceCallError, type ServiceClient } from '../../../shared/service-client.js';
import { requireRole, type SessionResolver } from '../../../shared/session-auth.js';
import { actorOf } from './actor.js';

export interface CourseImportRouteOptions {
  readonly client: ServiceClient;
  readonly resolver: SessionResolver;
  /** told once per import that created courses, so open consoles reload their lists */
  readonly onImported?: (created: number, by: string | null) => void;
}

/** The course CSV import (course-cli import courses, the console's import dialog): admins only. */
export async function courseImportRoutes(app: App, opts: CourseImportRouteOptions): Promise<void> {
  const url = CourseImportRoutes.importCourses.url;
  registerRoute(
    app,
    CourseImportRoutes.importCourses,
    { preValidation: requireRole(opts.resolver, 'admin'), bodyLimit: bodyLimitFor('teacher_node', 'POST', url) },
    async (req) => {
      // callRaw: an atomic import's 409 carries the failing rows in error.details, passed on as they are.
      const res = await opts.client.callRaw(DataCourseImportRoutes.importCourses, {
        body: { actor: actorOf(req), ...req.body },
        timeoutMs: 120_000,
      });
      if (res.statusCode !== 200 || !('results' in res.body)) {
        const { error } = res.body as ErrorBody;
        // 5xx: the shared error handler's rules (storage unwritable, or "data_node is unavailable").
        if (res.statusCode >= 500) throw new ServiceCallError('data_node', res.statusCode, error.code, error.message);
        throw new AppError(res.statusCode, error.code, error.message, error.details);
      }
      const answer = res.body;
      req.log.info(
        { created: answer.created, failed: answer.failed, dryRun: answer.dryRun, by: req.user?.username },
        answer.dryRun ? 'course import dry run' : 'courses imported',
      );
      if (!answer.dryRun && answer.created > 0) opts.onImported?.(answer.created, req.user?.username ?? null);
      return answer;
    },
  );
}
