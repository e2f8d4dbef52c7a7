import type { Server } from 'socket.io';
import { ADMIN_EVENT, CourseEvents, type InternalEvent } from '../../../contracts/realtime-internal.js';
import { Namespaces, type ServerEventData, type ServerEventName } from '../../../contracts/realtime.js';
import type { AdminEventType } from '../../../contracts/supervisor.js';
import type { Emission, SubmitResult, Throttler } from './throttler.js';

const KNOWN_NAMESPACES = new Set<string>(Object.values(Namespaces));

/**
 * The event type picks the namespace, so publishers never name one. chat:* and
 * notification:* go exactly where their handlers are served (see MESSAGING in sockets/namespaces.ts).
 */
const PREFIX_RULES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['course:', [Namespaces.courses]],
  ['selection:', [Namespaces.courses]],
  ['chat:', [Namespaces.root, Namespaces.chat]],
  ['notification:', [Namespaces.root, Namespaces.notification]],
  ['user:', [Namespaces.root, Namespaces.chat, Namespaces.notification]],
];
const EXACT_RULES: Readonly<Record<string, readonly string[]>> = {
  [ADMIN_EVENT]: [Namespaces.admin],
  [CourseEvents.board]: [Namespaces.admin],
  log: [Namespaces.logs],
};

export function namespacesFor(event: string, override?: string): readonly string[] {
  if (override !== undefined) return KNOWN_NAMESPACES.has(override) ? [override] : [];
  const exact = EXACT_RULES[event];
  if (exact) return exact;
  for (const [prefix, nsps] of PREFIX_RULES) if (event.startsWith(prefix)) return nsps;
  return [];
}

/**
 * Per event type, counted per namespace the event goes to (an event for two namespaces is two
 * deliveries): `received` submitted, `emitted` sent to clients, `coalesced` folded into or
 * replaced by another. Every received one is emitted, coalesced or still pending, so
 * emitted + coalesced never exceeds received.
 */
interface Counters {
  received: number;
  emitted: number;
  coalesced: number;
}

/** An event of the contract's server-to-client maps, with its payload's type. */
export interface PublishRequest<E extends ServerEventName> {
  readonly event: E;
  readonly data: ServerEventData<E>;
  /** built with `Rooms`; several rooms reach each socket in any of them once */
  readonly room?: string | readonly string[] | null;
  readonly namespace?: string;
  readonly throttle?: boolean;
}

/** An event from outside this process (POST /internal/emit, force-emit): typed by its sender, JSON here. */
type UntypedPublish = Pick<InternalEvent, 'event' | 'data' | 'namespace' | 'throttle'> & {
  readonly room?: string | readonly string[] | null;
};

/**
 * The one way anything server-side reaches clients: maps the event to its namespaces, runs it
 * through the throttler, emits through the adapter (so with Redis every instance's clients get
 * it) and counts what it did for /stats.
 */
export class EventManager {
  private readonly counters = new Map<string, Counters>();
  throttler!: Throttler;

  constructor(private readonly io: Server) {}

  private count(event: string): Counters {
    let c = this.counters.get(event);
    if (!c) {
      // cap the table: event names come from internal callers, but never trust a name to be bounded
      if (this.counters.size >= 1000) return { received: 0, emitted: 0, coalesced: 0 };
      c = { received: 0, emitted: 0, coalesced: 0 };
      this.counters.set(event, c);
    }
    return c;
  }

  /** Emit without the throttler (the throttler calls this when a window closes). */
  emitNow = (e: Emission): void => {
    const target = this.io.of(e.namespace);
    const room = e.room;
    if (typeof room === 'object' && room !== null) {
      // an empty list is nobody (socket.io would read `to([])` as everyone)
      if (room.length > 0) target.to([...room]).emit(e.event, e.data);
    } else (room ? target.to(room) : target).emit(e.event, e.data);
    this.count(e.event).emitted += 1;
  };

  /** Returns false when the event maps to no namespace (it is ignored). */
  publish<E extends ServerEventName>(req: PublishRequest<E>): boolean {
    return this.publishUntyped(req);
  }

  /** What another service published through its RealtimePublisher (typed there). */
  publishUntyped(req: UntypedPublish): boolean {
    const nsps = namespacesFor(req.event, req.namespace);
    if (nsps.length === 0) return false;
    const c = this.count(req.event);
    c.received += nsps.length;
    for (const namespace of nsps) {
      const r: SubmitResult = this.throttler.submit(
        { namespace, event: req.event, room: req.room ?? null, data: req.data },
        req.throttle,
      );
      if (r === 'coalesced') c.coalesced += 1;
    }
    return true;
  }

  async forceEmit(req: UntypedPublish): Promise<{ namespaces: string[]; replacedPending: boolean }> {
    const nsps = namespacesFor(req.event, req.namespace);
    let replacedPending = false;
    // Counted before the emit, which counts `emitted`: received first, so the sum never leads.
    if (nsps.length > 0) this.count(req.event).received += nsps.length;
    for (const namespace of nsps) {
      const r = await this.throttler.forceEmit({ namespace, event: req.event, room: req.room ?? null, data: req.data });
      // The pending one it replaced will never be emitted: it was folded into this one.
      if (r.replacedPending) this.count(req.event).coalesced += 1;
      replacedPending ||= r.replacedPending;
    }
    return { namespaces: [...nsps], replacedPending };
  }

  adminEvent(type: AdminEventType, data: unknown): void {
    this.publish({ event: ADMIN_EVENT, data: { type, data }, throttle: false });
  }

  stats(): Record<string, Counters> {
    return Object.fromEntries([...this.counters].map(([k, v]) => [k, { ...v }]));
  }
}
