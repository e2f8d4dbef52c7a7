import type { FastifyBaseLogger } from 'fastify';
import type { EventManager } from '../core/event-manager.js';
import type { LogStream } from '../core/log-stream.js';
import type { MessagingStore } from '../core/messaging-store.js';
import type { Notifier } from '../core/notifier.js';
import type { Presence } from '../core/presence.js';
import type { PresenceScopes } from '../core/presence-scopes.js';
import type { UserDirectory } from '../core/user-directory.js';
import type { AbuseGuard } from './abuse.js';

/** What the per-domain handler modules need; built once in app.ts. */
export interface HandlerDeps {
  readonly events: EventManager;
  readonly store: MessagingStore;
  readonly notifier: Notifier;
  readonly presence: Presence;
  readonly scopes: PresenceScopes;
  readonly users: UserDirectory;
  readonly logs: LogStream;
  readonly abuse: AbuseGuard;
  readonly logger: Pick<FastifyBaseLogger, 'warn' | 'error'>;
}
