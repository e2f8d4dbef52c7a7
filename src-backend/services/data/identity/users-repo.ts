import type { Database, Statement } from 'better-sqlite3';
import {
  AuthErrorCode,
  type AuthUser,
  type ListUsersQuery,
  type UserPage,
  type UserSortColumn,
} from '../../../contracts/auth.js';
import {
  type DataBulkRowResult,
  type DataCredentials,
  type DataNewUser,
  type DataUpdateUserRequest,
} from '../../../contracts/routes/data-identity.js';
import { AppError, conflict, notFound } from '../../../shared/app-error.js';
import { hashToken } from './token-hash.js';
import { isForeignKeyViolation, toAuthUser, toCredentials, type UserRow } from './user-row.js';

/** Sort keys from the API mapped to columns: the only way a sort reaches SQL. */
const SORT_SQL: Readonly<Record<UserSortColumn, string>> = {
  id: 'id',
  username: 'username',
  name: 'name',
  email: 'email',
  group: 'user_group',
  createdAt: 'created_at',
};

/** LIKE matches `%` and `_` literally once they are escaped with `\`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A conflict the bulk endpoint reports per row instead of failing the request. */
export class BulkRejected extends AppError {
  constructor(readonly results: DataBulkRowResult[]) {
    super(409, AuthErrorCode.BULK_REJECTED, `${results.length} row(s) failed; nothing was created`, { results });
  }
}

export class UsersRepo {
  private readonly insertStmt: Statement;
  private readonly byIdStmt: Statement<[number], UserRow>;
  private readonly byNameStmt: Statement<[string], UserRow>;
  private readonly consumeStmt: Statement;
  private readonly activeAdminsStmt: Statement<[number], { n: number }>;

  constructor(private readonly db: Database) {
    // DO NOTHING on a taken username lets a bulk insert report the row instead of throwing.
    this.insertStmt = db.prepare(`INSERT INTO users
      (role, username, name, email, user_group, password_hash, totp_secret, must_change_password, created_at)
      VALUES (@role, @username, @name, @email, @group, @passwordHash, @totpSecret, @mustChange, @createdAt)
      ON CONFLICT (username) DO NOTHING`);
    this.byIdStmt = db.prepare('SELECT * FROM users WHERE id = ?');
    this.byNameStmt = db.prepare('SELECT * FROM users WHERE username = ?');
    this.consumeStmt = db.prepare(
      'UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < ?)',
    );
    this.activeAdminsStmt = db.prepare(
      "SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0 AND id != ?",
    );
  }

  /** Insert one user; null when the username is taken. Call inside a transaction for batches. */
  insertOne(u: DataNewUser, now = Date.now()): number | null {
    const info = this.insertStmt.run({
      role: u.role,
      username: u.username,
      name: u.name,
      email: u.email ?? null,
      group: u.group ?? null,
      passwordHash: u.passwordHash,
      totpSecret: u.totpSecret ?? null,
      mustChange: u.mustChangePassword ? 1 : 0,
      createdAt: now,
    });
    return info.changes === 1 ? Number(info.lastInsertRowid) : null;
  }

  /** Per-row results; `atomic` turns any failed row into a rollback of the whole batch. */
  insertBulk(users: readonly DataNewUser[], atomic: boolean): { created: number; results: DataBulkRowResult[] } {
    return this.db
      .transaction(() => {
        const now = Date.now();
        const seen = new Set<string>();
        const results: DataBulkRowResult[] = [];
        let created = 0;
        users.forEach((u, row) => {
          const key = u.username.toLowerCase();
          if (seen.has(key)) {
            results.push({
              row,
              username: u.username,
              error: { code: AuthErrorCode.USERNAME_TAKEN, message: 'username appears twice in this batch' },
            });
            return;
          }
          seen.add(key);
          const id = this.insertOne(u, now);
          if (id === null) {
            results.push({
              row,
              username: u.username,
              error: { code: AuthErrorCode.USERNAME_TAKEN, message: `username ${u.username} is taken` },
            });
          } else {
            created++;
            results.push({ row, username: u.username, id });
          }
        });
        if (atomic && created !== users.length) throw new BulkRejected(results.filter((r) => r.error));
        return { created, results };
      })
      .immediate();
  }

  byId(id: number): UserRow | undefined {
    return this.byIdStmt.get(id);
  }

  get(id: number): AuthUser {
    const row = this.byIdStmt.get(id);
    if (!row) throw notFound(`no user with id ${id}`, AuthErrorCode.USER_NOT_FOUND);
    return toAuthUser(row);
  }

  credentials(username: string): DataCredentials | null {
    const row = this.byNameStmt.get(username);
    return row ? toCredentials(row) : null;
  }

  list(q: ListUsersQuery): UserPage {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (q.role) {
      where.push('role = @role');
      params.role = q.role;
    }
    if (q.group !== undefined) {
      where.push('user_group = @group');
      params.group = q.group;
    }
    if (q.disabled !== undefined) {
      where.push('disabled = @disabled');
      params.disabled = q.disabled ? 1 : 0;
    }
    if (q.search) {
      where.push(
        "(username LIKE @search ESCAPE '\\' OR name LIKE @search ESCAPE '\\' OR email LIKE @search ESCAPE '\\')",
      );
      params.search = `%${escapeLike(q.search)}%`;
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const sort = SORT_SQL[q.sort] ?? 'id';
    const order = q.order === 'desc' ? 'DESC' : 'ASC';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM users ${whereSql}`).get(params) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT * FROM users ${whereSql} ORDER BY ${sort} ${order}, id ${order} LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: q.pageSize, offset: (q.page - 1) * q.pageSize }) as UserRow[];
    return { items: rows.map(toAuthUser), total, page: q.page, pageSize: q.pageSize };
  }

  update(id: number, patch: DataUpdateUserRequest): AuthUser {
    return this.db
      .transaction(() => {
        const row = this.byIdStmt.get(id);
        if (!row) throw notFound(`no user with id ${id}`, AuthErrorCode.USER_NOT_FOUND);
        if (patch.disabled === true && row.role === 'admin' && row.disabled === 0) this.assertAnotherAdmin(id);
        const sets: string[] = [];
        const params: Record<string, unknown> = { id };
        const put = (col: string, key: string, value: unknown) => {
          sets.push(`${col} = @${key}`);
          params[key] = value;
        };
        if (patch.name !== undefined) put('name', 'name', patch.name);
        if (patch.email !== undefined) put('email', 'email', patch.email);
        if (patch.group !== undefined) put('user_group', 'grp', patch.group);
        if (patch.disabled !== undefined) put('disabled', 'disabled', patch.disabled ? 1 : 0);
        if (patch.passwordHash !== undefined) put('password_hash', 'passwordHash', patch.passwordHash);
        if (patch.mustChangePassword !== undefined)
          put('must_change_password', 'mcp', patch.mustChangePassword ? 1 : 0);
        if (patch.totpSecret !== undefined) put('totp_secret', 'totpSecret', patch.totpSecret);
        if (patch.totpPendingSecret !== undefined) put('totp_pending_secret', 'totpPending', patch.totpPendingSecret);
        if (patch.totpLastStep !== undefined) put('totp_last_step', 'totpLastStep', patch.totpLastStep);
        if (sets.length) this.db.prepare(`UPDATE users SET ${sets.join(', ')} WHERE id = @id`).run(params);
        // A disabled account or a new password ends existing sessions in the same transaction.
        if (patch.disabled === true) this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(id);
        if (patch.passwordHash !== undefined) {
          if (patch.keepSessionToken) {
            this.db
              .prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash != ?')
              .run(id, hashToken(patch.keepSessionToken));
          } else {
            this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(id);
          }
        }
        return toAuthUser(this.byIdStmt.get(id)!);
      })
      .immediate();
  }

  /** `seatsFreed` runs in the same transaction with the courses a deleted student held (their waitlists move up). */
  delete(id: number, seatsFreed?: (courseIds: number[], studentId: number) => void): void {
    this.db
      .transaction(() => {
        const row = this.byIdStmt.get(id);
        if (!row) throw notFound(`no user with id ${id}`, AuthErrorCode.USER_NOT_FOUND);
        if (row.role === 'admin') this.assertAnotherAdmin(id);
        try {
          const held = this.db
            .prepare('SELECT course_id FROM enrollments WHERE student_id = ?')
            .pluck()
            .all(id) as number[];
          this.db.prepare('DELETE FROM users WHERE id = ?').run(id);
          if (held.length > 0) seatsFreed?.(held, id);
        } catch (err) {
          if (isForeignKeyViolation(err)) {
            throw conflict(
              `${row.username} still has courses or enrollments; disable the account instead`,
              AuthErrorCode.USER_IN_USE,
            );
          }
          throw err;
        }
      })
      .immediate();
  }

  /** Accept a TOTP step at most once: the last step only ever moves forward, atomically. */
  consumeTotpStep(id: number, step: number): boolean {
    return this.consumeStmt.run(step, id, step).changes === 1;
  }

  /** Create the first admin, but only while there is no admin at all. */
  bootstrapAdmin(u: DataNewUser): AuthUser | null {
    return this.db
      .transaction(() => {
        const n = (this.db.prepare("SELECT COUNT(*) AS n FROM users WHERE role = 'admin'").get() as { n: number }).n;
        if (n > 0) return null;
        const id = this.insertOne(u);
        if (id === null)
          throw conflict(`username ${u.username} is taken by a non-admin account`, AuthErrorCode.USERNAME_TAKEN);
        return this.get(id);
      })
      .immediate();
  }

  private assertAnotherAdmin(exceptId: number): void {
    if (this.activeAdminsStmt.get(exceptId)!.n === 0) {
      throw conflict('this is the last active admin account', AuthErrorCode.LAST_ADMIN);
    }
  }
}
