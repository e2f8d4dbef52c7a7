import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { AdminEventType } from '../../contracts/supervisor.js';
import { isInternalCall } from '../../shared/internal-auth.js';
import type { RealtimePublisher } from '../../shared/realtime-publisher.js';
import type { IdentityStore } from './identity-store.js';
import type { PasswordVerifier } from './security/passwords.js';
import type { LoginThrottle } from './security/throttle.js';
import type { SessionGuard } from './session-guard.js';
import type { SessionRevocations } from './session-revocations.js';
import type { AuthSettings } from './settings.js';

/** What every auth route plugin is handed. */
export interface AuthDeps {
  readonly store: IdentityStore;
  readonly settings: AuthSettings;
  readonly throttle: LoginThrottle;
  readonly passwords: PasswordVerifier;
  readonly publisher: RealtimePublisher;
  readonly guard: SessionGuard;
  /** tells the other services' session caches when sessions die */
  readonly revocations: SessionRevocations;
  readonly internalToken: string;
  readonly log: FastifyBaseLogger;
}

/**
 * The address failed logins are counted against. A forwarded address is believed only from
 * a caller we trust: another service (internal token) or a process on our private Unix
 * socket. Over the socket without one there is no network address to count.
 */
export function clientAddress(request: FastifyRequest, internalToken: string): string | null {
  const overSocket = !request.socket.remoteAddress;
  const forwarded = request.headers['x-forwarded-for'];
  if (typeof forwarded === 'string' && forwarded && (overSocket || isInternalCall(request, internalToken))) {
    return forwarded.split(',')[0]!.trim() || null;
  }
  return overSocket ? null : (request.ip ?? null);
}

/**
 * Append to the audit log, and say the same in the log stream with actor and target, so the
 * Logs view shows who did what as it happens. The action already happened, so a failure to
 * write the entry is logged, not thrown. `warn` for refusals (failed sign-ins, throttling).
 */
export async function audit(
  deps: AuthDeps,
  request: FastifyRequest,
  action: string,
  target?: string | null,
  detail?: string | null,
  level: 'info' | 'warn' = 'info',
): Promise<void> {
  const actor = request.user;
  deps.log[level](
    {
      actor: actor?.username ?? null,
      actorId: actor?.id ?? null,
      action,
      target: target ?? null,
      detail: detail ?? null,
    },
    action.replace(/_/g, ' '),
  );
  try {
    await deps.store.audit({
      actorId: actor?.id ?? null,
      actor: actor?.username ?? null,
      action,
      target: target ?? null,
      detail: detail ?? null,
    });
  } catch (err) {
    deps.log.warn({ err: (err as Error).message, action }, 'audit entry not written');
  }
}

/** Fire-and-forget: the console's live view is best effort, the database is the truth. */
export function adminEvent(deps: AuthDeps, type: AdminEventType, data: Record<string, unknown>): void {
  deps.publisher.adminEvent(type, data);
}
