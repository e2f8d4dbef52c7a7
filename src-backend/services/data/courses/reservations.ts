import type { Database } from 'better-sqlite3';
import type { Actor } from '../../../contracts/courses.js';
import type { CreateReservationRequest, Reservation, UpdateReservationRequest } from '../../../contracts/registrar.js';
import type { DecidedTicket, SeatCount } from '../../../contracts/routes/data-courses.js';
import { badRequest, forbidden, notFound } from '../../../shared/app-error.js';
import type { CourseAudit } from './audit.js';
import type { CourseStore } from './course-store.js';
import { RESERVATION_USED_SQL } from './course-row.js';
import type { QueueDecider } from './queue-decider.js';

interface ReservationRow {
  id: number;
  course_id: number;
  group_name: string | null;
  seats: number;
  used: number;
  expires_at: number;
  released_at: number | null;
  created_at: number;
  students: string | null;
}

type Freed = { promoted: DecidedTicket[]; seats: SeatCount[] };

/**
 * Reserved seats: held for a group or listed students until they expire. The queue releases
 * expired ones (QueueDecider.expireDue); a deletion or a smaller reservation here promotes the
 * waitlist in the same transaction.
 */
export class Reservations {
  constructor(
    private readonly db: Database,
    private readonly courses: CourseStore,
    private readonly audit: CourseAudit,
    private readonly decider: QueueDecider,
  ) {}

  list(courseId?: number): Reservation[] {
    const rows = this.db
      .prepare(
        `SELECT r.id, r.course_id, r.group_name, r.seats, ${RESERVATION_USED_SQL} AS used, r.expires_at, r.released_at,
           r.created_at, (SELECT group_concat(student_id) FROM reservation_students s WHERE s.reservation_id = r.id) AS students
         FROM reservations r ${courseId === undefined ? '' : 'WHERE r.course_id = @courseId'} ORDER BY r.id`,
      )
      .all(courseId === undefined ? {} : { courseId }) as ReservationRow[];
    return rows.map(toReservation);
  }

  create(actor: Actor, req: CreateReservationRequest): Reservation {
    adminOnly(actor);
    const expiresAt = futureTime(req.expiresAt);
    const students = [...new Set(req.studentIds ?? [])];
    if (!req.group && students.length === 0)
      throw badRequest('a reservation names a group or students', 'RESERVATION_FOR_NOBODY');
    return this.db
      .transaction(() => {
        this.courses.owned(actor, req.courseId);
        this.assertStudents(students);
        const id = Number(
          this.db
            .prepare(
              'INSERT INTO reservations (course_id, group_name, seats, expires_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)',
            )
            .run(req.courseId, req.group ?? null, req.seats, expiresAt, actor.userId, Date.now()).lastInsertRowid,
        );
        this.setStudents(id, students);
        this.audit.record(actor, 'reservation.create', `course:${req.courseId}`, { id, seats: req.seats });
        return this.one(id);
      })
      .immediate();
  }

  update(actor: Actor, id: number, req: UpdateReservationRequest): { reservation: Reservation } & Freed {
    adminOnly(actor);
    return this.db
      .transaction(() => {
        const cur = this.one(id);
        if (!cur.active) throw badRequest('the reservation has expired', 'RESERVATION_EXPIRED');
        const group = req.group === undefined ? cur.group : req.group;
        const students = req.studentIds === undefined ? cur.studentIds : [...new Set(req.studentIds)];
        if (!group && students.length === 0)
          throw badRequest('a reservation names a group or students', 'RESERVATION_FOR_NOBODY');
        this.assertStudents(students);
        this.db
          .prepare('UPDATE reservations SET group_name = ?, seats = ?, expires_at = ? WHERE id = ?')
          .run(
            group,
            req.seats ?? cur.seats,
            req.expiresAt ? futureTime(req.expiresAt) : Date.parse(cur.expiresAt),
            id,
          );
        this.setStudents(id, students);
        this.audit.record(actor, 'reservation.update', `course:${cur.courseId}`, { id, ...req });
        // fewer seats held (or other students covered) may free seats for the waitlist
        const freed = this.decider.seatsFreed([cur.courseId]);
        return { reservation: this.one(id), ...freed };
      })
      .immediate();
  }

  delete(actor: Actor, id: number): Freed {
    adminOnly(actor);
    return this.db
      .transaction(() => {
        const cur = this.one(id);
        this.db.prepare('DELETE FROM reservations WHERE id = ?').run(id);
        this.audit.record(actor, 'reservation.delete', `course:${cur.courseId}`, { id });
        return this.decider.seatsFreed([cur.courseId]);
      })
      .immediate();
  }

  private one(id: number): Reservation {
    const r = this.list().find((x) => x.id === id);
    if (!r) throw notFound(`no reservation with id ${id}`, 'RESERVATION_NOT_FOUND');
    return r;
  }

  private setStudents(id: number, students: readonly number[]): void {
    this.db.prepare('DELETE FROM reservation_students WHERE reservation_id = ?').run(id);
    const insert = this.db.prepare('INSERT INTO reservation_students (reservation_id, student_id) VALUES (?, ?)');
    for (const s of students) insert.run(id, s);
  }

  private assertStudents(ids: readonly number[]): void {
    const st = this.db.prepare(`SELECT 1 FROM users WHERE id = ? AND role = 'student'`);
    for (const id of ids) if (!st.get(id)) throw badRequest(`user ${id} is not a student`, 'STUDENT_NOT_FOUND');
  }
}

function adminOnly(actor: Actor): void {
  if (actor.role !== 'admin') throw forbidden('only an admin may reserve seats', 'ADMIN_ONLY');
}

function futureTime(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badRequest('expiresAt is not a date-time', 'INVALID_TIME');
  if (ms <= Date.now()) throw badRequest('expiresAt must be in the future', 'INVALID_TIME');
  return ms;
}

function toReservation(r: ReservationRow): Reservation {
  const active = r.released_at === null;
  return {
    id: r.id,
    courseId: r.course_id,
    group: r.group_name,
    studentIds: r.students ? r.students.split(',').map(Number) : [],
    seats: r.seats,
    used: Math.min(r.used, r.seats),
    held: active ? Math.max(0, r.seats - r.used) : 0,
    expiresAt: new Date(r.expires_at).toISOString(),
    active,
    createdAt: new Date(r.created_at).toISOString(),
  };
}
