import type { Database, Statement } from 'better-sqlite3';
import type { DecisionStatus, QueueRequestItem, SelectionAction, StaffOverrides } from '../../../contracts/courses.js';
import { PROMOTED_NOTIFICATION_TYPE } from '../../../contracts/realtime-internal.js';
import type {
  DataQueueDecideResponse,
  DataQueueSubmitResponse,
  DecidedTicket,
  SeatCount,
} from '../../../contracts/routes/data-courses.js';
import { BatchState, type CourseState, type StateLoader, type StudentState } from './batch-state.js';
import { openToGroup } from './course-row.js';
import type { EnrollmentLog, LogLine } from './enrollment-log.js';
import { slotsOverlap } from './slots.js';
import { toNotification, type NotificationRow } from '../messaging/notification-repo.js';

/** One request to decide: a new one, or an undecided ticket read back. */
interface Req {
  readonly ticket: number;
  readonly studentId: number;
  readonly courseId: number;
  readonly action: SelectionAction;
  readonly swapFrom: number | null;
  readonly overrides: StaffOverrides;
  readonly actorId: number | null;
  readonly reason: string | null;
}

type Outcome = Pick<DecidedTicket, 'status' | 'position' | 'opensAt' | 'swappedFrom'>;

interface PendingRow {
  id: number;
  student_id: number;
  course_id: number;
  action: SelectionAction;
  swap_from: number | null;
  overrides: string | null;
  actor_id: number | null;
  reason: string | null;
}

interface WaitEntry {
  id: number;
  student_id: number;
  swap_from: number | null;
  ticket: number | null;
}

/** Why a waitlisted student cannot be promoted now (the `skipped` line's reason). */
type SkipReason = 'window_closed' | 'not_allowed' | 'conflict' | 'over_credit_limit' | 'full';

/**
 * The registration queue's decisions, group-committed: one IMMEDIATE transaction persists a
 * whole batch of requests as tickets and decides the oldest undecided tickets in ticket order
 * (FIFO overall, hence FIFO per course). With synchronous=FULL the fsync is paid per batch,
 * not per selection.
 *
 * Waitlists: whenever a seat frees (deselect, swap drop, staff removal, deleted student,
 * capacity increase, reservation expiry or deletion) the course's waitlist is promoted in the
 * transaction that freed it: each head is re-checked (its window, its group, time conflicts
 * ignoring its swapFrom's slots, credits counting the swap, a seat not held for others); a
 * head that fails is skipped with its reason and stays in line, the next one is tried. A
 * promotion drops swapFrom in the same transaction, which promotes that course's waitlist in
 * turn. Every decision and side effect is a line in the enrollment log.
 */
export class QueueDecider {
  private readonly st: {
    byRequest: Statement<
      [string],
      { id: number; student_id: number; course_id: number; action: SelectionAction; status: DecisionStatus | null }
    >;
    insertTicket: Statement<
      [
        number,
        string,
        number,
        number,
        string | null,
        string,
        string | null,
        number | null,
        string | null,
        number | null,
        string | null,
        string,
        string | null,
      ]
    >;
    nextTicket: Statement<[], { n: number }>;
    decideTicket: Statement<[string, string, number]>;
    pending: Statement<[number], PendingRow>;
    pendingCount: Statement<[], { n: number }>;
    anyPending: Statement<[], { id: number }>;
    enroll: Statement<[number, number, string, number, number]>;
    unenroll: Statement<[number, number], { over_capacity: number }>;
    entryOf: Statement<[number, number], { id: number }>;
    addEntry: Statement<[number, number, number | null, number, number]>;
    dropEntry: Statement<[number, number]>;
    heads: Statement<[number], WaitEntry>;
    dueReservations: Statement<[number], { id: number; course_id: number }>;
    release: Statement<[number, number]>;
    notify: Statement<[number, string, number, number], NotificationRow>;
  };

  constructor(
    private readonly db: Database,
    private readonly load: StateLoader,
    private readonly log: EnrollmentLog,
  ) {
    this.st = {
      byRequest: db.prepare('SELECT id, student_id, course_id, action, status FROM queue_tickets WHERE request_id = ?'),
      insertTicket: db.prepare(
        `INSERT INTO queue_tickets (id, request_id, student_id, course_id, student_group, action, status, swap_from,
           overrides, actor_id, reason, created_at, decided_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      nextTicket: db.prepare(
        `SELECT max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'queue_tickets'), 0),
           COALESCE((SELECT max(id) FROM queue_tickets), 0)) + 1 AS n`,
      ),
      decideTicket: db.prepare('UPDATE queue_tickets SET status = ?, decided_at = ? WHERE id = ? AND status IS NULL'),
      pending: db.prepare(
        `SELECT id, student_id, course_id, action, swap_from, overrides, actor_id, reason
         FROM queue_tickets WHERE status IS NULL ORDER BY id LIMIT ?`,
      ),
      pendingCount: db.prepare('SELECT count(*) AS n FROM queue_tickets WHERE status IS NULL'),
      anyPending: db.prepare('SELECT id FROM queue_tickets WHERE status IS NULL LIMIT 1'),
      enroll: db.prepare(
        'INSERT INTO enrollments (student_id, course_id, created_at, over_capacity, allow_conflict) VALUES (?, ?, ?, ?, ?)',
      ),
      unenroll: db.prepare('DELETE FROM enrollments WHERE student_id = ? AND course_id = ? RETURNING over_capacity'),
      entryOf: db.prepare('SELECT id FROM waitlist_entries WHERE student_id = ? AND course_id = ?'),
      addEntry: db.prepare(
        'INSERT INTO waitlist_entries (student_id, course_id, swap_from, ticket, joined_at) VALUES (?, ?, ?, ?, ?)',
      ),
      dropEntry: db.prepare('DELETE FROM waitlist_entries WHERE student_id = ? AND course_id = ?'),
      heads: db.prepare(
        'SELECT id, student_id, swap_from, ticket FROM waitlist_entries WHERE course_id = ? ORDER BY id',
      ),
      dueReservations: db.prepare(
        'SELECT id, course_id FROM reservations WHERE released_at IS NULL AND expires_at <= ? ORDER BY expires_at, id',
      ),
      release: db.prepare('UPDATE reservations SET released_at = ? WHERE id = ?'),
      notify: db.prepare(
        `INSERT INTO notifications (recipient_id, type, title, message, metadata)
         SELECT ?, ?, 'Waitlist: you got a seat', 'You are now enrolled in ' || c.code || ' ' || c.name || '.',
           json_object('courseId', c.id, 'ticket', ?)
         FROM courses c WHERE c.id = ?
         RETURNING id, recipient_id, sender_id, audience_role, audience_group, type, title, message, metadata,
           created_at, 0 AS read`,
      ),
    };
  }

  /**
   * Persist `requests` and decide up to `maxDecide` tickets, oldest first. While nothing older
   * is waiting, a new request is decided as it is inserted (one write instead of two).
   */
  submit(requests: readonly QueueRequestItem[], maxDecide: number): DataQueueSubmitResponse {
    return this.db
      .transaction(() => {
        const batch = this.load.newBatch();
        this.expireDue(batch);
        let budget = maxDecide;
        // Older tickets first: FIFO holds across batches and across a queue restart.
        if (this.st.anyPending.get()) budget -= this.decidePendingIn(batch, budget);
        let backlog = budget <= 0 || this.st.anyPending.get() !== undefined;
        let nextTicket = this.st.nextTicket.get()!.n;
        const tickets: DataQueueSubmitResponse['tickets'] = [];
        for (const r of requests) {
          const existing = this.st.byRequest.get(r.requestId);
          if (existing) {
            // A retry of a request we already hold (the queue restarted before it could answer).
            tickets.push({
              requestId: r.requestId,
              ticket: existing.id,
              courseId: existing.course_id,
              action: existing.action,
            });
            if (existing.status !== null) {
              batch.decided.push({
                ticket: existing.id,
                studentId: existing.student_id,
                courseId: existing.course_id,
                action: existing.action,
                status: existing.status,
              });
            }
            continue;
          }
          const rejected = this.rejection(batch, r);
          if (rejected) {
            tickets.push({ requestId: r.requestId, rejected, courseId: r.courseId, action: r.action });
            continue;
          }
          // The id is known before the insert, so a decision's log lines and waitlist entry name it.
          const id = nextTicket++;
          const req: Req = {
            ticket: id,
            studentId: r.studentId,
            courseId: r.courseId,
            action: r.action,
            swapFrom: r.swapFrom ?? null,
            overrides: r.overrides ?? {},
            actorId: r.actorId ?? null,
            reason: r.reason ?? null,
          };
          let outcome: Outcome | null = null;
          if (!backlog && budget > 0) {
            outcome = this.decide(batch, req);
            budget--;
          } else {
            backlog = true;
          }
          this.st.insertTicket.run(
            id,
            r.requestId,
            r.studentId,
            r.courseId,
            r.group,
            r.action,
            outcome?.status ?? null,
            req.swapFrom,
            r.overrides ? JSON.stringify(r.overrides) : null,
            req.actorId,
            req.reason,
            batch.now,
            outcome ? batch.now : null,
          );
          tickets.push({ requestId: r.requestId, ticket: id, courseId: r.courseId, action: r.action });
          if (outcome) this.decided(batch, req, outcome);
        }
        return {
          tickets,
          decided: batch.decided,
          seats: this.seatsOf(batch),
          pending: backlog ? this.st.pendingCount.get()!.n : 0,
        };
      })
      .immediate();
  }

  /** Decide up to `max` undecided tickets (after a restart, or a backlog beyond one batch), and release due reservations. */
  decidePending(max: number): DataQueueDecideResponse {
    return this.db
      .transaction(() => {
        const batch = this.load.newBatch();
        this.expireDue(batch);
        this.decidePendingIn(batch, max);
        return { decided: batch.decided, seats: this.seatsOf(batch), pending: this.st.pendingCount.get()!.n };
      })
      .immediate();
  }

  /**
   * Seats of these courses were freed by a staff change in the caller's transaction: promote
   * their waitlists now, in that same transaction.
   */
  seatsFreed(courseIds: Iterable<number>): { promoted: DecidedTicket[]; seats: SeatCount[] } {
    const batch = this.load.newBatch();
    for (const id of courseIds) {
      if (batch.course(id)) batch.touched.add(id);
      this.promote(batch, id);
    }
    return { promoted: batch.decided, seats: this.seatsOf(batch) };
  }

  pendingCount(): number {
    return this.st.pendingCount.get()!.n;
  }

  /** Where undecided tickets stand in their course's line (1 = next); the decision once made. */
  positions(
    tickets: readonly number[],
  ): Array<{ ticket: number; position: number | null; status: DecisionStatus | null; studentId: number }> {
    const st = this.db.prepare(
      `SELECT q.status, q.student_id AS studentId, CASE WHEN q.status IS NULL THEN
         (SELECT count(*) FROM queue_tickets p WHERE p.status IS NULL AND p.course_id = q.course_id AND p.id <= q.id) END AS position
       FROM queue_tickets q WHERE q.id = ?`,
    );
    // A ticket that no longer exists (its course was deleted) is left out of the answer.
    return tickets.flatMap((ticket) => {
      const row = st.get(ticket) as
        { position: number | null; status: DecisionStatus | null; studentId: number } | undefined;
      return row ? [{ ticket, ...row }] : [];
    });
  }

  /** Refused before a ticket exists. Staff enrolments skip the group rule (staff decided). */
  private rejection(batch: BatchState, r: QueueRequestItem): DataQueueSubmitResponse['tickets'][number]['rejected'] {
    const course = batch.course(r.courseId);
    if (!course) return 'unknown_course';
    // Checked here, not left to the foreign key, so one vanished account cannot fail the batch
    // (loaded into the batch now: deciding the request needs it next).
    if (!batch.student(r.studentId)) return 'unknown_student';
    if ((r.action === 'select' || r.action === 'join') && !openToGroup(course.allowedGroups, r.group))
      return 'not_allowed';
    return undefined;
  }

  private decidePendingIn(batch: BatchState, max: number): number {
    const rows = this.st.pending.all(max);
    for (const row of rows) {
      const req: Req = {
        ticket: row.id,
        studentId: row.student_id,
        courseId: row.course_id,
        action: row.action,
        swapFrom: row.swap_from,
        overrides: row.overrides ? (JSON.parse(row.overrides) as StaffOverrides) : {},
        actorId: row.actor_id,
        reason: row.reason,
      };
      const outcome = this.decide(batch, req);
      this.st.decideTicket.run(outcome.status, batch.now, row.id);
      this.decided(batch, req, outcome);
    }
    return rows.length;
  }

  private decided(batch: BatchState, r: Req, o: Outcome): void {
    const d: DecidedTicket = { ticket: r.ticket, studentId: r.studentId, courseId: r.courseId, action: r.action, ...o };
    // the promotions this decision caused were pushed first; the answer keeps ticket order in the log
    batch.decided.push(d);
    this.write(batch, {
      studentId: r.studentId,
      courseId: r.courseId,
      action: r.action,
      status: o.status,
      ticket: r.ticket,
      actorId: r.actorId,
      reason: r.reason,
      relatedCourseId: o.swappedFrom ?? (r.action === 'join' ? r.swapFrom : null),
    });
  }

  /** The rules, in the order a student would want them explained. */
  private decide(batch: BatchState, r: Req): Outcome {
    const course = batch.course(r.courseId);
    const student = batch.student(r.studentId);
    // A ticket's course or student deleted since cascades the ticket away; kept for safety.
    if (!course || !student) return { status: 'not_selected' };
    if (r.action !== 'enroll' && r.action !== 'leave') {
      const w = batch.windowOf(student.group);
      if (!w.open) return { status: 'window_closed', opensAt: w.opensAt };
    }
    switch (r.action) {
      case 'deselect':
        if (!student.held.has(course.id)) return { status: 'not_selected' };
        this.unenroll(batch, student, course);
        this.promote(batch, course.id);
        return { status: 'deselected' };
      case 'select':
        return this.select(batch, student, course);
      case 'join':
        return this.join(batch, student, course, r);
      case 'leave':
        if (this.st.dropEntry.run(student.id, course.id).changes === 0) return { status: 'not_waitlisted' };
        if (course.waitlisted !== null) course.waitlisted--;
        return { status: 'left' };
      case 'enroll':
        return this.staffEnroll(batch, student, course, r.overrides);
    }
  }

  private select(batch: BatchState, s: StudentState, c: CourseState): Outcome {
    if (s.held.has(c.id)) return { status: 'already_selected' };
    const refused = this.refusal(s, c, null, batch);
    if (refused) return { status: refused };
    if (!this.freeSeatFor(batch, c, s)) return { status: 'full' };
    this.enroll(batch, s, c);
    // a student who also waited for this course needs the entry no more
    if (c.waitlisted && this.st.dropEntry.run(s.id, c.id).changes > 0) c.waitlisted--;
    return { status: 'selected' };
  }

  private join(batch: BatchState, s: StudentState, c: CourseState, r: Req): Outcome {
    if (s.held.has(c.id)) return { status: 'already_selected' };
    // an empty line holds nobody (its count is cached for the batch; the lookup is not)
    if (batch.waitlisted(c) > 0 && this.st.entryOf.get(s.id, c.id)) return { status: 'already_waitlisted' };
    const swap = r.swapFrom === null ? null : batch.course(r.swapFrom);
    if (r.swapFrom !== null && (!swap || !s.held.has(swap.id) || swap.id === c.id)) return { status: 'not_selected' };
    const refused = this.refusal(s, c, swap, batch);
    if (refused) return { status: refused };
    if (this.freeSeatFor(batch, c, s)) {
      this.enroll(batch, s, c);
      if (!swap) return { status: 'selected' };
      this.dropForSwap(batch, s, swap, c, r.ticket);
      return { status: 'selected', swappedFrom: swap.id };
    }
    if (!c.waitlistEnabled) return { status: 'waitlist_closed' };
    const n = batch.waitlisted(c);
    if (c.waitlistCap !== null && n >= c.waitlistCap) return { status: 'waitlist_full' };
    this.st.addEntry.run(s.id, c.id, swap?.id ?? null, r.ticket, batch.nowMs);
    c.waitlisted = n + 1;
    return { status: 'waitlisted', position: n + 1 };
  }

  /** Staff enrolment: each granted override lifts one rule; `overridden` says one was needed. */
  private staffEnroll(batch: BatchState, s: StudentState, c: CourseState, o: StaffOverrides): Outcome {
    if (s.held.has(c.id)) return { status: 'already_selected' };
    const clash = this.clashes(s, c, null, batch);
    if (clash && !o.allowConflict) return { status: 'conflict' };
    const overCredits = this.overCredits(s, c, null);
    if (overCredits && !o.overCreditLimit) return { status: 'over_credit_limit' };
    const seat = batch.seatFor(c, s);
    if (!seat && !o.overCapacity) return { status: 'full' };
    this.enroll(batch, s, c, !seat, clash);
    if (this.st.dropEntry.run(s.id, c.id).changes > 0 && c.waitlisted !== null) c.waitlisted--;
    return { status: clash || overCredits || !seat ? 'overridden' : 'selected' };
  }

  /**
   * A free seat for `s`, after the waitlist had its turn: someone waiting who is eligible now
   * (their conflict went away, say) is promoted first, so the line stays FIFO among the eligible.
   */
  private freeSeatFor(batch: BatchState, c: CourseState, s: StudentState): boolean {
    if (!batch.seatFor(c, s)) return false;
    if (batch.waitlisted(c) > 0) this.promote(batch, c.id);
    return batch.seatFor(c, s);
  }

  private refusal(s: StudentState, c: CourseState, swap: CourseState | null, batch: BatchState) {
    if (this.clashes(s, c, swap, batch)) return 'conflict' as const;
    if (this.overCredits(s, c, swap)) return 'over_credit_limit' as const;
    return null;
  }

  /** A held course (other than `swap`, which would be dropped) whose slots overlap `c`'s. */
  private clashes(s: StudentState, c: CourseState, swap: CourseState | null, batch: BatchState): boolean {
    for (const heldId of s.held) {
      if (heldId === swap?.id || heldId === c.id) continue;
      const other = batch.course(heldId);
      if (other && other.slots.some((a) => c.slots.some((b) => slotsOverlap(a, b)))) return true;
    }
    return false;
  }

  private overCredits(s: StudentState, c: CourseState, swap: CourseState | null): boolean {
    const dropped = swap && s.held.has(swap.id) ? swap.credits : 0;
    return s.credits - dropped + c.credits > s.limit;
  }

  private enroll(batch: BatchState, s: StudentState, c: CourseState, overCapacity = false, allowConflict = false) {
    this.st.enroll.run(s.id, c.id, batch.now, overCapacity ? 1 : 0, allowConflict ? 1 : 0);
    batch.count(c, s, 1, overCapacity);
  }

  private unenroll(batch: BatchState, s: StudentState, c: CourseState): void {
    const row = this.st.unenroll.get(s.id, c.id);
    batch.count(c, s, -1, row?.over_capacity === 1);
  }

  /** swapFrom goes in the same transaction as the seat it was traded for; its own waitlist moves up. */
  private dropForSwap(batch: BatchState, s: StudentState, swap: CourseState, got: CourseState, ticket: number | null) {
    this.unenroll(batch, s, swap);
    this.write(batch, {
      studentId: s.id,
      courseId: swap.id,
      action: 'join',
      status: 'swapped',
      ticket,
      relatedCourseId: got.id,
    });
    this.promote(batch, swap.id);
  }

  /** Fill free seats of `courseId` from its waitlist, FIFO among the eligible (see the class comment). */
  private promote(batch: BatchState, courseId: number): void {
    const c = batch.course(courseId);
    if (!c || batch.waitlisted(c) === 0) return;
    for (;;) {
      if (c.capacity + c.overrideSeats - c.enrolled <= 0) return;
      // read again each round: a cascade may have promoted or removed someone of this line
      const next = this.st.heads.all(c.id).find((e) => this.eligibleOrSkip(batch, c, e));
      if (!next) return;
      const s = batch.student(next.student_id)!;
      this.st.dropEntry.run(s.id, c.id);
      c.waitlisted = batch.waitlisted(c) - 1;
      this.enroll(batch, s, c);
      const swap = next.swap_from !== null && s.held.has(next.swap_from) ? batch.course(next.swap_from) : null;
      this.write(batch, {
        studentId: s.id,
        courseId: c.id,
        action: 'promote',
        status: 'promoted',
        ticket: next.ticket,
        relatedCourseId: swap?.id ?? null,
      });
      const note = this.st.notify.get(s.id, PROMOTED_NOTIFICATION_TYPE, next.ticket ?? 0, c.id);
      batch.decided.push({
        ticket: next.ticket ?? 0,
        studentId: s.id,
        courseId: c.id,
        action: 'join',
        status: 'promoted',
        ...(swap ? { swappedFrom: swap.id } : {}),
        ...(note ? { notification: toNotification(note) } : {}),
      });
      if (swap) this.dropForSwap(batch, s, swap, c, next.ticket);
    }
  }

  /** True when the entry's student may take a seat now; otherwise logs why not (once per batch). */
  private eligibleOrSkip(batch: BatchState, c: CourseState, e: WaitEntry): boolean {
    const key = `${c.id}:${e.student_id}`;
    if (batch.skipped.has(key)) return false;
    const s = batch.student(e.student_id);
    if (!s) return false;
    if (s.held.has(c.id)) {
      // enrolled meanwhile (a staff enrolment): the entry has nothing left to wait for
      this.st.dropEntry.run(s.id, c.id);
      c.waitlisted = batch.waitlisted(c) - 1;
      return false;
    }
    const swap = e.swap_from !== null && s.held.has(e.swap_from) ? batch.course(e.swap_from) : null;
    let reason: SkipReason | null = null;
    if (!batch.windowOf(s.group).open) reason = 'window_closed';
    else if (!openToGroup(c.allowedGroups, s.group)) reason = 'not_allowed';
    else reason = this.refusal(s, c, swap, batch) ?? (batch.seatFor(c, s) ? null : 'full');
    if (reason === null) return true;
    batch.skipped.add(key);
    this.write(batch, {
      studentId: s.id,
      courseId: c.id,
      action: 'promote',
      status: 'skipped',
      ticket: e.ticket,
      reason,
    });
    return false;
  }

  /** Reservations past their expiry give their unused seats to the general pool and the waitlist. */
  private expireDue(batch: BatchState): void {
    for (const r of this.st.dueReservations.all(batch.nowMs)) {
      this.st.release.run(batch.nowMs, r.id);
      const c = batch.course(r.course_id);
      if (!c) continue;
      c.reservations = null;
      batch.touched.add(c.id);
      this.promote(batch, c.id);
    }
  }

  private write(batch: BatchState, line: LogLine): void {
    this.log.write(batch.nowMs, line);
  }

  private seatsOf(batch: BatchState): SeatCount[] {
    return [...batch.touched].flatMap((courseId) => {
      const c = batch.course(courseId);
      return c ? [{ courseId, capacity: c.capacity, enrolled: c.enrolled, seatsLeft: batch.seatsLeft(c) }] : [];
    });
  }
}
