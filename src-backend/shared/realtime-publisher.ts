import type { Logger } from 'pino';
import type { AdminEventType } from '../contracts/supervisor.js';
import {
  ADMIN_EVENT,
  REALTIME_EMIT_BATCH_MAX,
  type InternalEvent,
  type PublishedEvent,
} from '../contracts/realtime-internal.js';
import type { ServerEventName } from '../contracts/realtime.js';
import { MicroBatcher } from './micro-batcher.js';
import type { ServiceClient } from './service-client.js';
import { RealtimeRoutes } from '../contracts/routes/realtime.js';

/**
 * How services publish to the realtime server. Events are batched for a few ms so a rush
 * becomes one internal call per batch, and a realtime outage never fails the caller's request.
 */
export interface RealtimePublisher {
  /** the event and its payload are checked against the contract's server-to-client maps */
  emit<E extends ServerEventName>(event: PublishedEvent<E>): void;
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
  let warned = false;
  const batcher = new MicroBatcher<InternalEvent>({
    windowMs: opts.batchMs ?? 10,
    maxBatch: REALTIME_EMIT_BATCH_MAX,
    // One call out at a time, so events arrive in the order they were published: two calls in
    // flight at once could land swapped, and a client would keep the older seat count or see a
    // progress bar step back. What queues meanwhile goes in the next call (batches grow with the
    // load); a slow realtime server holds events back up to the call timeout, and what waits is
    // bounded, the oldest giving way (events are best effort).
    maxInFlight: 1,
    maxQueued: opts.maxBuffered ?? 20_000,
    send: async (events) => {
      try {
        await client.call(RealtimeRoutes.emit, { body: { events }, timeoutMs: 2000 });
        warned = false;
      } catch (err) {
        // Realtime is best effort: the state lives in the database, clients resync on reconnect.
        if (!warned) logger?.warn({ err: (err as Error).message }, 'realtime server unreachable; events dropped');
        warned = true;
      }
    },
  });

  return {
    emit(event) {
      batcher.push(event);
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
    flush() {
      return batcher.drain();
    },
  };
}
