import { AuthErrorCode } from '../../../contracts/auth.js';
import { badRequest, forbidden, notFound, unauthorized } from '../../../shared/app-error.js';
import type { App } from '../../../shared/create-app.js';
import { ServiceCallError } from '../../../shared/service-client.js';
import { adminEvent, audit, clientAddress, type AuthDeps } from '../deps.js';
import { generateCode, hashCode } from '../security/codes.js';
import { assertPasswordAllowed } from '../security/password-rule.js';
import { hashPassword } from '../security/passwords.js';
import { newTotpEnrollment } from '../security/totp.js';
import { createAccounts } from '../users/create-accounts.js';
import { AuthRoutes } from '../../../contracts/routes/auth.js';
import { registerRoute } from '../../../shared/register-route.js';

const HOUR_MS = 3600_000;
const isCodeError = (err: unknown) =>
  err instanceof ServiceCallError && err.statusCode === 400 && err.code.startsWith('CODE_');
/** A registration data_node refused (any dead code, or a taken name): counted like a failed sign-in. */
const isRefusedRegistration = (err: unknown) =>
  isCodeError(err) || (err instanceof ServiceCallError && err.code === AuthErrorCode.USERNAME_TAKEN);

/** Registration codes, 2FA reset codes and the other admin endpoints. */
export async function codeRoutes(app: App, deps: AuthDeps): Promise<void> {
  const adminOnly = deps.guard({ roles: ['admin'] });

  registerRoute(app, AuthRoutes.register, {}, async (request, reply) => {
    const { code, username, name, email, password } = request.body;
    await assertPasswordAllowed(password, username); // costs nothing, so not counted as a failure
    // Failed registrations count against the address like failed sign-ins, so neither codes
    // can be guessed nor dead codes replayed at speed.
    const address = clientAddress(request, deps.internalToken);
    const key = `register@${address ?? 'local'}`;
    // Only the address cap counts attempts in flight: a class registering at once from one lab is fine.
    const attempt = deps.throttle.begin(key, address, { reserveAccount: false });
    const enrollment = newTotpEnrollment(username);
    const codeHash = hashCode(code);
    try {
      // A dead code or a taken name is refused before an argon2id hash is spent on it.
      await deps.store.checkRegistration({ codeHash, username });
      const user = await deps.store.register({
        codeHash,
        username,
        name,
        email,
        passwordHash: await hashPassword(password),
        totpSecret: enrollment.totpSecret,
      });
      await audit(deps, request, 'registered', user.username, `${user.role}${user.group ? ` in ${user.group}` : ''}`);
      adminEvent(deps, 'user_created', {
        id: user.id,
        username: user.username,
        role: user.role,
        via: 'registration',
      });
      return reply.code(201).send({ user, ...enrollment });
    } catch (err) {
      if (isRefusedRegistration(err)) attempt.fail();
      throw err;
    } finally {
      attempt.release();
    }
  });

  registerRoute(app, AuthRoutes.generateRegistrationCode, { preHandler: adminOnly }, async (request, reply) => {
    const { userType, maxUses, expiresInHours = 72, group } = request.body;
    if (group && userType !== 'student') throw badRequest('only student codes carry a group');
    const code = generateCode();
    const info = await deps.store.createRegistrationCode({
      codeHash: hashCode(code),
      userType,
      group: group ?? null,
      maxUses,
      expiresAtMs: Math.round(deps.settings.now() + expiresInHours * HOUR_MS),
      createdBy: request.user!.id,
    });
    await audit(deps, request, 'registration_code_generated', `code #${info.id}`, `${userType} × ${maxUses}`);
    // The event names the code's id, never the code itself.
    adminEvent(deps, 'code_generated', {
      id: info.id,
      kind: 'registration',
      userType,
      maxUses,
      expiresAt: info.expiresAt,
    });
    return reply.code(201).send({ code, info });
  });

  registerRoute(app, AuthRoutes.generateResetCode, { preHandler: adminOnly }, async (request, reply) => {
    const { username, expiresInHours = 24 } = request.body;
    const cred = await deps.store.credentials(username);
    if (!cred) throw notFound(`no user named ${username}`, AuthErrorCode.USER_NOT_FOUND);
    const code = generateCode();
    const info = await deps.store.createResetCode({
      codeHash: hashCode(code),
      userId: cred.user.id,
      expiresAtMs: Math.round(deps.settings.now() + expiresInHours * HOUR_MS),
      createdBy: request.user!.id,
    });
    await audit(deps, request, 'reset_code_generated', cred.user.username);
    adminEvent(deps, 'code_generated', {
      id: info.id,
      kind: 'reset',
      username: cred.user.username,
      expiresAt: info.expiresAt,
    });
    return reply.code(201).send({ code, info });
  });

  registerRoute(app, AuthRoutes.resetTotp, {}, async (request) => {
    const { username, code, password } = request.body;
    const address = clientAddress(request, deps.internalToken);
    const attempt = deps.throttle.begin(username, address);
    try {
      await attempt.pace();
      const cred = await deps.store.credentials(username);
      const ok = await deps.passwords.verify(cred?.passwordHash ?? null, password);
      if (!cred || !ok) {
        attempt.fail();
        throw unauthorized('wrong username or password', AuthErrorCode.INVALID_CREDENTIALS);
      }
      if (cred.user.disabled) throw forbidden('this account is disabled', AuthErrorCode.ACCOUNT_DISABLED);
      const enrollment = newTotpEnrollment(cred.user.username);
      await deps.store
        .resetTotp({ userId: cred.user.id, codeHash: hashCode(code), totpSecret: enrollment.totpSecret })
        .catch((err: unknown) => {
          if (isCodeError(err)) attempt.fail();
          throw err;
        });
      attempt.succeed();
      // The data side ended the user's sessions; caches and live sockets follow at once.
      await deps.revocations.forgetUser(cred.user.id);
      void deps.publisher.disconnectUser(cred.user.id, '2fa reset');
      await audit(deps, request, 'totp_reset', cred.user.username);
      return enrollment;
    } finally {
      attempt.release();
    }
  });

  registerRoute(app, AuthRoutes.addAdmin, { preHandler: adminOnly }, async (request, reply) => {
    const { username, name, email, password } = request.body;
    const { results } = await createAccounts(deps, [{ role: 'admin', username, name, email, password }], true, {
      allowAdmin: true,
    });
    const user = await deps.store.user(results[0]!.id!);
    await audit(deps, request, 'admin_added', user.username);
    adminEvent(deps, 'user_created', { id: user.id, username: user.username, role: 'admin' });
    return reply.code(201).send({ user });
  });
}
