import { stringify } from 'csv-stringify/sync';
import { AuthErrorCode, type AuthUser } from '../../../contracts/auth.js';
import { neutraliseCsvCell } from '../../../contracts/csv-cell.js';
import { AuthRoutes } from '../../../contracts/routes/auth.js';
import { DATA_BULK_ACTION_CHUNK, type DataBulkActionResult } from '../../../contracts/routes/data-identity.js';
import {
  BULK_ACTION_MAX,
  exportColumns,
  LifecycleErrorCode,
  type BulkActionRequest,
  type UserFilter,
} from '../../../contracts/user-lifecycle.js';
import { badRequest, conflict } from '../../../shared/app-error.js';
import type { App } from '../../../shared/create-app.js';
import { registerRoute } from '../../../shared/register-route.js';
import { adminEvent, audit, type AuthDeps } from '../deps.js';
import { generateCode, hashCode } from '../security/codes.js';
import { generatePassword, hashGeneratedPassword, hashPassword } from '../security/passwords.js';
import { manySessionsEnded, sessionEnded, sessionsEnded } from '../users/end-sessions.js';

const HOUR_MS = 3600_000;
const PAGE = 500;

/** What changed, for the audit log: `group: cs-2024 → math-2024; role: student → teacher`. */
function changes(before: AuthUser, after: AuthUser): string {
  const out: string[] = [];
  for (const key of ['name', 'email', 'group', 'role'] as const) {
    if (before[key] !== after[key]) out.push(`${key}: ${before[key] ?? '(none)'} → ${after[key] ?? '(none)'}`);
  }
  return out.join('; ') || 'no change';
}

/** Every user the list route's filter matches, by id; 400 TOO_MANY_USERS past `max`. */
async function idsMatching(deps: AuthDeps, filter: UserFilter, max: number): Promise<AuthUser[]> {
  const users: AuthUser[] = [];
  for (let page = 1; ; page++) {
    const res = await deps.store.listUsers({ ...filter, page, pageSize: PAGE, sort: 'id', order: 'asc' });
    if (res.total > max)
      throw badRequest(`${res.total} users match; at most ${max} at once`, LifecycleErrorCode.TOO_MANY_USERS);
    users.push(...res.items);
    if (res.items.length < PAGE) return users;
  }
}

function checkBulkRequest(body: BulkActionRequest): void {
  if ((body.ids === undefined) === (body.filter === undefined)) throw badRequest('give either ids or filter');
  if (body.action === 'set-group' && body.group === undefined) throw badRequest('set-group needs a group');
  if (body.action !== 'set-group' && body.group !== undefined) throw badRequest(`${body.action} takes no group`);
}

/** The help desk's user lifecycle (issue 17): edit, password reset, sessions, bulk actions, export. */
export async function userLifecycleRoutes(app: App, deps: AuthDeps): Promise<void> {
  const preHandler = deps.guard({ roles: ['admin'] });

  registerRoute(app, AuthRoutes.getUser, { preHandler }, async (request) => {
    const [user, detail] = await Promise.all([
      deps.store.user(request.params.id),
      deps.store.userDetail(request.params.id),
    ]);
    return { user, detail };
  });

  registerRoute(app, AuthRoutes.updateUser, { preHandler }, async (request) => {
    const actor = request.session!.account;
    const res = await deps.store.updateProfile(request.params.id, { ...request.body, actorId: actor.id });
    const { user, before, notOpenToGroup } = res;
    await audit(deps, request, 'user_updated', user.username, changes(before, user));
    adminEvent(deps, 'user_updated', { id: user.id, username: user.username });
    // A new group or role changes what the other services allow: their cached copies go.
    if (before.group !== user.group || before.role !== user.role) await deps.revocations.forgetUser(user.id);
    return { user, notOpenToGroup };
  });

  registerRoute(app, AuthRoutes.resetPassword, { preHandler }, async (request) => {
    const { id } = request.params;
    const { temporary, helpDesk, expiresInHours = 24 } = request.body;
    if (id === request.session!.account.id)
      throw conflict('change your own password at POST /me/password', AuthErrorCode.SELF_ACTION);
    const target = await deps.store.user(id);
    const sessions = await deps.store.revokeUserSessions(id);
    if (helpDesk) {
      // The old password stops working now; the code sets the new one with a new authenticator.
      await deps.store.updateUser(id, {
        passwordHash: hashGeneratedPassword(generatePassword()),
        mustChangePassword: true,
      });
      const code = generateCode();
      const info = await deps.store.createResetCode({
        codeHash: hashCode(code),
        userId: id,
        expiresAtMs: Math.round(deps.settings.now() + expiresInHours * HOUR_MS),
        createdBy: request.session!.account.id,
        helpDesk: true,
      });
      await sessionsEnded(deps, id, 'password reset');
      await audit(deps, request, 'password_reset', target.username, 'help-desk code');
      adminEvent(deps, 'code_generated', {
        id: info.id,
        kind: 'reset',
        username: target.username,
        expiresAt: info.expiresAt,
      });
      return { temporary: true, helpDeskCode: code, expiresAt: info.expiresAt, sessionsEnded: sessions };
    }
    const password = generatePassword();
    // A temporary password is a generated one like an import's (fast hash, must be changed); a
    // lasting one is hashed like any chosen password.
    const passwordHash = temporary ? hashGeneratedPassword(password) : await hashPassword(password);
    await deps.store.updateUser(id, { passwordHash, mustChangePassword: temporary });
    await sessionsEnded(deps, id, 'password reset');
    await audit(deps, request, 'password_reset', target.username, temporary ? 'temporary' : 'lasting');
    return { password, temporary, sessionsEnded: sessions };
  });

  registerRoute(app, AuthRoutes.userSessions, { preHandler }, async (request) => ({
    sessions: await deps.store.sessionsOf(request.params.id),
  }));

  registerRoute(app, AuthRoutes.revokeUserSession, { preHandler }, async (request) => {
    const { id, sessionId } = request.params;
    const user = await deps.store.user(id);
    await deps.store.revokeSession(id, sessionId);
    await sessionEnded(deps, id, sessionId, 'session ended by an admin');
    await audit(deps, request, 'session_revoked', user.username, `session ${sessionId}`);
    return { revoked: true as const, sessionId };
  });

  registerRoute(app, AuthRoutes.bulkAction, { preHandler }, async (request) => {
    const body = request.body;
    const { dryRun } = request.query;
    checkBulkRequest(body);
    const actor = request.session!.account;
    const ids = body.ids
      ? [...new Set(body.ids)]
      : (await idsMatching(deps, body.filter!, BULK_ACTION_MAX)).map((u) => u.id);
    const results: DataBulkActionResult[] = [];
    for (let i = 0; i < ids.length; i += DATA_BULK_ACTION_CHUNK) {
      const chunk = ids.slice(i, i + DATA_BULK_ACTION_CHUNK);
      results.push(
        ...(await deps.store.bulkAction({
          ids: chunk,
          action: body.action,
          ...(body.group !== undefined ? { group: body.group } : {}),
          actorId: actor.id,
          actor: actor.username,
          dryRun,
        })),
      );
      // The console shows a long run moving; the last event also says it finished.
      adminEvent(deps, 'bulk_progress', {
        action: body.action,
        dryRun,
        done: results.length,
        total: ids.length,
        finished: results.length === ids.length,
      });
    }
    const ended = results.filter((r) => r.sessionsEnded).map((r) => r.id);
    if (!dryRun && ended.length) await manySessionsEnded(deps, ended, `bulk ${body.action}`);
    if (!dryRun && body.action === 'set-group') {
      for (const r of results) if (r.ok) await deps.revocations.forgetUser(r.id);
    }
    const done = results.filter((r) => r.ok).length;
    if (!dryRun) {
      await audit(
        deps,
        request,
        'users_bulk_action',
        null,
        `${body.action}: ${done} done, ${results.length - done} refused`,
      );
    }
    return {
      action: body.action,
      dryRun,
      total: results.length,
      done,
      failed: results.length - done,
      results: results.map(({ sessionsEnded: _, ...r }) => r),
    };
  });

  registerRoute(app, AuthRoutes.exportUsers, { preHandler }, async (request, reply) => {
    const { role, group } = request.query;
    const users = await idsMatching(deps, { role, group }, Number.MAX_SAFE_INTEGER);
    const columns = exportColumns(role);
    const rows = users.map((u) => columns.map((c) => neutraliseCsvCell(String(u[c as keyof AuthUser] ?? ''))));
    await audit(
      deps,
      request,
      'users_exported',
      null,
      `${users.length} users${role ? ` (${role})` : ''}${group ? ` in ${group}` : ''}`,
    );
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="users${role ? `-${role}` : ''}.csv"`)
      .send(stringify([[...columns], ...rows], { record_delimiter: '\r\n' }));
  });
}
