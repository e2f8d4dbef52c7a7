import type { Logger } from 'pino';
import type { AdminEventType } from '../contracts/supervisor.js';
import { ADMIN_EVENT, type InternalEvent } from '../contracts/realtime-internal.js';
import type { ServiceClient } from './service-client.js';
import { RealtimeRoutes } from '../contracts/routes/realtime.js';

/**
 * How services publish to the realtime server. Events are batched for a few ms so a rush
 * becomes one internal call per batch, and a realtime outage never fails the caller's request.
 */
export interface RealtimePublisher {
  emit(event: Omit<InternalEvent, 'data'> & { data: unknown }): void;
  adminEvent(type: AdminEventType, data: Record<string, unknown>): void;
  /** every socket of the user, or with `sessionId` only those opened with that session */
  disconnectUser(userId: number, reason: string, sessionId?: string): Promise<void>;
  /** send what is buffered now (tests, shutdown) */
  flush(): Promise<void>;
}

export function createRealtimePublisher(
  client: ServiceClient,
  logger?: Pick<Logger, 'warn'>,
  opts: { batchMs?: number; maxBuffered?: number } = {},
): RealtimePublisher {
  const batchMs = opts.batchMs ?? 10;
  const maxBuffered = opts.maxBuffered ?? 20_000;
  let buffer: InternalEvent[] = [];
  let timer: NodeJS.Timeout | null = null;
  let warned = false;

  const send = async (): Promise<void> => {
    timer = null;
    if (buffer.length === 0) return;
    const events = buffer;
    buffer = [];
    try {
      for (let i = 0; i < events.length; i += 5000) {
        await client.call(RealtimeRoutes.emit, { body: { events: events.slice(i, i + 5000) }, timeoutMs: 2000 });
      }
      warned = false;
    } catch (err) {
      // Realtime is best effort: the state lives in the database, clients resync on reconnect.
      if (!warned) logger?.warn({ err: (err as Error).message }, 'realtime server unreachable; events dropped');
      warned = true;
    }
  };

  return {
    emit(event) {
      if (buffer.length >= maxBuffered) buffer.shift();
      buffer.push(event as InternalEvent);
      timer ??= setTimeout(() => void send(), batchMs);
    },
    adminEvent(type, data) {
      this.emit({ event: ADMIN_EVENT, data: { type, data }, throttle: false });
    },
    async disconnectUser(userId, reason, sessionId) {
      try {
        const body = sessionId ? { userId, reason, sessionId } : { userId, reason };
        await client.call(RealtimeRoutes.disconnectUser, { body, timeoutMs: 2000 });
      } catch (err) {
        logger?.warn({ err: (err as Error).message, userId }, 'could not disconnect user sockets');
      }
    },
    async flush() {
      if (timer) clearTimeout(timer);
      await send();
    },
  };
}
