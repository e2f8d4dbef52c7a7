import type { FastifyRequest } from 'fastify';
import { AuthErrorCode, LoginResponse } from '../../../contracts/auth.js';
import { AppError, forbidden, unauthorized } from '../../../shared/app-error.js';
import type { App } from '../../../shared/create-app.js';
import { audit, clientAddress, type AuthDeps } from '../deps.js';
import type { LoginAttempt } from '../security/throttle.js';
import { matchTotpStep } from '../security/totp.js';
import { markSignedIn } from '../session-guard.js';
import { AuthRoutes } from '../../../contracts/routes/auth.js';
import { registerRoute } from '../../../shared/register-route.js';

type LoginMode = 'admin' | 'member';

/**
 * One sign-in path for both routes. Every failure costs one argon2id verification and is
 * counted by the throttle; "no such user" and "wrong password" give the same answer.
 */
async function signIn(
  deps: AuthDeps,
  request: FastifyRequest,
  mode: LoginMode,
  body: { username: string; password: string; totp?: string },
): Promise<LoginResponse> {
  const address = clientAddress(request, deps.internalToken);
  const from = address ? `from ${address}` : null;
  // Reserved before the lookup, so parallel guesses are counted while they are in flight.
  let attempt: LoginAttempt;
  try {
    attempt = deps.throttle.begin(body.username, address);
  } catch (err) {
    // A throttle trip: who was being guessed at, and from where.
    void audit(deps, request, 'login_throttled', body.username, from, 'warn');
    throw err;
  }
  try {
    await attempt.pace(); // an account over its ceiling is slowed down, never locked
    return await judge(deps, request, mode, body, attempt, address);
  } catch (err) {
    // Every refused sign-in, of any role or of no such user, is in the log and the audit trail.
    if (err instanceof AppError && err.statusCode < 500 && err.code !== AuthErrorCode.TOTP_REQUIRED) {
      void audit(deps, request, 'login_failed', body.username, [err.code, from].filter(Boolean).join(' '), 'warn');
    }
    throw err;
  } finally {
    attempt.release(); // a path that neither failed nor succeeded (wrong route, 5xx) is not counted
  }
}

async function judge(
  deps: AuthDeps,
  request: FastifyRequest,
  mode: LoginMode,
  body: { username: string; password: string; totp?: string },
  attempt: LoginAttempt,
  address: string | null,
): Promise<LoginResponse> {
  const fail = (err: Error): never => {
    attempt.fail();
    throw err;
  };

  const cred = await deps.store.credentials(body.username);
  const passwordOk = await deps.passwords.verify(cred?.passwordHash ?? null, body.password);
  if (!cred || !passwordOk) fail(unauthorized('wrong username or password', AuthErrorCode.INVALID_CREDENTIALS));
  const { user } = cred!;
  if (mode === 'admin' && user.role !== 'admin')
    throw forbidden('students and teachers sign in at POST /login', AuthErrorCode.WRONG_LOGIN_ROUTE);
  if (mode === 'member' && user.role === 'admin')
    throw forbidden('admins sign in at POST /login/admin', AuthErrorCode.WRONG_LOGIN_ROUTE);
  if (user.disabled) throw forbidden('this account is disabled', AuthErrorCode.ACCOUNT_DISABLED);

  const secret = cred!.totpSecret;
  if (mode === 'member' && !secret) {
    throw forbidden(
      'this account has no two-factor secret; ask an admin for a 2FA reset code',
      AuthErrorCode.MFA_SETUP_REQUIRED,
    );
  }
  if (secret) {
    // Not a failed attempt: the password was right and the client now asks for the code.
    if (!body.totp)
      throw unauthorized('enter the 6-digit code from your authenticator app', AuthErrorCode.TOTP_REQUIRED);
    const step = matchTotpStep(secret, body.totp, deps.settings.now());
    if (step === null) fail(unauthorized('wrong or expired authenticator code', AuthErrorCode.INVALID_TOTP));
    // The step is spent atomically on the data side: of two concurrent uses only one wins.
    if (!(await deps.store.consumeTotpStep(user.id, step!))) {
      fail(
        unauthorized('this authenticator code was already used; wait for the next one', AuthErrorCode.TOTP_REPLAYED),
      );
    }
  }

  attempt.succeed();
  const grant = await deps.store.createSession(user.id, {
    idleSeconds: deps.settings.sessionIdleSeconds,
    absoluteSeconds: deps.settings.sessionAbsoluteSeconds,
  });
  const mfaSetupRequired = deps.settings.requireAdmin2fa && user.role === 'admin' && !user.totpEnabled;
  if (user.role === 'admin') {
    markSignedIn(request, user, { token: grant.token, expiresAt: grant.expiresAt, mfaSetupRequired });
    await audit(deps, request, 'admin_login', user.username, address ? `from ${address}` : null);
  }
  return { token: grant.token, expiresAt: grant.expiresAt, user, mfaSetupRequired };
}

export async function loginRoutes(app: App, deps: AuthDeps): Promise<void> {
  registerRoute(app, AuthRoutes.loginAdmin, {}, async (request) => signIn(deps, request, 'admin', request.body));

  registerRoute(app, AuthRoutes.login, {}, async (request) => signIn(deps, request, 'member', request.body));

  registerRoute(app, AuthRoutes.logout, { preHandler: deps.guard({ allowUnfinishedSetup: true }) }, async (request) => {
    const user = request.user!;
    const { token } = request.session!;
    await deps.store.revokeToken(token);
    await deps.revocations.forgetToken(token);
    // Live sockets opened with this session close too; fire-and-forget like every realtime call.
    void deps.publisher.disconnectUser(user.id, 'logout');
    return { loggedOut: true as const };
  });
}
