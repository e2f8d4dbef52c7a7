import { AuthRoutes } from '../../contracts/routes/auth.js';
import { SESSION_ID_PATTERN } from '../../contracts/session.js';
import { usageError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { parsePositiveInt } from '../duration.js';
import { renderTable } from '../output/table.js';

export async function sessions(ctx: CliContext, rawId: string, opts: { json?: boolean }): Promise<void> {
  const id = parsePositiveInt(rawId, 'ID', 2 ** 31 - 1);
  const res = await ctx.call(AuthRoutes.userSessions, { params: { id } });
  if (opts.json) {
    ctx.out(JSON.stringify(res.sessions, null, 2));
    return;
  }
  const rows = res.sessions.map((s) => [s.id, s.createdAt, s.lastSeenAt, s.address ?? '', s.userAgent ?? '']);
  ctx.out(renderTable(['Session', 'Signed in', 'Last seen', 'Address', 'User agent'], rows));
  ctx.out(`${res.sessions.length} session${res.sessions.length === 1 ? '' : 's'}`);
}

export async function revokeSession(
  ctx: CliContext,
  rawId: string,
  sessionId: string,
  opts: { json?: boolean },
): Promise<void> {
  const id = parsePositiveInt(rawId, 'ID', 2 ** 31 - 1);
  if (!new RegExp(SESSION_ID_PATTERN).test(sessionId))
    throw usageError(`SESSION must be a session id from course-cli user sessions ${id} (16 hex digits)`);
  const res = await ctx.call(AuthRoutes.revokeUserSession, { params: { id, sessionId } });
  if (opts.json) ctx.out(JSON.stringify(res, null, 2));
  else ctx.out(`${ctx.colors.green('✔')} Ended session ${sessionId} of user ${id}`);
}
