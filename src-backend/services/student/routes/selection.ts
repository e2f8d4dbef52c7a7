import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SelectionAction } from '../../../contracts/courses.js';
import { badRequest } from '../../../shared/app-error.js';
import type { App } from '../../../shared/create-app.js';
import { queueAnswer, requestIdFor } from '../../../shared/queue-answer.js';
import type { QueueForwarder } from '../../../shared/queue-forwarder.js';
import type { ServiceClient } from '../../../shared/service-client.js';
import { requireRole, type SessionResolver } from '../../../shared/session-auth.js';
import { studentOf } from './student-ref.js';
import { StudentRoutes } from '../../../contracts/routes/student.js';
import { DataCourseRoutes as D } from '../../../contracts/routes/data-courses.js';
import { registerRoute } from '../../../shared/register-route.js';

export interface SelectionRouteOptions {
  readonly client: ServiceClient;
  readonly resolver: SessionResolver;
  readonly forwarder: QueueForwarder;
}

/**
 * Select, deselect, and joining or leaving a waitlist: straight to the queue, no other call on
 * the way (the rush's hot path). Each takes an optional Idempotency-Key.
 */
export async function selectionRoutes(app: App, opts: SelectionRouteOptions): Promise<void> {
  const preValidation = requireRole(opts.resolver, 'student');

  const submit = async (
    req: FastifyRequest<{ Body: { courseId: number; swapFrom?: number } }>,
    reply: FastifyReply,
    action: SelectionAction,
  ) => {
    const student = studentOf(req);
    const { courseId, swapFrom } = req.body;
    if (swapFrom === courseId) throw badRequest('swapFrom must be another course', 'SWAP_WITH_ITSELF');
    const result = await opts.forwarder.submit({
      requestId: requestIdFor(req.headers, student.studentId, action, courseId),
      studentId: student.studentId,
      group: student.group,
      courseId,
      action,
      ...(swapFrom !== undefined ? { swapFrom } : {}),
    });
    return queueAnswer(result, reply);
  };

  registerRoute(app, StudentRoutes.select, { preValidation }, (req, reply) => submit(req, reply, 'select'));
  registerRoute(app, StudentRoutes.deselect, { preValidation }, (req, reply) => submit(req, reply, 'deselect'));
  registerRoute(app, StudentRoutes.waitlistJoin, { preValidation }, (req, reply) => submit(req, reply, 'join'));
  registerRoute(app, StudentRoutes.waitlistLeave, { preValidation }, (req, reply) => submit(req, reply, 'leave'));

  registerRoute(app, StudentRoutes.queueStatus, { preValidation }, async (req) =>
    opts.client.call(D.tickets, { body: { student: studentOf(req) } }),
  );
  registerRoute(app, StudentRoutes.waitlist, { preValidation }, async (req) =>
    opts.client.call(D.studentWaitlist, { body: { student: studentOf(req) } }),
  );
  registerRoute(app, StudentRoutes.history, { preValidation }, async (req) =>
    opts.client.call(D.studentHistory, { body: { student: studentOf(req), query: req.query } }),
  );
  registerRoute(app, StudentRoutes.window, { preValidation }, async (req) =>
    opts.client.call(D.studentWindow, { body: { student: studentOf(req) } }),
  );
}
