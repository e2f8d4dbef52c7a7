import type { FastifyBaseLogger } from 'fastify';
import type { RuntimeConfig } from '../../shared/config.js';
import { createBaseApp, type App } from '../../shared/create-app.js';
import { createRealtimePublisher, type RealtimePublisher } from '../../shared/realtime-publisher.js';
import type { ServiceClient } from '../../shared/service-client.js';
import type { AuthDeps } from './deps.js';
import { IdentityStore } from './identity-store.js';
import { adminRoutes } from './routes/admin-users.js';
import { codeRoutes } from './routes/codes.js';
import { internalRoutes } from './routes/internal.js';
import { loginRoutes } from './routes/login.js';
import { meRoutes } from './routes/me.js';
import { userLifecycleRoutes } from './routes/user-lifecycle.js';
import { PasswordVerifier } from './security/passwords.js';
import { LoginThrottle } from './security/throttle.js';
import { createSessionGuard } from './session-guard.js';
import { createSessionRevocations } from './session-revocations.js';
import { loadAuthSettings, type AuthSettings } from './settings.js';

export interface AuthAppOptions {
  readonly config: Pick<RuntimeConfig, 'internalToken' | 'host'>;
  /** reaches data_node (accounts, sessions) and realtime (admin events, disconnects) */
  readonly client: ServiceClient;
  readonly logger?: FastifyBaseLogger;
  /** defaults from the environment; tests override the clock and throttle */
  readonly settings?: Partial<AuthSettings>;
  readonly publisher?: RealtimePublisher;
}

/** auth_node: sign-in, registration, 2FA and admin user management. Never listens. */
export async function buildAuthApp(opts: AuthAppOptions): Promise<{ app: App; deps: AuthDeps }> {
  const settings: AuthSettings = { ...loadAuthSettings(process.env, opts.config.host), ...opts.settings };
  const app = createBaseApp({ service: 'auth_node', logger: opts.logger, internalToken: opts.config.internalToken });
  const store = new IdentityStore(opts.client);
  const passwords = new PasswordVerifier();
  // Hash the dummy in the background: start-up stays fast, and the first sign-in awaits it anyway.
  passwords.warmUp().catch((err: unknown) => app.log.error({ err }, 'could not prepare the dummy password hash'));
  const deps: AuthDeps = {
    store,
    settings,
    throttle: new LoginThrottle({ ...settings.throttle, now: settings.now }),
    passwords,
    publisher: opts.publisher ?? createRealtimePublisher(opts.client, opts.logger),
    guard: createSessionGuard(store, settings.requireAdmin2fa),
    revocations: createSessionRevocations(opts.client, app.log),
    internalToken: opts.config.internalToken,
    log: app.log,
  };
  await app.register(internalRoutes, deps);
  await app.register(loginRoutes, deps);
  await app.register(meRoutes, deps);
  await app.register(codeRoutes, deps);
  await app.register(adminRoutes, deps);
  await app.register(userLifecycleRoutes, deps);
  app.addHook('onClose', async () => {
    await deps.publisher.flush();
  });
  return { app, deps };
}
