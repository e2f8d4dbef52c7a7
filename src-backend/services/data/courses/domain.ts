import type { Database } from 'better-sqlite3';
import type { DecidedTicket, SeatCount } from '../../../contracts/routes/data-courses.js';
import { CourseAudit } from './audit.js';
import type { AuditRepo } from '../identity/audit-repo.js';
import { StateLoader } from './batch-state.js';
import { CourseStore } from './course-store.js';
import { EnrollmentLog } from './enrollment-log.js';
import { QueueDecider } from './queue-decider.js';
import { Reservations } from './reservations.js';
import { SelectionSettings } from './selection-settings.js';
import { StudentView } from './student-view.js';
import { TimeTickets } from './time-tickets.js';
import { Waitlists } from './waitlists.js';

/**
 * Promotions made outside the queue (a staff removal, a capacity increase, a deleted student,
 * a reservation deleted) are persisted in their own transaction; their `selection:outcome`
 * events wait here until the queue's next data call (at least once a second) carries them out,
 * since queue_node is the one that publishes outcomes. Lost on a crash: the persisted
 * notification and log line remain.
 */
export class PromotionOutbox {
  private promoted: DecidedTicket[] = [];
  private seats = new Map<number, SeatCount>();

  add(freed: { promoted: readonly DecidedTicket[]; seats: readonly SeatCount[] }): void {
    this.promoted.push(...freed.promoted);
    for (const s of freed.seats) this.seats.set(s.courseId, s);
  }

  /** Append what waits to a queue answer (after its transaction committed). */
  drainInto<T extends { decided: DecidedTicket[]; seats: SeatCount[] }>(res: T): T {
    if (this.promoted.length === 0 && this.seats.size === 0) return res;
    const answered = new Set(res.seats.map((s) => s.courseId));
    res.decided.push(...this.promoted);
    for (const s of this.seats.values()) if (!answered.has(s.courseId)) res.seats.push(s);
    this.promoted = [];
    this.seats.clear();
    return res;
  }
}

/** The course domain's objects over one database, built once per data service. */
export function createCourseDomain(db: Database, auditLog: AuditRepo) {
  const audit = new CourseAudit(auditLog);
  const settings = new SelectionSettings(db);
  const tickets = new TimeTickets(db, settings);
  const log = new EnrollmentLog(db);
  const queue = new QueueDecider(db, new StateLoader(db, settings, tickets), log);
  const courses = new CourseStore(db, audit, log, queue);
  const outbox = new PromotionOutbox();
  return {
    audit,
    settings,
    tickets,
    log,
    queue,
    courses,
    outbox,
    students: new StudentView(db, settings, tickets),
    waitlists: new Waitlists(db, courses, log),
    reservations: new Reservations(db, courses, audit, queue),
    /** for identity's user deletion: log the removals and promote in its transaction, publish through the outbox */
    seatsFreed: (courseIds: number[], studentId: number) => {
      const at = Date.now();
      for (const courseId of courseIds)
        log.write(at, { studentId, courseId, action: 'remove', status: 'removed', reason: 'account deleted' });
      outbox.add(queue.seatsFreed(courseIds));
    },
  };
}
export type CourseDomain = ReturnType<typeof createCourseDomain>;
