import { errorResponses } from '../../../contracts/errors.js';
import { SESSION_RESOLVE_PATH, SessionResolveRequest, SessionResolveResponse } from '../../../contracts/session.js';
import { AuthErrorCode } from '../../../contracts/auth.js';
import { unauthorized } from '../../../shared/app-error.js';
import type { App } from '../../../shared/create-app.js';
import { requireInternal } from '../../../shared/internal-auth.js';
import type { AuthDeps } from '../deps.js';
import { setupBlock } from '../session-guard.js';

/**
 * The hot path every other service uses to turn a bearer token into a user. One hop to
 * data_node (a SHA-256 and an indexed lookup); callers cache the answer for a few seconds.
 */
export async function internalRoutes(app: App, deps: AuthDeps): Promise<void> {
  app.post(
    SESSION_RESOLVE_PATH,
    {
      preHandler: requireInternal(deps.internalToken),
      schema: { body: SessionResolveRequest, response: { 200: SessionResolveResponse, ...errorResponses } },
    },
    async (request) => {
      const found = await deps.store.resolveSession(request.body.token);
      if (!found) throw unauthorized('session expired or invalid', AuthErrorCode.INVALID_SESSION);
      const block = setupBlock(found.user, deps.settings.requireAdmin2fa);
      if (block) throw block;
      const { id, username, name, role, group } = found.user;
      return { user: { id, username, name, role, group }, expiresAt: found.expiresAt };
    },
  );
}
