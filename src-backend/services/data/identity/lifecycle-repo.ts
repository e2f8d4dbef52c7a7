import type { Database } from 'better-sqlite3';
import { AuthErrorCode } from '../../../contracts/auth.js';
import type {
  DataBulkActionRequest,
  DataBulkActionResult,
  DataProfileRequest,
  DataProfileResponse,
} from '../../../contracts/routes/data-identity.js';
import { LifecycleErrorCode, type CourseRef, type UserDetail } from '../../../contracts/user-lifecycle.js';
import { AppError, badRequest, conflict, notFound } from '../../../shared/app-error.js';
import { openToGroup } from '../courses/course-row.js';
import type { AuditRepo } from './audit-repo.js';
import type { SessionsRepo } from './sessions-repo.js';
import { iso, isForeignKeyViolation, toAuthUser, type UserRow } from './user-row.js';
import type { UsersRepo } from './users-repo.js';

interface SignInRow extends UserRow {
  last_login_at: number | null;
  last_login_address: string | null;
  failed_logins: number;
}

/** Thrown inside a dry run's transaction so that SQLite rolls back what the run did. */
const DRY_RUN = Symbol('dry run');

const onlyStudents = (hint = '') =>
  badRequest(`only students belong to a group${hint}`, LifecycleErrorCode.NOT_A_STUDENT);

/**
 * The help desk's changes to accounts (issue 17): edits, the user detail, failed sign-ins and
 * bulk actions. Each change is one IMMEDIATE transaction, so the last-admin rule holds however
 * many admins are edited at once.
 */
export class LifecycleRepo {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepo,
    private readonly sessions: SessionsRepo,
    private readonly audit: AuditRepo,
  ) {}

  updateProfile(id: number, req: DataProfileRequest): DataProfileResponse {
    return this.db
      .transaction((): DataProfileResponse => {
        const row = this.users.byId(id);
        if (!row) throw notFound(`no user with id ${id}`, AuthErrorCode.USER_NOT_FOUND);
        const role = req.role ?? row.role;
        const group = req.group !== undefined ? req.group : row.user_group;
        if (role !== row.role) {
          if (id === req.actorId) throw conflict('you cannot change your own role', AuthErrorCode.SELF_ACTION);
          if (row.role === 'admin' && row.disabled === 0) this.users.assertAnotherAdmin(id);
        }
        if (group !== null && role !== 'student') throw onlyStudents('; send group: null with the role change');
        this.db
          .prepare('UPDATE users SET name = ?, email = ?, user_group = ?, role = ? WHERE id = ?')
          .run(req.name ?? row.name, req.email !== undefined ? req.email : row.email, group, role, id);
        const notOpenToGroup = group !== row.user_group && role === 'student' ? this.notOpenTo(id, group) : [];
        return { user: toAuthUser(this.users.byId(id)!), before: toAuthUser(row), notOpenToGroup };
      })
      .immediate();
  }

  /** Courses the student holds that `group` may not take (they keep them; the registrar decides). */
  private notOpenTo(studentId: number, group: string | null): number[] {
    const held = this.db
      .prepare(
        'SELECT c.id, c.allowed_groups FROM enrollments e JOIN courses c ON c.id = e.course_id WHERE e.student_id = ? ORDER BY c.id',
      )
      .all(studentId) as { id: number; allowed_groups: string }[];
    return held.filter((c) => !openToGroup(JSON.parse(c.allowed_groups) as string[], group)).map((c) => c.id);
  }

  detail(id: number): UserDetail {
    const row = this.users.byId(id) as SignInRow | undefined;
    if (!row) throw notFound(`no user with id ${id}`, AuthErrorCode.USER_NOT_FOUND);
    const student = row.role === 'student';
    return {
      lastLoginAt: row.last_login_at === null ? null : iso(row.last_login_at),
      lastLoginAddress: row.last_login_address,
      failedLogins: row.failed_logins,
      totpEnabled: row.totp_secret !== null,
      sessions: this.sessions.countForUser(id),
      coursesHeld: student
        ? this.courses(
            'SELECT c.id, c.code, c.name FROM enrollments e JOIN courses c ON c.id = e.course_id WHERE e.student_id = ? ORDER BY c.code',
            id,
          )
        : [],
      // Selections the queue accepted and has not decided: what the student is waiting for.
      waitlisted: student
        ? this.courses(
            `SELECT DISTINCT c.id, c.code, c.name FROM queue_tickets t JOIN courses c ON c.id = t.course_id
            WHERE t.student_id = ? AND t.status IS NULL AND t.action = 'select' ORDER BY c.code`,
            id,
          )
        : [],
    };
  }

  private courses(sql: string, id: number): CourseRef[] {
    return this.db.prepare(sql).all(id) as CourseRef[];
  }

  loginFailed(id: number): number {
    const row = this.db
      .prepare('UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins')
      .get(id) as { failed_logins: number } | undefined;
    if (!row) throw notFound(`no user with id ${id}`, AuthErrorCode.USER_NOT_FOUND);
    return row.failed_logins;
  }

  /** One batch of a bulk action in one transaction; a dry run does the same and rolls back. */
  bulk(spec: DataBulkActionRequest): DataBulkActionResult[] {
    let results: DataBulkActionResult[] = [];
    try {
      this.db
        .transaction(() => {
          results = spec.ids.map((id) => this.applyOne(id, spec));
          if (spec.dryRun) throw DRY_RUN;
        })
        .immediate();
    } catch (err) {
      if (err !== DRY_RUN) throw err;
    }
    return results;
  }

  private applyOne(id: number, spec: DataBulkActionRequest): DataBulkActionResult {
    const row = this.users.byId(id);
    if (!row) return failed(id, null, notFound(`no user with id ${id}`, AuthErrorCode.USER_NOT_FOUND));
    try {
      if (id === spec.actorId && spec.action !== 'enable')
        throw conflict(`you cannot ${spec.action} your own account`, AuthErrorCode.SELF_ACTION);
      const done = this.act(row, spec);
      // A dry run is rolled back; its entries would still reach the live Audit view.
      if (!spec.dryRun)
        this.audit.append({
          actorId: spec.actorId,
          actor: spec.actor,
          action: done.auditAction,
          target: row.username,
          detail: done.detail,
        });
      return { id, username: row.username, ok: true, ...done.extra };
    } catch (err) {
      if (err instanceof AppError) return failed(id, row.username, err);
      throw err;
    }
  }

  private act(
    row: UserRow,
    spec: DataBulkActionRequest,
  ): { auditAction: string; detail: string; extra: Partial<DataBulkActionResult> } {
    const endSessions = () => this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(row.id);
    switch (spec.action) {
      case 'disable':
        if (row.role === 'admin' && row.disabled === 0) this.users.assertAnotherAdmin(row.id);
        this.db.prepare('UPDATE users SET disabled = 1 WHERE id = ?').run(row.id);
        endSessions();
        return { auditAction: 'user_disabled', detail: 'bulk', extra: { sessionsEnded: true } };
      case 'enable':
        this.db.prepare('UPDATE users SET disabled = 0 WHERE id = ?').run(row.id);
        return { auditAction: 'user_enabled', detail: 'bulk', extra: {} };
      case 'delete':
        if (row.role === 'admin') this.users.assertAnotherAdmin(row.id);
        try {
          this.db.prepare('DELETE FROM users WHERE id = ?').run(row.id);
        } catch (err) {
          if (!isForeignKeyViolation(err)) throw err;
          throw conflict(
            `${row.username} still owns rows elsewhere; disable the account instead`,
            AuthErrorCode.USER_IN_USE,
          );
        }
        return { auditAction: 'user_deleted', detail: `${row.role} (bulk)`, extra: { sessionsEnded: true } };
      case 'reset-2fa':
        // The account signs in again only after enrolling a new authenticator with a reset code.
        this.db
          .prepare(
            'UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_last_step = NULL WHERE id = ?',
          )
          .run(row.id);
        endSessions();
        return { auditAction: 'totp_cleared', detail: 'bulk', extra: { sessionsEnded: true } };
      case 'set-group': {
        if (row.role !== 'student') throw onlyStudents();
        const group = spec.group ?? null;
        this.db.prepare('UPDATE users SET user_group = ? WHERE id = ?').run(group, row.id);
        return {
          auditAction: 'user_updated',
          detail: `group: ${row.user_group ?? '(none)'} → ${group ?? '(none)'} (bulk)`,
          extra: { notOpenToGroup: this.notOpenTo(row.id, group) },
        };
      }
    }
  }
}

function failed(id: number, username: string | null, err: AppError): DataBulkActionResult {
  return { id, username, ok: false, error: { code: err.code, message: err.message } };
}
