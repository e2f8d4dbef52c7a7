import type { FastifyBaseLogger } from 'fastify';
import { StudentRoutes } from '../../contracts/routes/student.js';
import { createBaseApp, type App } from '../../shared/create-app.js';
import type { ServiceClient } from '../../shared/service-client.js';
import {
  createSessionResolver,
  DEFAULT_SESSION_CACHE_MS,
  sessionForgetRoute,
  type SessionResolver,
} from '../../shared/session-auth.js';
import { QueueForwarder, type QueueForwarderOptions } from '../../shared/queue-forwarder.js';
import { selectionRoutes } from './routes/selection.js';
import { studentCourseRoutes } from './routes/student-courses.js';

export interface StudentAppOptions {
  readonly client: ServiceClient;
  /** auth_node presents it to drop revoked sessions from the cache */
  readonly internalToken: string;
  readonly logger?: FastifyBaseLogger;
  readonly resolver?: SessionResolver;
  readonly forwarder?: QueueForwarderOptions;
  /** how long a resolved session is trusted before auth_node is asked again (revocations are pushed at once) */
  readonly sessionCacheMs?: number;
}

/** student_node: the student endpoints (contracts/routes/student.ts). Selections go through queue_node. */
export async function buildStudentApp(opts: StudentAppOptions): Promise<App> {
  const app = createBaseApp({ service: 'student_node', logger: opts.logger, internalToken: opts.internalToken });
  const resolver =
    opts.resolver ?? createSessionResolver(opts.client, { ttlMs: opts.sessionCacheMs ?? DEFAULT_SESSION_CACHE_MS });
  const forwarder = new QueueForwarder(opts.client, opts.forwarder);
  await app.register(sessionForgetRoute(StudentRoutes.forgetSessions, resolver));
  await app.register(studentCourseRoutes, { client: opts.client, resolver });
  await app.register(selectionRoutes, { client: opts.client, resolver, forwarder });
  return app;
}
