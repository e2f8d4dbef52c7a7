import type { AuthDeps } from '../deps.js';
import { mapLimited } from '../security/passwords.js';

/**
 * After data_node ended sessions: the caches in student, teacher, realtime and the supervisor's
 * process drop them and the live sockets close. Awaited, so the answer means "refused
 * everywhere"; a service that cannot be told is logged, and its cache's few seconds bound it.
 */
export async function sessionsEnded(deps: AuthDeps, userId: number, reason: string): Promise<void> {
  await Promise.all([deps.revocations.forgetUser(userId), deps.publisher.disconnectUser(userId, reason)]);
}

/** One session (by its public id) ended: only that session's cached copies and sockets go. */
export async function sessionEnded(deps: AuthDeps, userId: number, sessionId: string, reason: string): Promise<void> {
  await Promise.all([
    deps.revocations.forgetSession(userId, sessionId),
    deps.publisher.disconnectUser(userId, reason, sessionId),
  ]);
}

/** Many users at once (bulk actions): a few at a time, so a 10,000-user run does not flood the services. */
export async function manySessionsEnded(deps: AuthDeps, userIds: readonly number[], reason: string): Promise<void> {
  await mapLimited(userIds, 16, (id) => sessionsEnded(deps, id, reason));
}
