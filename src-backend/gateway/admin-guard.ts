import { ErrorCode } from '../contracts/errors.js';
import type { SessionUser } from '../contracts/session.js';
import { AppError } from '../shared/app-error.js';
import { ServiceCallError } from '../shared/service-client.js';
import type { SessionResolver } from '../shared/session-auth.js';

/** How long an admin session checked by auth_node may still run supervisor operations while auth is down. */
export const ADMIN_GRACE_MS = 10 * 60_000;
const MAX_REMEMBERED = 1000;

/**
 * Supervisor operations are for admins only; the token is checked with auth_node. auth_node
 * reads sessions from data_node, so stopping either (or a crash loop) would leave no admin
 * able to start it again. An admin whose session auth_node confirmed within ADMIN_GRACE_MS
 * may therefore still use the supervisor while auth_node or data_node cannot be reached. Only
 * "unreachable" opens that door: a 401 or a non-admin answer closes it at once, and so does a
 * revocation auth_node pushes (logout, disable, delete, password change, 2FA reset).
 */
export class AdminGuard {
  private readonly confirmed = new Map<string, { user: SessionUser; at: number }>();
  /** bumped by every revocation: a check that was in flight across one confirms nothing */
  private epoch = 0;

  constructor(
    private readonly resolver: SessionResolver,
    private readonly graceMs = ADMIN_GRACE_MS,
  ) {}

  async require(token: string | undefined): Promise<SessionUser> {
    if (!token) throw new AppError(401, ErrorCode.UNAUTHORIZED, 'sign in as an admin first');
    const epoch = this.epoch;
    let user: SessionUser;
    try {
      user = await this.resolver.resolve(token);
    } catch (err) {
      const known = this.confirmed.get(token);
      if (isUnreachable(err) && known && Date.now() - known.at < this.graceMs) return known.user;
      this.confirmed.delete(token);
      throw err;
    }
    if (user.role !== 'admin') {
      this.confirmed.delete(token);
      throw new AppError(403, ErrorCode.FORBIDDEN, 'supervisor operations are for admins');
    }
    if (epoch === this.epoch) this.remember(token, user);
    return user;
  }

  /** The session ended: no grace for it. */
  forget(token: string): void {
    this.epoch++;
    this.confirmed.delete(token);
  }

  /** Every session of the user ended (disabled, deleted, new password, 2FA reset): no grace for any. */
  forgetUser(userId: number): void {
    this.epoch++;
    for (const [token, entry] of this.confirmed) if (entry.user.id === userId) this.confirmed.delete(token);
  }

  private remember(token: string, user: SessionUser): void {
    this.confirmed.delete(token); // re-insert: the map's order is oldest confirmation first
    if (this.confirmed.size >= MAX_REMEMBERED) this.confirmed.delete(this.confirmed.keys().next().value as string);
    this.confirmed.set(token, { user, at: Date.now() });
  }
}

/** auth_node (or data_node behind it) did not answer: down, restarting or timed out. */
function isUnreachable(err: unknown): boolean {
  return err instanceof ServiceCallError && (err.statusCode === 503 || err.statusCode === 504);
}
