import type { Database } from 'better-sqlite3';
import { type Actor, SelectionWindow } from '../../../contracts/courses.js';
import type { App } from '../../../shared/create-app.js';
import { boardCourses } from '../courses/board.js';
import type { CourseDomain } from '../courses/domain.js';
import { CourseImporter } from '../courses/course-import.js';
import { DataCourseImportRoutes } from '../../../contracts/routes/course-import.js';
import { notFound } from '../../../shared/app-error.js';
import { DataCourseRoutes as D } from '../../../contracts/routes/data-courses.js';
import { registerRoute } from '../../../shared/register-route.js';

export interface DataRouteOptions {
  readonly db: Database;
  readonly domain: CourseDomain;
}

/**
 * Course storage for teacher_node, student_node and queue_node. Only GET /courses is public
 * (app.ts gates the rest behind the internal token); callers pass the acting user explicitly.
 */
export async function courseRoutes(app: App, opts: DataRouteOptions): Promise<void> {
  const { db, domain } = opts;
  const { audit, courses, settings, students, queue, outbox, tickets, waitlists, reservations, log } = domain;
  /** a staff change's promotions: answered, and published by the queue through the outbox */
  const published = <T extends Parameters<typeof outbox.add>[0]>(res: T): T => {
    outbox.add(res);
    return res;
  };

  registerRoute(app, D.list, {}, async (req) => ({
    courses: courses.list(req.query),
  }));

  // Teacher side -------------------------------------------------------------------------------
  registerRoute(app, D.create, {}, async (req, reply) => {
    return reply.code(201).send({ course: courses.create(req.body.actor, req.body.course) });
  });
  registerRoute(app, D.owned, {}, async (req) => {
    const course = courses.owned(req.body.actor, req.body.courseId);
    return { course, students: req.body.withStudents ? courses.students(course.id) : [] };
  });
  registerRoute(app, D.update, {}, async (req) => published(courses.update(req.body.actor, req.body.update)));
  registerRoute(app, D.remove, {}, async (req) => ({
    deleted: true as const,
    courseId: req.body.courseId,
    removedEnrollments: courses.remove(req.body.actor, req.body.courseId, req.body.force ?? false),
  }));
  registerRoute(app, D.removeStudent, {}, async (req) => ({
    removed: true as const,
    ...published(courses.removeStudent(req.body.actor, req.body.courseId, req.body.studentId)),
  }));
  registerRoute(app, D.stats, {}, async (req) => courses.stats(req.body.actor));
  const importer = new CourseImporter(db, courses, audit);
  registerRoute(app, DataCourseImportRoutes.importCourses, {}, async (req) => {
    const { actor, courses: rows, atomic, dryRun } = req.body;
    return importer.run(actor, rows, { atomic, dryRun });
  });

  // Student side -------------------------------------------------------------------------------
  registerRoute(app, D.available, {}, async (req) => students.available(req.body.student, req.body.filter));
  registerRoute(app, D.studentView, {}, async (req) => students.course(req.body.student, req.body.courseId));
  registerRoute(app, D.selected, {}, async (req) => students.selected(req.body.student.studentId));
  registerRoute(app, D.schedule, {}, async (req) => students.schedule(req.body.student.studentId));
  registerRoute(app, D.studentStats, {}, async (req) => students.stats(req.body.student.studentId));
  registerRoute(app, D.tickets, {}, async (req) => students.tickets(req.body.student.studentId));

  // Selection window and credit limits ------------------------------------------------------------
  registerRoute(app, D.window, {}, async () => settings.window());
  // Each change and its audit entry commit together.
  const audited = <T>(actor: Actor, action: string, change: () => T, detail: (r: T) => Record<string, unknown>) =>
    db
      .transaction(() => {
        const result = change();
        audit.record(actor, action, 'selection', detail(result));
        return result;
      })
      .immediate();
  const windowDetail = (w: SelectionWindow) => ({
    opensAt: w.opensAt,
    closesAt: w.closesAt,
    defaultCreditLimit: w.defaultCreditLimit,
  });
  registerRoute(app, D.setWindow, {}, async (req) =>
    audited(req.body.actor, 'selection_window.set', () => settings.setWindow(req.body.window), windowDetail),
  );
  registerRoute(app, D.openWindow, {}, async (req) =>
    audited(req.body.actor, 'selection_window.open', () => settings.openNow(), windowDetail),
  );
  registerRoute(app, D.closeWindow, {}, async (req) =>
    audited(req.body.actor, 'selection_window.close', () => settings.closeNow(), windowDetail),
  );
  registerRoute(app, D.setCreditLimit, {}, async (req) =>
    audited(
      req.body.actor,
      'credit_limit.set',
      () => settings.setCreditLimit(req.body.limit),
      (r) => ({ ...r }),
    ),
  );

  // The queue's group commit ---------------------------------------------------------------------
  registerRoute(app, D.queueSubmit, {}, async (req) =>
    outbox.drainInto(queue.submit(req.body.requests, req.body.maxDecide)),
  );
  registerRoute(app, D.queueDecide, {}, async (req) => outbox.drainInto(queue.decidePending(req.body.max)));
  registerRoute(app, D.queueSnapshot, {}, async (req) => ({
    positions: queue.positions(req.body.tickets),
  }));
  registerRoute(app, D.queuePending, {}, async () => ({ count: queue.pendingCount() }));

  // Registration day -------------------------------------------------------------------------------
  registerRoute(app, D.studentWaitlist, {}, async (req) => waitlists.ofStudent(req.body.student.studentId));
  registerRoute(app, D.courseWaitlist, {}, async (req) => waitlists.ofCourse(req.body.actor, req.body.courseId));
  registerRoute(app, D.waitlistRemove, {}, async (req) => {
    waitlists.remove(req.body.actor, req.body.remove);
    return { removed: true as const, courseId: req.body.remove.courseId };
  });
  registerRoute(app, D.createReservation, {}, async (req, reply) =>
    reply.code(201).send({ reservation: reservations.create(req.body.actor, req.body.reservation) }),
  );
  registerRoute(app, D.reservations, {}, async (req) => ({ reservations: reservations.list(req.body.courseId) }));
  registerRoute(app, D.updateReservation, {}, async (req) =>
    published(reservations.update(req.body.actor, req.body.id, req.body.update)),
  );
  registerRoute(app, D.deleteReservation, {}, async (req) => ({
    deleted: true as const,
    id: req.body.id,
    ...published(reservations.delete(req.body.actor, req.body.id)),
  }));
  registerRoute(app, D.timeTickets, {}, async () => tickets.list());
  registerRoute(app, D.setTimeTickets, {}, async (req) =>
    db
      .transaction(() => {
        tickets.replace(req.body.tickets);
        audit.record(req.body.actor, 'time_tickets.set', 'selection', { tickets: req.body.tickets.tickets.length });
        return tickets.list();
      })
      .immediate(),
  );
  registerRoute(app, D.studentWindow, {}, async (req) => tickets.studentWindow(req.body.student.group));
  registerRoute(app, D.enrollmentLog, {}, async (req) =>
    log.query({ ...req.body.query, limit: req.body.limit }, req.body.actor),
  );
  registerRoute(app, D.studentHistory, {}, async (req) =>
    log.query({ ...req.body.query, studentId: req.body.student.studentId }),
  );
  registerRoute(app, D.boardCourses, {}, async () => ({ courses: boardCourses(db) }));

  registerRoute(app, D.get, {}, async (req) => {
    const course = courses.find(req.params.id);
    if (!course) throw notFound(`no course with id ${req.params.id}`, 'COURSE_NOT_FOUND');
    return { course };
  });
}
