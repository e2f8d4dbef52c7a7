import { createHash, randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  IDEMPOTENCY_KEY_HEADER,
  SelectionDecided,
  SelectionQueued,
  type CourseIdRequest,
  type QueueResult,
  type SelectionAction,
} from '../../../contracts/courses.js';
import { forbidden, notFound, unauthorized } from '../../../shared/app-error.js';
import type { App } from '../../../shared/create-app.js';
import type { ServiceClient } from '../../../shared/service-client.js';
import { requireRole, type SessionResolver } from '../../../shared/session-auth.js';
import type { QueueForwarder } from '../queue-forwarder.js';
import { studentOf } from './student-ref.js';
import { StudentRoutes } from '../../../contracts/routes/student.js';
import { DataCourseRoutes as D } from '../../../contracts/routes/data-courses.js';
import { registerRoute } from '../../../shared/register-route.js';

export interface SelectionRouteOptions {
  readonly client: ServiceClient;
  readonly resolver: SessionResolver;
  readonly forwarder: QueueForwarder;
}

/** Select and deselect: straight to the queue, no other call on the way (the rush's hot path). */
export async function selectionRoutes(app: App, opts: SelectionRouteOptions): Promise<void> {
  const preValidation = requireRole(opts.resolver, 'student');

  const submit = async (
    req: FastifyRequest<{ Body: CourseIdRequest }>,
    reply: FastifyReply,
    action: SelectionAction,
  ) => {
    const student = studentOf(req);
    const key = req.headers[IDEMPOTENCY_KEY_HEADER];
    const result = await opts.forwarder.submit({
      requestId:
        typeof key === 'string' ? requestIdFor(student.studentId, action, req.body.courseId, key) : randomUUID(),
      studentId: student.studentId,
      group: student.group,
      courseId: req.body.courseId,
      action,
    });
    return answer(result, reply);
  };

  registerRoute(app, StudentRoutes.select, { preValidation }, (req, reply) => submit(req, reply, 'select'));
  registerRoute(app, StudentRoutes.deselect, { preValidation }, (req, reply) => submit(req, reply, 'deselect'));

  registerRoute(app, StudentRoutes.queueStatus, { preValidation }, async (req) =>
    opts.client.call(D.tickets, { body: { student: studentOf(req) } }),
  );
}

/**
 * The queue's request id for a client's idempotency key: the same key from the same student for
 * the same action and course is the same request. Hashed, so one student's key can never name
 * another's request, and the id keeps the queue's format.
 */
function requestIdFor(studentId: number, action: SelectionAction, courseId: number, key: string): string {
  return `k${createHash('sha256').update(`${studentId}\0${action}\0${courseId}\0${key}`).digest('base64url').slice(0, 43)}`;
}

function answer(r: QueueResult, reply: FastifyReply): SelectionDecided | SelectionQueued {
  if (r.outcome === 'decided') return { status: r.status!, ticket: r.ticket!, courseId: r.courseId, action: r.action };
  if (r.outcome === 'queued') {
    reply.code(202);
    return { status: 'queued', ticket: r.ticket!, position: r.position!, courseId: r.courseId, action: r.action };
  }
  if (r.reason === 'not_allowed') throw forbidden(`course ${r.courseId} is not open to your group`, 'COURSE_NOT_OPEN');
  if (r.reason === 'unknown_student') throw unauthorized('your account no longer exists', 'INVALID_SESSION');
  throw notFound(`no course with id ${r.courseId}`, 'COURSE_NOT_FOUND');
}
