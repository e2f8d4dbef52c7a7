import type { Database } from 'better-sqlite3';
import { AuthErrorCode, type AuthUser, type CodeInfo, type ListCodesQuery } from '../../../contracts/auth.js';
import {
  type DataCreateRegistrationCodeRequest,
  type DataCreateResetCodeRequest,
  type DataRegisterRequest,
  type DataResetTotpRequest,
} from '../../../contracts/routes/data-identity.js';
import { badRequest, conflict, notFound } from '../../../shared/app-error.js';
import { iso, toAuthUser, type UserRow } from './user-row.js';
import type { UsersRepo } from './users-repo.js';

interface CodeRow {
  id: number;
  kind: 'registration' | 'reset';
  user_type: 'student' | 'teacher' | null;
  user_group: string | null;
  username: string | null;
  max_uses: number;
  uses: number;
  expires_at: number;
  created_at: number;
  created_by_name: string | null;
  revoked: number;
}

// Both code tables read through one shape so listing and revoking treat them alike.
const REGISTRATION_SELECT = `SELECT c.id, 'registration' AS kind, c.user_type, c.user_group, NULL AS username,
  c.max_uses, c.uses, c.expires_at, c.created_at, a.username AS created_by_name, c.revoked
  FROM registration_codes c LEFT JOIN users a ON a.id = c.created_by`;
const RESET_SELECT = `SELECT c.id, 'reset' AS kind, NULL AS user_type, NULL AS user_group, u.username,
  1 AS max_uses, CASE WHEN c.used_at IS NULL THEN 0 ELSE 1 END AS uses, c.expires_at, c.created_at,
  a.username AS created_by_name, c.revoked
  FROM reset_codes c JOIN users u ON u.id = c.user_id LEFT JOIN users a ON a.id = c.created_by`;

function toCodeInfo(r: CodeRow, now = Date.now()): CodeInfo {
  const usesLeft = Math.max(0, r.max_uses - r.uses);
  return {
    id: r.id,
    kind: r.kind,
    userType: r.user_type,
    group: r.user_group,
    username: r.username,
    maxUses: r.max_uses,
    uses: r.uses,
    usesLeft,
    expiresAt: iso(r.expires_at),
    createdAt: iso(r.created_at),
    createdBy: r.created_by_name,
    revoked: r.revoked === 1,
    active: r.revoked === 0 && usesLeft > 0 && r.expires_at > now,
  };
}

/** Why a code cannot be used, checked in the order an admin would want to hear it. */
function assertUsable(r: { revoked: number; expires_at: number; uses: number; max_uses: number }, now: number): void {
  if (r.revoked === 1) throw badRequest('this code has been revoked', AuthErrorCode.CODE_REVOKED);
  if (r.expires_at <= now) throw badRequest('this code has expired', AuthErrorCode.CODE_EXPIRED);
  if (r.uses >= r.max_uses) throw badRequest('this code has no uses left', AuthErrorCode.CODE_USED_UP);
}

export class CodesRepo {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepo,
  ) {}

  createRegistration(req: DataCreateRegistrationCodeRequest): CodeInfo {
    const info = this.db
      .prepare(
        `INSERT INTO registration_codes (code_hash, user_type, user_group, max_uses, expires_at, created_by, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(req.codeHash, req.userType, req.group ?? null, req.maxUses, req.expiresAtMs, req.createdBy, Date.now());
    return this.get('registration', Number(info.lastInsertRowid));
  }

  /** A new reset code replaces the user's unused ones, so only the latest one printed works. */
  createReset(req: DataCreateResetCodeRequest): CodeInfo {
    return this.db
      .transaction(() => {
        if (!this.users.byId(req.userId)) throw notFound(`no user with id ${req.userId}`, AuthErrorCode.USER_NOT_FOUND);
        this.db
          .prepare('UPDATE reset_codes SET revoked = 1 WHERE user_id = ? AND used_at IS NULL AND revoked = 0')
          .run(req.userId);
        const info = this.db
          .prepare(
            'INSERT INTO reset_codes (code_hash, user_id, expires_at, created_by, created_at) VALUES (?, ?, ?, ?, ?)',
          )
          .run(req.codeHash, req.userId, req.expiresAtMs, req.createdBy, Date.now());
        return this.get('reset', Number(info.lastInsertRowid));
      })
      .immediate();
  }

  get(kind: 'registration' | 'reset', id: number): CodeInfo {
    const row = this.db
      .prepare(`${kind === 'registration' ? REGISTRATION_SELECT : RESET_SELECT} WHERE c.id = ?`)
      .get(id) as CodeRow | undefined;
    if (!row) throw notFound(`no ${kind} code with id ${id}`, AuthErrorCode.CODE_NOT_FOUND);
    return toCodeInfo(row);
  }

  list(q: ListCodesQuery): CodeInfo[] {
    const now = Date.now();
    const activeReg = ' WHERE c.revoked = 0 AND c.uses < c.max_uses AND c.expires_at > @now';
    const activeReset = ' WHERE c.revoked = 0 AND c.used_at IS NULL AND c.expires_at > @now';
    const parts: string[] = [];
    if (q.kind !== 'reset') parts.push(REGISTRATION_SELECT + (q.active ? activeReg : ''));
    if (q.kind !== 'registration') parts.push(RESET_SELECT + (q.active ? activeReset : ''));
    const rows = this.db
      .prepare(`SELECT * FROM (${parts.join(' UNION ALL ')}) ORDER BY created_at DESC, id DESC LIMIT @limit`)
      .all({ now, limit: q.limit }) as CodeRow[];
    return rows.map((r) => toCodeInfo(r, now));
  }

  revoke(kind: 'registration' | 'reset', id: number): CodeInfo {
    const table = kind === 'registration' ? 'registration_codes' : 'reset_codes';
    const info = this.db.prepare(`UPDATE ${table} SET revoked = 1 WHERE id = ?`).run(id);
    if (info.changes === 0) throw notFound(`no ${kind} code with id ${id}`, AuthErrorCode.CODE_NOT_FOUND);
    return this.get(kind, id);
  }

  /** Would `register` get past the code and the username? Throws what it would throw. */
  checkRegistration(codeHash: string, username: string): void {
    const code = this.db.prepare('SELECT * FROM registration_codes WHERE code_hash = ?').get(codeHash) as
      { revoked: number; expires_at: number; uses: number; max_uses: number } | undefined;
    if (!code) throw badRequest('unknown registration code', AuthErrorCode.CODE_INVALID);
    assertUsable(code, Date.now());
    if (this.users.credentials(username)) throw conflict(`username ${username} is taken`, AuthErrorCode.USERNAME_TAKEN);
  }

  /** Check the code, create the account and count the use: all of it or none of it. */
  register(req: DataRegisterRequest): AuthUser {
    return this.db
      .transaction(() => {
        const now = Date.now();
        const code = this.db.prepare('SELECT * FROM registration_codes WHERE code_hash = ?').get(req.codeHash) as
          | {
              id: number;
              user_type: 'student' | 'teacher';
              user_group: string | null;
              revoked: number;
              expires_at: number;
              uses: number;
              max_uses: number;
            }
          | undefined;
        if (!code) throw badRequest('unknown registration code', AuthErrorCode.CODE_INVALID);
        assertUsable(code, now);
        const id = this.users.insertOne(
          {
            role: code.user_type,
            username: req.username,
            name: req.name,
            email: req.email,
            group: code.user_type === 'student' ? code.user_group : null,
            passwordHash: req.passwordHash,
            totpSecret: req.totpSecret,
          },
          now,
        );
        if (id === null) throw conflict(`username ${req.username} is taken`, AuthErrorCode.USERNAME_TAKEN);
        this.db.prepare('UPDATE registration_codes SET uses = uses + 1 WHERE id = ?').run(code.id);
        return this.users.get(id);
      })
      .immediate();
  }

  /** Use the user's reset code and install the new TOTP secret; the user's sessions end. */
  resetTotp(req: DataResetTotpRequest): AuthUser {
    return this.db
      .transaction(() => {
        const now = Date.now();
        const code = this.db
          .prepare('SELECT * FROM reset_codes WHERE code_hash = ? AND user_id = ?')
          .get(req.codeHash, req.userId) as
          { id: number; revoked: number; expires_at: number; used_at: number | null } | undefined;
        if (!code) throw badRequest('unknown reset code for this account', AuthErrorCode.CODE_INVALID);
        assertUsable({ ...code, uses: code.used_at === null ? 0 : 1, max_uses: 1 }, now);
        this.db.prepare('UPDATE reset_codes SET used_at = ? WHERE id = ?').run(now, code.id);
        this.db
          .prepare('UPDATE users SET totp_secret = ?, totp_pending_secret = NULL, totp_last_step = NULL WHERE id = ?')
          .run(req.totpSecret, req.userId);
        this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(req.userId);
        return toAuthUser(this.users.byId(req.userId) as UserRow);
      })
      .immediate();
  }
}
