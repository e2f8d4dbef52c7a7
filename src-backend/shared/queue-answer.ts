import { createHash, randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { QueueResult, SelectionAction, SelectionDecided, SelectionQueued } from '../contracts/courses.js';
import { IDEMPOTENCY_KEY_HEADER } from '../contracts/courses.js';
import { forbidden, notFound, unauthorized } from './app-error.js';

/**
 * The queue's request id for a client's `Idempotency-Key`: the same key from the same student
 * for the same action and course is the same request. Hashed, so one student's key can never
 * name another's request, and the id keeps the queue's format. No key: a fresh id.
 */
export function requestIdFor(
  headers: Record<string, unknown>,
  studentId: number,
  action: SelectionAction,
  courseId: number,
): string {
  const key = headers[IDEMPOTENCY_KEY_HEADER];
  if (typeof key !== 'string') return randomUUID();
  return `k${createHash('sha256').update(`${studentId}\0${action}\0${courseId}\0${key}`).digest('base64url').slice(0, 43)}`;
}

/** A queue result as the HTTP answer: 200 decided, 202 queued, or the refusal as an error. */
export function queueAnswer(r: QueueResult, reply: FastifyReply): SelectionDecided | SelectionQueued {
  if (r.outcome === 'decided') {
    return {
      status: r.status!,
      ticket: r.ticket!,
      courseId: r.courseId,
      action: r.action,
      ...(r.position !== undefined ? { position: r.position } : {}),
      ...(r.opensAt !== undefined ? { opensAt: r.opensAt } : {}),
      ...(r.swappedFrom !== undefined ? { swappedFrom: r.swappedFrom } : {}),
    };
  }
  if (r.outcome === 'queued') {
    reply.code(202);
    return { status: 'queued', ticket: r.ticket!, position: r.position!, courseId: r.courseId, action: r.action };
  }
  if (r.reason === 'not_allowed') throw forbidden(`course ${r.courseId} is not open to your group`, 'COURSE_NOT_OPEN');
  if (r.reason === 'unknown_student') throw unauthorized('your account no longer exists', 'INVALID_SESSION');
  throw notFound(`no course with id ${r.courseId}`, 'COURSE_NOT_FOUND');
}
