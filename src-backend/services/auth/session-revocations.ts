import type { FastifyBaseLogger } from 'fastify';
import { StudentRoutes } from '../../contracts/routes/student.js';
import { TeacherRoutes } from '../../contracts/routes/teacher.js';
import type { SessionForgetRequest } from '../../contracts/session.js';
import { getParentChannel, type ParentChannel } from '../../shared/parent-channel.js';
import type { ServiceClient } from '../../shared/service-client.js';

/** The services that cache resolved sessions and must hear when one dies. */
const FORGET_ROUTES = [StudentRoutes.forgetSessions, TeacherRoutes.forgetSessions] as const;
/** Short: a logout must not hang on a service that is down; its cache expires on its own soon. */
const FORGET_TIMEOUT_MS = 500;

/**
 * Tells the session caches that a token or all of a user's sessions are dead. Called after
 * the data side has revoked them (so a lookup racing the call cannot re-cache a live one) and
 * awaited, so the answer to a logout means "refused everywhere"; a failure is logged and
 * never fails the caller, since the cache's few seconds still bound it.
 */
export interface SessionRevocations {
  forgetToken(token: string): Promise<void>;
  forgetUser(userId: number): Promise<void>;
}

export function createSessionRevocations(
  client: ServiceClient,
  log: Pick<FastifyBaseLogger, 'warn'>,
  parent: ParentChannel | null = getParentChannel(),
): SessionRevocations {
  const tell = async (body: SessionForgetRequest): Promise<void> => {
    // The supervisor's process runs the console's supervisor routes (the gateway, or Electron's
    // main) and grants admins a grace while auth_node is down: a revoked session must get none.
    parent?.send({ type: 'session-forget', service: 'auth_node', forget: body });
    await Promise.all(
      FORGET_ROUTES.map((route) =>
        client.call(route, { body, timeoutMs: FORGET_TIMEOUT_MS }).catch((err: unknown) => {
          const what = 'userId' in body ? { userId: body.userId } : { token: 'redacted' };
          log.warn(
            { err: (err as Error).message, service: route.service, ...what },
            'could not drop a revoked session from a cache',
          );
        }),
      ),
    );
  };
  return {
    forgetToken: (token) => tell({ token }),
    forgetUser: (userId) => tell({ userId }),
  };
}
