import { ErrorCode } from '../contracts/errors.js';
import type { SessionUser } from '../contracts/session.js';
import { AppError } from '../shared/app-error.js';
import type { SessionResolver } from '../shared/session-auth.js';

/** Supervisor operations are for admins only; the token is checked with auth_node. */
export async function requireAdmin(resolver: SessionResolver, token: string | undefined): Promise<SessionUser> {
  if (!token) throw new AppError(401, ErrorCode.UNAUTHORIZED, 'sign in as an admin first');
  const user = await resolver.resolve(token);
  if (user.role !== 'admin') throw new AppError(403, ErrorCode.FORBIDDEN, 'supervisor operations are for admins');
  return user;
}
