import type { Database, Statement } from 'better-sqlite3';
import { AuthErrorCode, type AuthUser } from '../../../contracts/auth.js';
import { LifecycleErrorCode, type SessionInfo } from '../../../contracts/user-lifecycle.js';
import { forbidden, notFound } from '../../../shared/app-error.js';
import { isStorageError } from '../db/storage-health.js';
import { hashToken, newSessionToken, sessionIdFromHash } from './token-hash.js';
import { iso, toAuthUser, type UserRow } from './user-row.js';

export const DEFAULT_IDLE_SECONDS = 30 * 60;
export const DEFAULT_ABSOLUTE_SECONDS = 12 * 3600;
/** Sliding the idle expiry costs a write, so a busy session pays it at most once a minute. */
const TOUCH_EVERY_MS = 60_000;
const PURGE_EVERY_MS = 10 * 60_000;

interface SessionJoin extends UserRow {
  last_seen_at: number;
  idle_expires_at: number;
  absolute_expires_at: number;
  idle_ms: number;
}

export interface Ttl {
  readonly idleSeconds?: number;
  readonly absoluteSeconds?: number;
}

/** Where a sign-in came from: kept on its session and as the user's last sign-in. */
export interface SignIn {
  readonly address: string | null;
  readonly userAgent: string | null;
}

interface SessionRow {
  token_hash: Buffer;
  created_at: number;
  last_seen_at: number;
  idle_expires_at: number;
  absolute_expires_at: number;
  address: string | null;
  user_agent: string | null;
}

export class SessionsRepo {
  private readonly insertStmt: Statement;
  private readonly resolveStmt: Statement<[Buffer], SessionJoin>;
  private readonly touchStmt: Statement;
  private readonly deleteStmt: Statement<[Buffer]>;
  private readonly userStmt: Statement<[number], { disabled: number }>;
  private lastPurge = 0;

  constructor(private readonly db: Database) {
    this.insertStmt = db.prepare(`INSERT INTO sessions
      (token_hash, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, idle_ms, address, user_agent)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.resolveStmt = db.prepare(`SELECT u.*, s.last_seen_at, s.idle_expires_at, s.absolute_expires_at, s.idle_ms
      FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`);
    this.touchStmt = db.prepare('UPDATE sessions SET last_seen_at = ?, idle_expires_at = ? WHERE token_hash = ?');
    this.deleteStmt = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
    this.userStmt = db.prepare('SELECT disabled FROM users WHERE id = ?');
  }

  /** A session; with `signIn` it is a sign-in: the user's last sign-in is it and failures start over. */
  create(userId: number, ttl: Ttl = {}, signIn?: SignIn): { token: string; expiresAt: string } {
    return this.db
      .transaction(() => {
        const now = Date.now();
        const grant = this.createOne(userId, ttl, now, signIn);
        if (signIn) {
          this.db
            .prepare('UPDATE users SET last_login_at = ?, last_login_address = ?, failed_logins = 0 WHERE id = ?')
            .run(now, signIn.address, userId);
        }
        return grant;
      })
      .immediate();
  }

  /** The user's live sessions, newest first (404 USER_NOT_FOUND for no such user). */
  listForUser(userId: number): SessionInfo[] {
    if (!this.userStmt.get(userId)) throw notFound(`no user with id ${userId}`, AuthErrorCode.USER_NOT_FOUND);
    return this.liveRows(userId).map((r) => ({
      id: sessionIdFromHash(r.token_hash),
      createdAt: iso(r.created_at),
      lastSeenAt: iso(r.last_seen_at),
      expiresAt: iso(Math.min(r.idle_expires_at, r.absolute_expires_at)),
      address: r.address,
      userAgent: r.user_agent,
      current: false,
    }));
  }

  countForUser(userId: number): number {
    return this.liveRows(userId).length;
  }

  /** End one session of the user by its public id; 404 SESSION_NOT_FOUND when it is not theirs or gone. */
  revokeById(userId: number, sessionId: string): void {
    const rows = this.db.prepare('SELECT token_hash FROM sessions WHERE user_id = ?').all(userId) as {
      token_hash: Buffer;
    }[];
    const hit = rows.find((r) => sessionIdFromHash(r.token_hash) === sessionId);
    if (!hit) throw notFound('no such session for this user', LifecycleErrorCode.SESSION_NOT_FOUND);
    this.deleteStmt.run(hit.token_hash);
  }

  private liveRows(userId: number): SessionRow[] {
    const now = Date.now();
    return this.db
      .prepare(
        `SELECT token_hash, created_at, last_seen_at, idle_expires_at, absolute_expires_at, address, user_agent
        FROM sessions WHERE user_id = ? AND idle_expires_at > ? AND absolute_expires_at > ?
        ORDER BY created_at DESC`,
      )
      .all(userId, now, now) as SessionRow[];
  }

  /** Many sessions in one transaction (test and benchmark seeding). */
  createBulk(userIds: readonly number[], ttl: Ttl = {}): { userId: number; token: string; expiresAt: string }[] {
    return this.db
      .transaction(() => {
        const now = Date.now();
        return userIds.map((userId) => ({ userId, ...this.createOne(userId, ttl, now) }));
      })
      .immediate();
  }

  /** The session's user, or null when the token is unknown, expired or the user is disabled. */
  resolve(token: string): { user: AuthUser; expiresAt: string } | null {
    return this.lookUp(token, bestEffort);
  }

  /**
   * @param write how the lookup's writes (expired-session delete, idle-expiry touch) run: inside
   * a transaction they must throw, since SQLite may have rolled it back; alone they may fail.
   */
  private lookUp(token: string, write: (w: () => unknown) => boolean): { user: AuthUser; expiresAt: string } | null {
    const hash = hashToken(token);
    const row = this.resolveStmt.get(hash);
    if (!row) return null;
    const now = Date.now();
    if (now >= row.idle_expires_at || now >= row.absolute_expires_at) {
      write(() => this.deleteStmt.run(hash));
      return null;
    }
    if (row.disabled === 1) return null;
    let idleExpires = row.idle_expires_at;
    if (now - row.last_seen_at >= TOUCH_EVERY_MS) {
      const slid = Math.min(now + row.idle_ms, row.absolute_expires_at);
      if (write(() => this.touchStmt.run(now, slid, hash))) idleExpires = slid;
    }
    return { user: toAuthUser(row), expiresAt: iso(idleExpires) };
  }

  /** Many lookups in one transaction, so their idle-expiry touches share one commit. */
  resolveMany(tokens: readonly string[]): ({ user: AuthUser; expiresAt: string } | null)[] {
    try {
      return this.db.transaction(() => tokens.map((t) => this.lookUp(t, strict))).immediate();
    } catch (err) {
      if (!isStorageError(err)) throw err;
      // The disk takes no writes (the write lock, or the touches' commit): look up without them.
      return this.db.transaction(() => tokens.map((t) => this.lookUp(t, skip))).deferred();
    }
  }

  revokeToken(token: string): number {
    return this.deleteStmt.run(hashToken(token)).changes;
  }

  revokeUser(userId: number, exceptToken?: string): number {
    if (exceptToken) {
      return this.db
        .prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash != ?')
        .run(userId, hashToken(exceptToken)).changes;
    }
    return this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId).changes;
  }

  private createOne(userId: number, ttl: Ttl, now: number, signIn?: SignIn): { token: string; expiresAt: string } {
    const user = this.userStmt.get(userId);
    if (!user) throw notFound(`no user with id ${userId}`, AuthErrorCode.USER_NOT_FOUND);
    if (user.disabled === 1) throw forbidden('the account is disabled', AuthErrorCode.ACCOUNT_DISABLED);
    this.purgeExpired(now);
    const idleMs = (ttl.idleSeconds ?? DEFAULT_IDLE_SECONDS) * 1000;
    const absolute = now + (ttl.absoluteSeconds ?? DEFAULT_ABSOLUTE_SECONDS) * 1000;
    const idle = Math.min(now + idleMs, absolute);
    const token = newSessionToken();
    this.insertStmt.run(
      hashToken(token),
      userId,
      now,
      now,
      idle,
      absolute,
      idleMs,
      signIn?.address ?? null,
      signIn?.userAgent ?? null,
    );
    return { token, expiresAt: iso(idle) };
  }

  private purgeExpired(now: number): void {
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    this.db.prepare('DELETE FROM sessions WHERE idle_expires_at <= ? OR absolute_expires_at <= ?').run(now, now);
  }
}

/**
 * Keeping a session's idle expiry fresh is a write, but looking a session up is a read: while
 * the disk takes no writes, signed-in users stay signed in. Other errors still throw.
 */
function bestEffort(write: () => unknown): boolean {
  try {
    write();
    return true;
  } catch (err) {
    if (isStorageError(err)) return false;
    throw err;
  }
}

function strict(write: () => unknown): boolean {
  write();
  return true;
}

function skip(): boolean {
  return false;
}
