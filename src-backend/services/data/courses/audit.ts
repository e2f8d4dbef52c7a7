import type { Database, Statement } from 'better-sqlite3';
import type { Actor } from '../../../contracts/courses.js';

/**
 * Staff actions on courses and the selection window go to the shared audit_log, in the same
 * transaction as the change. Student selections are not repeated here: queue_tickets already
 * records who asked for what, when, and how it was decided.
 */
export class CourseAudit {
  private readonly insert: Statement<[number, number, number, string, string | null, string | null]>;

  constructor(db: Database) {
    this.insert = db.prepare(
      `INSERT INTO audit_log (at, actor_id, actor, action, target, detail)
       VALUES (?, ?, (SELECT username FROM users WHERE id = ?), ?, ?, ?)`,
    );
  }

  record(actor: Actor, action: string, target: string | null, detail?: Record<string, unknown>): void {
    this.insert.run(
      Date.now(),
      actor.userId,
      actor.userId,
      action,
      target,
      detail ? JSON.stringify(detail).slice(0, 2000) : null,
    );
  }
}
