import type { Server } from 'socket.io';
import { Namespaces, Rooms } from '../../../contracts/realtime.js';
import { badRequest } from '../../../shared/app-error.js';
import type { App } from '../../../shared/create-app.js';
import type { SessionResolver } from '../../../shared/session-auth.js';
import type { EventManager } from '../core/event-manager.js';
import { normalizeIds } from '../core/ids.js';
import type { LogStream } from '../core/log-stream.js';
import type { Notifier } from '../core/notifier.js';
import type { Presence } from '../core/presence.js';
import type { Throttler } from '../core/throttler.js';
import type { AbuseGuard } from '../sockets/abuse.js';
import { requireInternalOrAdmin } from './access.js';
import { RealtimeRoutes } from '../../../contracts/routes/realtime.js';
import { registerRoute } from '../../../shared/register-route.js';

export interface RouteDeps {
  readonly io: Server;
  readonly events: EventManager;
  readonly throttler: Throttler;
  readonly notifier: Notifier;
  readonly presence: Presence;
  readonly logs: LogStream;
  readonly abuse: AbuseGuard;
  readonly resolver: SessionResolver;
  readonly internalToken: string;
  readonly adapter: 'memory' | 'redis';
  readonly instanceId: string;
  /** the TCP port actually listened on (known after listen) */
  port(): number;
}

const ALL_NAMESPACES = Object.values(Namespaces);

function localCount(io: Server, nsp: string): number {
  return io.of(nsp).sockets.size;
}

/** The realtime server's HTTP side: /health, /stats, /api and the internal API (RealtimeRoutes). */
export async function realtimeRoutes(app: App, d: RouteDeps): Promise<void> {
  // every POST (and the management reads) takes another service's internal token or an admin
  // session, checked on the request line: nobody else gets a body parsed or validated
  const staff = requireInternalOrAdmin(d.internalToken, d.resolver);
  // older clients send user ids as strings ("recipientId": "12"): digits become numbers before validation
  app.addHook('preValidation', async (request) => {
    request.body = normalizeIds(request.body);
  });

  registerRoute(app, RealtimeRoutes.health, {}, async () => {
    const log = localCount(d.io, Namespaces.logs);
    const admin = localCount(d.io, Namespaces.admin);
    const total = ALL_NAMESPACES.reduce((n, nsp) => n + localCount(d.io, nsp), 0);
    return {
      status: 'healthy' as const,
      service: 'socketio' as const,
      port: d.port(),
      connections: { log_connections: log, admin_connections: admin, total_connections: total },
    };
  });

  // who is online and how busy each namespace is: staff only, like the rest of the API
  registerRoute(app, RealtimeRoutes.stats, { onRequest: staff }, async () => {
    const connections: Record<string, number> = {};
    let rooms = 0;
    for (const nsp of ALL_NAMESPACES) {
      const n = d.io.of(nsp);
      connections[nsp] = n.sockets.size;
      // every socket sits in a private room named after its id; those are not rooms anyone made
      for (const [room, members] of n.adapter.rooms) if (!(members.size === 1 && members.has(room))) rooms += 1;
    }
    return {
      service: 'socketio' as const,
      instanceId: d.instanceId,
      uptime: Math.round(process.uptime() * 1000) / 1000,
      adapter: d.adapter,
      connections,
      totalConnections: Object.values(connections).reduce((a, b) => a + b, 0),
      rooms,
      onlineUsers: (await d.presence.online()).length,
      pendingEvents: await d.throttler.pendingCount(),
      events: d.events.stats(),
      dropped: d.abuse.dropped(),
    };
  });

  registerRoute(app, RealtimeRoutes.emit, { onRequest: staff }, async (request, reply) => {
    let accepted = 0;
    for (const e of request.body.events) if (d.events.publishUntyped(e)) accepted += 1;
    return reply.code(202).send({ accepted, ignored: request.body.events.length - accepted });
  });

  registerRoute(app, RealtimeRoutes.logs, { onRequest: staff }, async (request, reply) => {
    d.logs.ingest(request.body.lines);
    return reply.code(202).send({ accepted: request.body.lines.length });
  });

  registerRoute(app, RealtimeRoutes.disconnectUser, { onRequest: staff }, async (request) => {
    const room = Rooms.user(request.body.userId);
    // sessions resolved here but no longer connected (a closed tab) are in the cache too
    d.resolver.forgetUser(request.body.userId);
    let disconnected = 0;
    for (const name of ALL_NAMESPACES) {
      const sockets = await d.io.of(name).in(room).fetchSockets();
      // the handshake cache would let the same token straight back in for a few seconds
      for (const s of sockets) d.resolver.forget(s.data.token);
      disconnected += sockets.length;
      d.io.of(name).in(room).disconnectSockets(true);
    }
    request.log.info(
      { userId: request.body.userId, reason: request.body.reason, disconnected },
      'user sockets disconnected',
    );
    return { disconnected };
  });

  registerRoute(app, RealtimeRoutes.notify, { onRequest: staff }, async (request, reply) =>
    reply
      .code(201)
      .send({ success: true as const, ...(await d.notifier.notify(request.user?.id ?? null, request.body)) }),
  );

  registerRoute(app, RealtimeRoutes.broadcast, { onRequest: staff }, async (request, reply) =>
    reply.code(201).send({
      success: true as const,
      ...(await d.notifier.broadcast(
        request.user?.id ?? null,
        request.body,
        request.user ? { userId: request.user.id, role: 'admin' } : undefined,
      )),
    }),
  );

  registerRoute(app, RealtimeRoutes.onlineUsers, { onRequest: staff }, async () => {
    const userIds = await d.presence.online();
    return { count: userIds.length, userIds };
  });

  registerRoute(app, RealtimeRoutes.pending, { onRequest: staff }, async () => {
    const events = await d.throttler.pendingList();
    return { count: events.length, events };
  });

  registerRoute(app, RealtimeRoutes.flush, { onRequest: staff }, async () => ({
    flushed: await d.throttler.flushAll('manual'),
  }));

  registerRoute(app, RealtimeRoutes.forceEmit, { onRequest: staff }, async (request) => {
    const res = await d.events.forceEmit(request.body);
    if (res.namespaces.length === 0)
      throw badRequest(`event ${request.body.event} maps to no namespace; name one`, 'UNKNOWN_EVENT');
    return { success: true, ...res };
  });

  registerRoute(app, RealtimeRoutes.config, { onRequest: staff }, async () => d.throttler.getConfig());

  registerRoute(app, RealtimeRoutes.setConfig, { onRequest: staff }, async (request) =>
    d.throttler.setConfig(request.body),
  );
}
