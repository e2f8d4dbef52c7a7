import { AuthErrorCode } from '../../../contracts/auth.js';
import { bodyLimitFor } from '../../../contracts/body-limits.js';
import { conflict } from '../../../shared/app-error.js';
import type { App } from '../../../shared/create-app.js';
import { adminEvent, audit, type AuthDeps } from '../deps.js';
import { createAccounts } from '../users/create-accounts.js';
import { AuthRoutes } from '../../../contracts/routes/auth.js';
import { registerRoute } from '../../../shared/register-route.js';

/** Admin user and code management for the CLI and the console. */
export async function adminRoutes(app: App, deps: AuthDeps): Promise<void> {
  const preHandler = deps.guard({ roles: ['admin'] });
  const notSelf = (selfId: number, id: number, what: string) => {
    if (selfId === id) throw conflict(`you cannot ${what} your own account`, AuthErrorCode.SELF_ACTION);
  };

  registerRoute(app, AuthRoutes.listUsers, { preHandler }, async (request) => deps.store.listUsers(request.query));

  registerRoute(app, AuthRoutes.getUser, { preHandler }, async (request) => ({
    user: await deps.store.user(request.params.id),
  }));

  registerRoute(app, AuthRoutes.createUser, { preHandler }, async (request, reply) => {
    const { results } = await createAccounts(deps, [request.body], true);
    const row = results[0]!;
    const user = await deps.store.user(row.id!);
    await audit(deps, request, 'user_created', user.username, user.role);
    adminEvent(deps, 'user_created', { id: user.id, username: user.username, role: user.role });
    return reply.code(201).send({
      user,
      ...(row.initialPassword ? { initialPassword: row.initialPassword } : {}),
      totpSecret: row.totpSecret!,
      otpauthUri: row.otpauthUri!,
    });
  });

  registerRoute(
    app,
    AuthRoutes.importUsers,
    {
      preHandler,
      bodyLimit: bodyLimitFor('auth_node', 'POST', AuthRoutes.importUsers.url),
    },
    async (request) => {
      const result = await createAccounts(deps, request.body.users, request.body.atomic);
      await audit(deps, request, 'users_imported', null, `${result.created} created, ${result.failed} failed`);
      if (result.created > 0) adminEvent(deps, 'user_created', { count: result.created, via: 'import' });
      return result;
    },
  );

  registerRoute(app, AuthRoutes.disableUser, { preHandler }, async (request) => {
    notSelf(request.user!.id, request.params.id, 'disable');
    // The data side ends every session of the user in the same transaction.
    const user = await deps.store.updateUser(request.params.id, { disabled: true });
    await deps.revocations.forgetUser(user.id);
    void deps.publisher.disconnectUser(user.id, 'account disabled');
    await audit(deps, request, 'user_disabled', user.username);
    adminEvent(deps, 'user_disabled', { id: user.id, username: user.username, disabled: true });
    return { user };
  });

  registerRoute(app, AuthRoutes.enableUser, { preHandler }, async (request) => {
    const user = await deps.store.updateUser(request.params.id, { disabled: false });
    await audit(deps, request, 'user_enabled', user.username);
    adminEvent(deps, 'user_disabled', { id: user.id, username: user.username, disabled: false });
    return { user };
  });

  registerRoute(app, AuthRoutes.deleteUser, { preHandler }, async (request) => {
    const { id } = request.params;
    notSelf(request.user!.id, id, 'delete');
    const user = await deps.store.user(id);
    await deps.store.deleteUser(id);
    await deps.revocations.forgetUser(id);
    void deps.publisher.disconnectUser(id, 'account deleted');
    await audit(deps, request, 'user_deleted', user.username, user.role);
    adminEvent(deps, 'user_deleted', { id, username: user.username, role: user.role });
    return { deleted: true as const, id };
  });

  registerRoute(app, AuthRoutes.listCodes, { preHandler }, async (request) => ({
    items: await deps.store.listCodes(request.query),
  }));

  registerRoute(app, AuthRoutes.revokeCode, { preHandler }, async (request) => {
    const code = await deps.store.revokeCode(request.query.kind, request.params.id);
    await audit(deps, request, 'code_revoked', `${code.kind} code #${code.id}`);
    adminEvent(deps, 'code_revoked', { id: code.id, kind: code.kind });
    return { code };
  });

  registerRoute(app, AuthRoutes.audit, { preHandler }, async (request) => deps.store.listAudit(request.query));
}
