import type { FastifyReply } from 'fastify';
import { forbidden, notFound } from '../../../shared/app-error.js';
import type { App } from '../../../shared/create-app.js';
import { queueAnswer, requestIdFor } from '../../../shared/queue-answer.js';
import type { QueueForwarder } from '../../../shared/queue-forwarder.js';
import type { ServiceClient } from '../../../shared/service-client.js';
import { requireRole, type SessionResolver } from '../../../shared/session-auth.js';
import { actorOf } from './actor.js';
import { renderEnrollmentLogCsv } from './enrollment-log-csv.js';
import type { EnrollmentLogEntry } from '../../../contracts/registrar.js';
import { TeacherRoutes as T } from '../../../contracts/routes/teacher.js';
import { DataCourseRoutes as D } from '../../../contracts/routes/data-courses.js';
import { QueueRoutes } from '../../../contracts/routes/queue.js';
import { registerRoute } from '../../../shared/register-route.js';

export interface RegistrarRouteOptions {
  readonly client: ServiceClient;
  readonly resolver: SessionResolver;
  readonly forwarder: QueueForwarder;
}

/** The most log lines one CSV download carries (newest first); narrow the filters for older ones. */
export const CSV_MAX_ROWS = 200_000;
const CSV_PAGE = 50_000;

/**
 * Registration day (README "Registrar"): staff enrolment through the queue, course waitlists,
 * reservations, time tickets, the enrollment log and the board. Ownership of a course is
 * checked by data_node in the write's transaction, as for every teacher route.
 */
export async function registrarRoutes(app: App, opts: RegistrarRouteOptions): Promise<void> {
  const { client } = opts;
  const admin = requireRole(opts.resolver, 'admin');
  const anyStaff = requireRole(opts.resolver, 'admin', 'teacher');

  registerRoute(app, T.enroll, { preValidation: anyStaff }, async (req, reply) => {
    const actor = actorOf(req);
    const { studentId, courseId, reason, ...overrides } = req.body;
    if (actor.role === 'teacher') {
      if (overrides.overCapacity) throw forbidden('only an admin may enrol over capacity', 'ADMIN_ONLY');
      await client.call(D.owned, { body: { actor, courseId } }); // 403 NOT_YOUR_COURSE, 404
    }
    const result = await opts.forwarder.submit({
      requestId: requestIdFor(req.headers, studentId, 'enroll', courseId),
      studentId,
      group: null,
      courseId,
      action: 'enroll',
      overrides,
      actorId: actor.userId,
      reason,
    });
    if (result.outcome === 'rejected' && result.reason === 'unknown_student')
      throw notFound(`no student with id ${studentId}`, 'STUDENT_NOT_FOUND');
    req.log.info({ studentId, courseId, overrides, status: result.status, by: req.user?.username }, 'staff enrolment');
    return queueAnswer(result, reply);
  });

  registerRoute(app, T.courseWaitlist, { preValidation: anyStaff }, async (req) =>
    client.call(D.courseWaitlist, { body: { actor: actorOf(req), courseId: req.query.courseId } }),
  );
  registerRoute(app, T.removeFromWaitlist, { preValidation: anyStaff }, async (req) =>
    client.call(D.waitlistRemove, { body: { actor: actorOf(req), remove: req.body } }),
  );

  registerRoute(app, T.createReservation, { preValidation: admin }, async (req, reply) =>
    reply
      .code(201)
      .send(await client.call(D.createReservation, { body: { actor: actorOf(req), reservation: req.body } })),
  );
  registerRoute(app, T.reservations, { preValidation: admin }, async (req) =>
    client.call(D.reservations, { body: { actor: actorOf(req), courseId: req.query.courseId } }),
  );
  registerRoute(app, T.updateReservation, { preValidation: admin }, async (req) => {
    const res = await client.call(D.updateReservation, {
      body: { actor: actorOf(req), id: req.params.id, update: req.body },
    });
    return { reservation: res.reservation };
  });
  registerRoute(app, T.deleteReservation, { preValidation: admin }, async (req) => {
    const res = await client.call(D.deleteReservation, { body: { actor: actorOf(req), id: req.params.id } });
    return { deleted: res.deleted, id: res.id };
  });

  registerRoute(app, T.timeTickets, { preValidation: anyStaff }, async () => client.call(D.timeTickets));
  registerRoute(app, T.setTimeTickets, { preValidation: admin }, async (req) =>
    client.call(D.setTimeTickets, { body: { actor: actorOf(req), tickets: req.body } }),
  );

  registerRoute(app, T.enrollmentLog, { preValidation: anyStaff }, async (req, reply) => {
    const { format, limit, ...query } = req.query;
    const actor = actorOf(req);
    if (format !== 'csv') return client.call(D.enrollmentLog, { body: { actor, query, limit } });
    const entries: EnrollmentLogEntry[] = [];
    let beforeId = query.beforeId;
    const max = Math.min(limit ?? CSV_MAX_ROWS, CSV_MAX_ROWS);
    while (entries.length < max) {
      const page = await client.call(D.enrollmentLog, {
        body: { actor, query: { ...query, beforeId }, limit: Math.min(CSV_PAGE, max - entries.length) },
        timeoutMs: 30_000,
      });
      entries.push(...page.entries);
      if (page.nextBeforeId === null) break;
      beforeId = page.nextBeforeId;
    }
    // a text body: the route's JSON response schema (and its serializer) does not apply to it
    return (reply as FastifyReply)
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="enrollment-log.csv"')
      .send(renderEnrollmentLogCsv(entries));
  });

  registerRoute(app, T.registrationBoard, { preValidation: admin }, async () => {
    const [queue, data] = await Promise.all([client.call(QueueRoutes.board), client.call(D.boardCourses)]);
    return { ...queue, courses: data.courses };
  });
}
