import { SessionResolveResponse, type SessionResolveRefusal } from '../../../contracts/session.js';
import { AuthErrorCode } from '../../../contracts/auth.js';
import type { DataResolveSessionResponse } from '../../../contracts/routes/data-identity.js';
import { AppError, unauthorized } from '../../../shared/app-error.js';
import type { App } from '../../../shared/create-app.js';
import { SESSION_LOOKUP_RETRY_MS, retryTransient } from '../../../shared/retry.js';
import type { AuthDeps } from '../deps.js';
import { setupBlock } from '../session-guard.js';
import { AuthRoutes } from '../../../contracts/routes/auth.js';
import { registerRoute } from '../../../shared/register-route.js';

/**
 * What the resolve routes answer for one data_node lookup: the session's user, or the error
 * the caller must see (unknown/expired/disabled → 401, unfinished set-up → 403).
 */
function judge(found: DataResolveSessionResponse | null, requireAdmin2fa: boolean): SessionResolveResponse | Error {
  if (!found) return unauthorized('session expired or invalid', AuthErrorCode.INVALID_SESSION);
  const block = setupBlock(found.user, requireAdmin2fa);
  if (block) return block;
  const { id, username, name, role, group } = found.user;
  return { user: { id, username, name, role, group }, expiresAt: found.expiresAt };
}

function refusal(err: Error): SessionResolveRefusal {
  // judge only makes AppErrors; anything else is a bug and fails the whole batch with a 500
  if (!(err instanceof AppError) || err.statusCode < 400 || err.statusCode > 499) throw err;
  return { error: { status: err.statusCode, code: err.code, message: err.message } };
}

/**
 * The hot path every other service uses to turn a bearer token into a user. One hop to
 * data_node (a SHA-256 and an indexed lookup); callers cache the answer for a few seconds,
 * and send their misses in batches to the resolve-batch route.
 */
export async function internalRoutes(app: App, deps: AuthDeps): Promise<void> {
  registerRoute(app, AuthRoutes.resolveSession, {}, async (request) => {
    const answer = judge(await deps.store.resolveSession(request.body.token), deps.settings.requireAdmin2fa);
    if (answer instanceof Error) throw answer;
    return answer;
  });

  registerRoute(app, AuthRoutes.resolveSessions, {}, async (request) => {
    // a restarting data_node is waited for: the callers' first requests of a rush depend on this
    const found = await retryTransient(() => deps.store.resolveSessions(request.body.tokens), SESSION_LOOKUP_RETRY_MS);
    return {
      results: found.map((f) => {
        const answer = judge(f, deps.settings.requireAdmin2fa);
        return answer instanceof Error ? refusal(answer) : answer;
      }),
    };
  });
}
