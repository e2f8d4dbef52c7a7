import type { Database, Statement } from 'better-sqlite3';
import type { DecisionStatus, QueueRequestItem, SelectionAction, Slot } from '../../../contracts/courses.js';
import type {
  DataQueueDecideResponse,
  DataQueueSubmitResponse,
  DecidedTicket,
  SeatCount,
} from '../../../contracts/routes/data-courses.js';
import { openToGroup } from './course-row.js';
import { isWindowOpen, type SelectionSettings } from './selection-settings.js';
import { slotsOverlap } from './slots.js';

interface CourseState {
  id: number;
  capacity: number;
  enrolled: number;
  credits: number;
  slots: Slot[];
  allowedGroups: string[];
}

interface StudentState {
  held: Set<number>;
  credits: number;
  limit: number;
}

interface PendingRow {
  id: number;
  student_id: number;
  course_id: number;
  action: SelectionAction;
}

/** What one batch may look up more than once; it lives for one transaction only. */
class BatchState {
  readonly courses = new Map<number, CourseState | null>();
  readonly students = new Map<number, StudentState>();
  readonly touched = new Set<number>();
  readonly decided: DecidedTicket[] = [];
  constructor(
    readonly now: string,
    readonly windowOpen: boolean,
    readonly defaultLimit: number,
  ) {}
}

/**
 * The registration queue's decisions, group-committed: one IMMEDIATE transaction persists a
 * whole batch of requests as tickets and decides the oldest undecided tickets in ticket order
 * (FIFO overall, hence FIFO per course). With synchronous=FULL the fsync is paid per batch,
 * not per selection.
 */
export class QueueDecider {
  private readonly st: {
    course: Statement<
      [number],
      { id: number; capacity: number; enrolled: number; credits: number; slots: string; allowed_groups: string }
    >;
    held: Statement<[number], { course_id: number }>;
    byRequest: Statement<
      [string],
      { id: number; student_id: number; course_id: number; action: SelectionAction; status: DecisionStatus | null }
    >;
    insertTicket: Statement<[string, number, number, string | null, string, string | null, string, string | null]>;
    decideTicket: Statement<[string, string, number]>;
    pending: Statement<[number], PendingRow>;
    pendingCount: Statement<[], { n: number }>;
    anyPending: Statement<[], { id: number }>;
    enroll: Statement<[number, number, string]>;
    unenroll: Statement<[number, number]>;
    seats: Statement<[number], { capacity: number; enrolled: number }>;
    student: Statement<[number], { id: number }>;
  };

  constructor(
    private readonly db: Database,
    private readonly settings: SelectionSettings,
  ) {
    this.st = {
      course: db.prepare('SELECT id, capacity, enrolled, credits, slots, allowed_groups FROM courses WHERE id = ?'),
      held: db.prepare('SELECT course_id FROM enrollments WHERE student_id = ?'),
      byRequest: db.prepare('SELECT id, student_id, course_id, action, status FROM queue_tickets WHERE request_id = ?'),
      insertTicket: db.prepare(
        `INSERT INTO queue_tickets (request_id, student_id, course_id, student_group, action, status, created_at, decided_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      decideTicket: db.prepare('UPDATE queue_tickets SET status = ?, decided_at = ? WHERE id = ? AND status IS NULL'),
      pending: db.prepare(
        'SELECT id, student_id, course_id, action FROM queue_tickets WHERE status IS NULL ORDER BY id LIMIT ?',
      ),
      pendingCount: db.prepare('SELECT count(*) AS n FROM queue_tickets WHERE status IS NULL'),
      anyPending: db.prepare('SELECT id FROM queue_tickets WHERE status IS NULL LIMIT 1'),
      enroll: db.prepare('INSERT INTO enrollments (student_id, course_id, created_at) VALUES (?, ?, ?)'),
      unenroll: db.prepare('DELETE FROM enrollments WHERE student_id = ? AND course_id = ?'),
      seats: db.prepare('SELECT capacity, enrolled FROM courses WHERE id = ?'),
      student: db.prepare(`SELECT id FROM users WHERE id = ? AND role = 'student'`),
    };
  }

  /**
   * Persist `requests` and decide up to `maxDecide` tickets, oldest first. While nothing older
   * is waiting, a new request is decided as it is inserted (one write instead of two).
   */
  submit(requests: readonly QueueRequestItem[], maxDecide: number): DataQueueSubmitResponse {
    return this.db
      .transaction(() => {
        const batch = this.newBatch();
        let budget = maxDecide;
        // Older tickets first: FIFO holds across batches and across a queue restart.
        if (this.st.anyPending.get()) budget -= this.decidePendingIn(batch, budget);
        let backlog = budget <= 0 || this.st.anyPending.get() !== undefined;
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
          const course = this.courseIn(batch, r.courseId);
          if (!course) {
            tickets.push({
              requestId: r.requestId,
              rejected: 'unknown_course',
              courseId: r.courseId,
              action: r.action,
            });
            continue;
          }
          // Checked here, not left to the foreign key, so one vanished account cannot fail the batch.
          if (!this.studentExists(batch, r.studentId)) {
            tickets.push({
              requestId: r.requestId,
              rejected: 'unknown_student',
              courseId: r.courseId,
              action: r.action,
            });
            continue;
          }
          if (r.action === 'select' && !openToGroup(course.allowedGroups, r.group)) {
            tickets.push({ requestId: r.requestId, rejected: 'not_allowed', courseId: r.courseId, action: r.action });
            continue;
          }
          let status: DecisionStatus | null = null;
          if (!backlog && budget > 0) {
            status = this.decide(batch, r.studentId, course, r.action);
            budget--;
          } else {
            backlog = true;
          }
          const id = Number(
            this.st.insertTicket.run(
              r.requestId,
              r.studentId,
              r.courseId,
              r.group,
              r.action,
              status,
              batch.now,
              status ? batch.now : null,
            ).lastInsertRowid,
          );
          tickets.push({ requestId: r.requestId, ticket: id, courseId: r.courseId, action: r.action });
          if (status)
            batch.decided.push({ ticket: id, studentId: r.studentId, courseId: r.courseId, action: r.action, status });
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

  /** Decide up to `max` undecided tickets (after a restart, or a backlog beyond one batch). */
  decidePending(max: number): DataQueueDecideResponse {
    return this.db
      .transaction(() => {
        const batch = this.newBatch();
        this.decidePendingIn(batch, max);
        return { decided: batch.decided, seats: this.seatsOf(batch), pending: this.st.pendingCount.get()!.n };
      })
      .immediate();
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

  private newBatch(): BatchState {
    const s = this.settings.row();
    const nowMs = Date.now();
    return new BatchState(new Date(nowMs).toISOString(), isWindowOpen(s, nowMs), s.default_credit_limit);
  }

  private decidePendingIn(batch: BatchState, max: number): number {
    const rows = this.st.pending.all(max);
    for (const row of rows) {
      const course = this.courseIn(batch, row.course_id);
      // A course deleted after the ticket was taken cascades the ticket away, so course exists.
      const status: DecisionStatus = course ? this.decide(batch, row.student_id, course, row.action) : 'not_selected';
      this.st.decideTicket.run(status, batch.now, row.id);
      batch.decided.push({
        ticket: row.id,
        studentId: row.student_id,
        courseId: row.course_id,
        action: row.action,
        status,
      });
    }
    return rows.length;
  }

  /** The rules, in the order a student would want them explained. */
  private decide(batch: BatchState, studentId: number, course: CourseState, action: SelectionAction): DecisionStatus {
    if (!batch.windowOpen) return 'window_closed';
    const student = this.studentIn(batch, studentId);
    if (action === 'deselect') {
      if (!student.held.has(course.id)) return 'not_selected';
      this.st.unenroll.run(studentId, course.id);
      student.held.delete(course.id);
      student.credits -= course.credits;
      course.enrolled--;
      batch.touched.add(course.id);
      return 'deselected';
    }
    if (student.held.has(course.id)) return 'already_selected';
    for (const heldId of student.held) {
      const other = this.courseIn(batch, heldId);
      if (other && other.slots.some((a) => course.slots.some((b) => slotsOverlap(a, b)))) return 'conflict';
    }
    if (student.credits + course.credits > student.limit) return 'over_credit_limit';
    if (course.enrolled >= course.capacity) return 'full';
    this.st.enroll.run(studentId, course.id, batch.now);
    student.held.add(course.id);
    student.credits += course.credits;
    course.enrolled++;
    batch.touched.add(course.id);
    return 'selected';
  }

  private courseIn(batch: BatchState, id: number): CourseState | null {
    let c = batch.courses.get(id);
    if (c === undefined) {
      const row = this.st.course.get(id);
      c = row
        ? {
            id: row.id,
            capacity: row.capacity,
            enrolled: row.enrolled,
            credits: row.credits,
            slots: JSON.parse(row.slots) as Slot[],
            allowedGroups: JSON.parse(row.allowed_groups) as string[],
          }
        : null;
      batch.courses.set(id, c);
    }
    return c;
  }

  private studentExists(batch: BatchState, id: number): boolean {
    if (batch.students.has(id)) return true;
    return this.st.student.get(id) !== undefined;
  }

  private studentIn(batch: BatchState, id: number): StudentState {
    let s = batch.students.get(id);
    if (!s) {
      const held = new Set(this.st.held.all(id).map((r) => r.course_id));
      let credits = 0;
      for (const cid of held) credits += this.courseIn(batch, cid)?.credits ?? 0;
      s = { held, credits, limit: this.settings.creditLimit(id, batch.defaultLimit) };
      batch.students.set(id, s);
    }
    return s;
  }

  private seatsOf(batch: BatchState): SeatCount[] {
    return [...batch.touched].map((courseId) => {
      const r = this.st.seats.get(courseId)!;
      return { courseId, capacity: r.capacity, enrolled: r.enrolled, seatsLeft: Math.max(0, r.capacity - r.enrolled) };
    });
  }
}
