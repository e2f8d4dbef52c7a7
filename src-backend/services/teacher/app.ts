import type { FastifyBaseLogger } from 'fastify';
import { TeacherRoutes } from '../../contracts/routes/teacher.js';
import { createBaseApp, type App } from '../../shared/create-app.js';
import type { RealtimePublisher } from '../../shared/realtime-publisher.js';
import type { ServiceClient } from '../../shared/service-client.js';
import {
  createSessionResolver,
  DEFAULT_SESSION_CACHE_MS,
  sessionForgetRoute,
  type SessionResolver,
} from '../../shared/session-auth.js';
import { adminWindowRoutes } from './routes/admin-window.js';
import { courseImportRoutes } from './routes/admin-course-import.js';
import { teacherCourseRoutes } from './routes/teacher-courses.js';
import { registrarRoutes } from './routes/registrar.js';
import { QueueForwarder, type QueueForwarderOptions } from '../../shared/queue-forwarder.js';

export interface TeacherAppOptions {
  readonly client: ServiceClient;
  /** auth_node presents it to drop revoked sessions from the cache */
  readonly internalToken: string;
  readonly logger?: FastifyBaseLogger;
  /** seat counts after a teacher removes a student or changes capacity */
  readonly publisher?: RealtimePublisher;
  readonly resolver?: SessionResolver;
  /** how long a resolved session is trusted before auth_node is asked again */
  readonly sessionCacheMs?: number;
  /** staff enrolments go through queue_node like any selection */
  readonly forwarder?: QueueForwarderOptions;
}

/** teacher_node: teachers manage their own courses, admins any, plus the selection window. */
export async function buildTeacherApp(opts: TeacherAppOptions): Promise<App> {
  const app = createBaseApp({ service: 'teacher_node', logger: opts.logger, internalToken: opts.internalToken });
  const resolver =
    opts.resolver ?? createSessionResolver(opts.client, { ttlMs: opts.sessionCacheMs ?? DEFAULT_SESSION_CACHE_MS });
  await app.register(sessionForgetRoute(TeacherRoutes.forgetSessions, resolver));
  await app.register(teacherCourseRoutes, { client: opts.client, resolver, publisher: opts.publisher });
  await app.register(adminWindowRoutes, { client: opts.client, resolver });
  await app.register(courseImportRoutes, {
    client: opts.client,
    resolver,
    // one event per import, not per course: open consoles reload their course list once
    onImported: (count, by) => opts.publisher?.adminEvent('course_changed', { action: 'imported', count, by }),
  });
  const forwarder = new QueueForwarder(opts.client, opts.forwarder);
  await app.register(registrarRoutes, { client: opts.client, resolver, forwarder });
  return app;
}
