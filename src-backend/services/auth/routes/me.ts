import { AuthErrorCode } from '../../../contracts/auth.js';
import { badRequest, conflict, unauthorized } from '../../../shared/app-error.js';
import type { App } from '../../../shared/create-app.js';
import { audit, clientAddress, type AuthDeps } from '../deps.js';
import { assertPasswordAllowed } from '../security/password-rule.js';
import { hashPassword } from '../security/passwords.js';
import { matchTotpStep, newTotpEnrollment } from '../security/totp.js';
import { AuthRoutes } from '../../../contracts/routes/auth.js';
import { registerRoute } from '../../../shared/register-route.js';

/** Self-service, including the first-run steps a fresh admin must take. */
export async function meRoutes(app: App, deps: AuthDeps): Promise<void> {
  const firstRun = deps.guard({ allowUnfinishedSetup: true });

  registerRoute(app, AuthRoutes.me, { preHandler: firstRun }, async (request) => {
    const { account, expiresAt, mfaSetupRequired } = request.session!;
    return { user: account, expiresAt, mfaSetupRequired };
  });

  registerRoute(app, AuthRoutes.changePassword, { preHandler: firstRun }, async (request) => {
    const user = request.user!;
    const { token } = request.session!;
    const { currentPassword, newPassword } = request.body;
    await assertPasswordAllowed(newPassword, user.username);
    const address = clientAddress(request, deps.internalToken);
    const attempt = deps.throttle.begin(user.username, address);
    try {
      const cred = await deps.store.credentials(user.username);
      if (!cred || !(await deps.passwords.verify(cred.passwordHash, currentPassword))) {
        attempt.fail();
        throw unauthorized('the current password is wrong', AuthErrorCode.INVALID_CREDENTIALS);
      }
    } finally {
      attempt.release();
    }
    if (newPassword === currentPassword) throw badRequest('the new password must differ from the current one');
    // Other sessions end (someone may know the old password); this one stays signed in.
    const updated = await deps.store.updateUser(user.id, {
      passwordHash: await hashPassword(newPassword),
      mustChangePassword: false,
      keepSessionToken: token,
    });
    await deps.revocations.forgetUser(user.id); // this session re-resolves; the others are gone
    await audit(deps, request, 'password_changed', user.username);
    return { user: updated };
  });

  registerRoute(
    app,
    AuthRoutes.enrollTotp,
    { preHandler: deps.guard({ allowUnfinishedSetup: true, roles: ['admin'] }) },
    async (request) => {
      const user = request.session!.account;
      if (user.totpEnabled)
        throw conflict('two-factor authentication is already on for this account', AuthErrorCode.TOTP_ALREADY_ENABLED);
      const enrollment = newTotpEnrollment(user.username);
      await deps.store.updateUser(user.id, { totpPendingSecret: enrollment.totpSecret });
      return enrollment;
    },
  );

  registerRoute(app, AuthRoutes.replaceTotp, { preHandler: deps.guard({ roles: ['admin'] }) }, async (request) => {
    const user = request.session!.account;
    if (!user.totpEnabled)
      throw conflict('two-factor sign-in is not on for this account: enrol instead', AuthErrorCode.NO_PENDING_TOTP);
    const { currentPassword, totp } = request.body;
    // Counted like a sign-in: this route must not become a way to guess passwords or codes.
    const attempt = deps.throttle.begin(user.username, clientAddress(request, deps.internalToken));
    try {
      const cred = await deps.store.credentials(user.username);
      if (!cred || !(await deps.passwords.verify(cred.passwordHash, currentPassword))) {
        attempt.fail();
        throw unauthorized('the current password is wrong', AuthErrorCode.INVALID_CREDENTIALS);
      }
      const step = cred.totpSecret ? matchTotpStep(cred.totpSecret, totp, deps.settings.now()) : null;
      if (step === null || !(await deps.store.consumeTotpStep(user.id, step))) {
        attempt.fail();
        throw unauthorized('wrong, expired or already used authenticator code', AuthErrorCode.INVALID_TOTP);
      }
      attempt.succeed();
    } finally {
      attempt.release();
    }
    const enrollment = newTotpEnrollment(user.username);
    await deps.store.updateUser(user.id, { totpPendingSecret: enrollment.totpSecret });
    return enrollment;
  });

  registerRoute(
    app,
    AuthRoutes.confirmTotp,
    { preHandler: deps.guard({ allowUnfinishedSetup: true, roles: ['admin'] }) },
    async (request) => {
      const user = request.session!.account;
      const cred = await deps.store.credentials(user.username);
      const pending = cred?.totpPendingSecret;
      // With 2FA on, only a replacement started with password and code leaves a pending secret.
      if (user.totpEnabled && !pending)
        throw conflict('two-factor authentication is already on for this account', AuthErrorCode.TOTP_ALREADY_ENABLED);
      if (!pending) throw conflict('start with POST /me/2fa/enroll', AuthErrorCode.NO_PENDING_TOTP);
      const step = matchTotpStep(pending, request.body.totp, deps.settings.now());
      if (step === null) throw badRequest('wrong or expired authenticator code', AuthErrorCode.INVALID_TOTP);
      // The confirming code's step counts as used, so it cannot sign in a second time.
      const updated = await deps.store.updateUser(user.id, {
        totpSecret: pending,
        totpPendingSecret: null,
        totpLastStep: step,
      });
      await audit(deps, request, user.totpEnabled ? 'totp_replaced' : 'totp_enabled', user.username);
      return { user: updated };
    },
  );
}
