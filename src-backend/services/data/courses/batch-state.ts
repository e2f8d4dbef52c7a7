import type { Database, Statement } from 'better-sqlite3';
import type { Slot } from '../../../contracts/courses.js';
import type { DecidedTicket } from '../../../contracts/routes/data-courses.js';
import { RESERVATION_USED_SQL } from './course-row.js';
import type { SelectionSettings } from './selection-settings.js';
import { TimeTickets, type WindowOf } from './time-tickets.js';

/** An unreleased reservation: who it covers and how many of them are enrolled. */
export interface ReservationState {
  readonly id: number;
  readonly group: string | null;
  readonly students: ReadonlySet<number>;
  readonly seats: number;
  used: number;
}

export interface CourseState {
  readonly id: number;
  readonly capacity: number;
  overrideSeats: number;
  enrolled: number;
  readonly credits: number;
  readonly slots: Slot[];
  readonly allowedGroups: string[];
  readonly waitlistEnabled: boolean;
  readonly waitlistCap: number | null;
  /** loaded on first use */
  waitlisted: number | null;
  reservations: ReservationState[] | null;
}

export interface StudentState {
  readonly id: number;
  readonly group: string | null;
  readonly held: Set<number>;
  credits: number;
  readonly limit: number;
}

export const covers = (r: ReservationState, s: Pick<StudentState, 'id' | 'group'>) =>
  r.students.has(s.id) || (r.group !== null && r.group === s.group);

interface CourseRowLite {
  id: number;
  capacity: number;
  override_seats: number;
  enrolled: number;
  credits: number;
  slots: string;
  allowed_groups: string;
  waitlist_enabled: number;
  waitlist_cap: number | null;
}

/** Statements the batch loads state with (prepared once per data service). */
export class StateLoader {
  readonly course: Statement<[number], CourseRowLite>;
  readonly student: Statement<[number], { user_group: string | null; lim: number | null }>;
  readonly held: Statement<[number], { course_id: number }>;
  readonly waitlisted: Statement<[number], { n: number }>;
  readonly reservations: Statement<[number], { id: number; group_name: string | null; seats: number; used: number }>;
  readonly reservationStudents: Statement<[number], { student_id: number }>;

  constructor(
    db: Database,
    readonly settings: SelectionSettings,
    readonly tickets: TimeTickets,
  ) {
    this.course = db.prepare(
      `SELECT id, capacity, override_seats, enrolled, credits, slots, allowed_groups, waitlist_enabled, waitlist_cap
       FROM courses WHERE id = ?`,
    );
    this.student = db.prepare(
      `SELECT user_group, (SELECT credit_limit FROM student_credit_limits WHERE student_id = u.id) AS lim
       FROM users u WHERE id = ? AND role = 'student'`,
    );
    this.held = db.prepare('SELECT course_id FROM enrollments WHERE student_id = ?');
    this.waitlisted = db.prepare('SELECT count(*) AS n FROM waitlist_entries WHERE course_id = ?');
    this.reservations = db.prepare(
      `SELECT r.id, r.group_name, r.seats, ${RESERVATION_USED_SQL} AS used
       FROM reservations r WHERE r.course_id = ? AND r.released_at IS NULL`,
    );
    this.reservationStudents = db.prepare('SELECT student_id FROM reservation_students WHERE reservation_id = ?');
  }

  newBatch(): BatchState {
    return new BatchState(this, Date.now());
  }
}

/** What one transaction may look up more than once; it lives for that transaction only. */
export class BatchState {
  readonly courses = new Map<number, CourseState | null>();
  readonly students = new Map<number, StudentState | null>();
  /** courses whose seat count changed */
  readonly touched = new Set<number>();
  readonly decided: DecidedTicket[] = [];
  /** `course:student` waitlist heads already found ineligible in this transaction */
  readonly skipped = new Set<string>();
  readonly now: string;
  private readonly global: { opens_at: string | null; closes_at: string | null; default_credit_limit: number };
  private readonly tickets: ReturnType<TimeTickets['byGroup']>;
  private readonly windows = new Map<string | null, WindowOf>();

  constructor(
    private readonly load: StateLoader,
    readonly nowMs: number,
  ) {
    this.now = new Date(nowMs).toISOString();
    this.global = load.settings.row();
    this.tickets = load.tickets.byGroup();
  }

  windowOf(group: string | null): WindowOf {
    let w = this.windows.get(group);
    if (!w) {
      w = TimeTickets.windowOf(this.tickets, this.global, group, this.nowMs);
      this.windows.set(group, w);
    }
    return w;
  }

  course(id: number): CourseState | null {
    let c = this.courses.get(id);
    if (c === undefined) {
      const row = this.load.course.get(id);
      c = row
        ? {
            id: row.id,
            capacity: row.capacity,
            overrideSeats: row.override_seats,
            enrolled: row.enrolled,
            credits: row.credits,
            slots: JSON.parse(row.slots) as Slot[],
            allowedGroups: JSON.parse(row.allowed_groups) as string[],
            waitlistEnabled: row.waitlist_enabled === 1,
            waitlistCap: row.waitlist_cap,
            waitlisted: null,
            reservations: null,
          }
        : null;
      this.courses.set(id, c);
    }
    return c;
  }

  /** Forget a course's cached state (a staff change or an expiry rewrote its row). */
  reload(id: number): CourseState | null {
    this.courses.delete(id);
    return this.course(id);
  }

  /** null when the id is not a student (deleted, or another role). */
  student(id: number): StudentState | null {
    let s = this.students.get(id);
    if (s === undefined) {
      const row = this.load.student.get(id);
      if (!row) s = null;
      else {
        const held = new Set(this.load.held.all(id).map((r) => r.course_id));
        let credits = 0;
        for (const cid of held) credits += this.course(cid)?.credits ?? 0;
        s = { id, group: row.user_group, held, credits, limit: row.lim ?? this.global.default_credit_limit };
      }
      this.students.set(id, s);
    }
    return s;
  }

  waitlisted(c: CourseState): number {
    c.waitlisted ??= this.load.waitlisted.get(c.id)!.n;
    return c.waitlisted;
  }

  reservations(c: CourseState): ReservationState[] {
    c.reservations ??= this.load.reservations.all(c.id).map((r) => ({
      id: r.id,
      group: r.group_name,
      seats: r.seats,
      used: r.used,
      students: new Set(this.load.reservationStudents.all(r.id).map((x) => x.student_id)),
    }));
    return c.reservations;
  }

  /** Seats reservations still hold, in all, or only those not covering `s`. */
  held(c: CourseState, s?: StudentState): number {
    let n = 0;
    for (const r of this.reservations(c)) if (!s || !covers(r, s)) n += Math.max(0, r.seats - r.used);
    return n;
  }

  /** Whether `s` may take a seat of `c` now: capacity + overrides, less enrolled, less seats held for others. */
  seatFor(c: CourseState, s: StudentState): boolean {
    return c.capacity + c.overrideSeats - c.enrolled - this.held(c, s) > 0;
  }

  /** Keep the cached counts in step with an enrollment of `s` (+1) or its removal (-1). */
  count(c: CourseState, s: StudentState, delta: 1 | -1, overCapacity = false): void {
    c.enrolled += delta;
    if (overCapacity) c.overrideSeats += delta;
    s.credits += delta * c.credits;
    if (delta === 1) s.held.add(c.id);
    else s.held.delete(c.id);
    for (const r of c.reservations ?? []) if (covers(r, s)) r.used += delta;
    this.touched.add(c.id);
  }

  seatsLeft(c: CourseState): number {
    return Math.max(0, c.capacity + c.overrideSeats - c.enrolled - this.held(c));
  }
}
