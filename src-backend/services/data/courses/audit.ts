import type { Actor } from '../../../contracts/courses.js';
import type { AuditRepo } from '../identity/audit-repo.js';

/**
 * Staff actions on courses and the selection window go to the shared audit_log, in the same
 * transaction as the change, through its one writer. Student selections are not repeated here:
 * queue_tickets already records who asked for what, when, and how it was decided.
 */
export class CourseAudit {
  constructor(private readonly log: AuditRepo) {}

  record(actor: Actor, action: string, target: string | null, detail?: Record<string, unknown>): void {
    this.log.append({
      actorId: actor.userId,
      actor: null,
      action,
      target,
      detail: detail ? JSON.stringify(detail).slice(0, 2000) : null,
    });
  }
}
