import type { Database } from 'better-sqlite3';
import { AuthErrorCode } from '../../../contracts/auth.js';
import { notFound, unauthorized } from '../../../shared/app-error.js';
import type { App } from '../../../shared/create-app.js';
import type { AuditRepo } from '../identity/audit-repo.js';
import { CodesRepo } from '../identity/codes-repo.js';
import { SessionsRepo } from '../identity/sessions-repo.js';
import { UsersRepo } from '../identity/users-repo.js';
import { DataIdentityRoutes as D } from '../../../contracts/routes/data-identity.js';
import { registerRoute } from '../../../shared/register-route.js';

export interface DataRouteOptions {
  readonly db: Database;
  /** a deleted student's seats promote those courses' waitlists in the same transaction */
  readonly seatsFreed?: (courseIds: number[], studentId: number) => void;
  /** the one writer of audit_log, shared by identity and course routes */
  readonly audit: AuditRepo;
}

/** Identity storage. Internal only (app.ts checks the token); auth_node holds the rules. */
export async function identityRoutes(app: App, opts: DataRouteOptions): Promise<void> {
  const users = new UsersRepo(opts.db);
  const sessions = new SessionsRepo(opts.db);
  const codes = new CodesRepo(opts.db, users);
  const { audit } = opts;

  registerRoute(app, D.insertUsers, {}, async (req) => users.insertBulk(req.body.users, req.body.atomic));

  registerRoute(app, D.listUsers, {}, async (req) => users.list(req.query));

  registerRoute(app, D.getUser, {}, async (req) => ({ user: users.get(req.params.id) }));

  registerRoute(app, D.updateUser, {}, async (req) => ({ user: users.update(req.params.id, req.body) }));

  registerRoute(app, D.deleteUser, {}, async (req) => {
    users.delete(req.params.id, opts.seatsFreed);
    return { deleted: true as const, id: req.params.id };
  });

  registerRoute(app, D.credentials, {}, async (req) => {
    const credentials = users.credentials(req.body.username);
    if (!credentials) throw notFound('no such user', AuthErrorCode.USER_NOT_FOUND);
    return { credentials };
  });

  registerRoute(app, D.consumeTotpStep, {}, async (req) => ({
    accepted: users.consumeTotpStep(req.params.id, req.body.step),
  }));

  registerRoute(app, D.bootstrapAdmin, {}, async (req) => {
    const user = users.bootstrapAdmin({ ...req.body, role: 'admin' });
    return { created: user !== null, user };
  });

  registerRoute(app, D.createSession, {}, async (req, reply) => {
    const { userId, ...ttl } = req.body;
    return reply.code(201).send(sessions.create(userId, ttl));
  });

  registerRoute(app, D.createSessions, {}, async (req, reply) => {
    const { userIds, ...ttl } = req.body;
    return reply.code(201).send({ sessions: sessions.createBulk(userIds, ttl) });
  });

  registerRoute(app, D.resolveSession, {}, async (req) => {
    const found = sessions.resolve(req.body.token);
    if (!found) throw unauthorized('session expired or invalid', AuthErrorCode.INVALID_SESSION);
    return found;
  });

  registerRoute(app, D.resolveSessions, {}, async (req) => ({ results: sessions.resolveMany(req.body.tokens) }));

  registerRoute(app, D.revokeSessions, {}, async (req) => {
    const b = req.body;
    return { revoked: 'token' in b ? sessions.revokeToken(b.token) : sessions.revokeUser(b.userId, b.exceptToken) };
  });

  registerRoute(app, D.createRegistrationCode, {}, async (req, reply) =>
    reply.code(201).send({ code: codes.createRegistration(req.body) }),
  );

  registerRoute(app, D.createResetCode, {}, async (req, reply) =>
    reply.code(201).send({ code: codes.createReset(req.body) }),
  );

  registerRoute(app, D.listCodes, {}, async (req) => ({ items: codes.list(req.query) }));

  registerRoute(app, D.revokeCode, {}, async (req) => ({ code: codes.revoke(req.query.kind, req.params.id) }));

  registerRoute(app, D.register, {}, async (req, reply) => reply.code(201).send({ user: codes.register(req.body) }));

  registerRoute(app, D.registerCheck, {}, async (req) => {
    codes.checkRegistration(req.body.codeHash, req.body.username);
    return { usable: true as const };
  });

  registerRoute(app, D.resetTotp, {}, async (req) => ({ user: codes.resetTotp(req.body) }));

  registerRoute(app, D.appendAudit, {}, async (req, reply) => reply.code(201).send({ id: audit.append(req.body) }));

  registerRoute(app, D.listAudit, {}, async (req) => ({ items: audit.list(req.query) }));
}
