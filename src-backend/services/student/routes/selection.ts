import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  DATA_COURSE_PATHS as D,
  QueueStatusResponse,
  SelectionDecided,
  SelectionQueued,
  SelectionRequest,
  STUDENT_PATHS as P,
  type CourseIdRequest,
  type QueueResult,
  type SelectionAction,
} from '../../../contracts/courses.js';
import { errorResponses } from '../../../contracts/errors.js';
import { forbidden, notFound, unauthorized } from '../../../shared/app-error.js';
import type { App } from '../../../shared/create-app.js';
import type { ServiceClient } from '../../../shared/service-client.js';
import { requireRole, type SessionResolver } from '../../../shared/session-auth.js';
import type { QueueForwarder } from '../queue-forwarder.js';
import { studentOf } from './student-ref.js';

export interface SelectionRouteOptions {
  readonly client: ServiceClient;
  readonly resolver: SessionResolver;
  readonly forwarder: QueueForwarder;
}

const responses = { 200: SelectionDecided, 202: SelectionQueued, ...errorResponses };

/** Select and deselect: straight to the queue, no other call on the way (the rush's hot path). */
export async function selectionRoutes(app: App, opts: SelectionRouteOptions): Promise<void> {
  const preValidation = requireRole(opts.resolver, 'student');

  const submit = async (
    req: FastifyRequest<{ Body: CourseIdRequest }>,
    reply: FastifyReply,
    action: SelectionAction,
  ) => {
    const student = studentOf(req);
    const result = await opts.forwarder.submit({
      requestId: randomUUID(),
      studentId: student.studentId,
      group: student.group,
      courseId: req.body.courseId,
      action,
    });
    return answer(result, reply);
  };

  app.post(P.select, { preValidation, schema: { body: SelectionRequest, response: responses } }, (req, reply) =>
    submit(req, reply, 'select'),
  );
  app.post(P.deselect, { preValidation, schema: { body: SelectionRequest, response: responses } }, (req, reply) =>
    submit(req, reply, 'deselect'),
  );

  app.get(
    P.queueStatus,
    { preValidation, schema: { response: { 200: QueueStatusResponse, ...errorResponses } } },
    async (req) => opts.client.post<QueueStatusResponse>('data_node', D.queueTickets, { student: studentOf(req) }),
  );
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
