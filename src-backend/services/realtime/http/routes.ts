import type { Server } from 'socket.io';
import { Type } from 'typebox';
import { errorResponses } from '../../../contracts/errors.js';
import { RealtimeHealthBody } from '../../../contracts/health.js';
import {
  REALTIME_DISCONNECT_PATH,
  REALTIME_EMIT_PATH,
  REALTIME_LOGS_PATH,
  InternalDisconnectRequest,
  InternalEmitRequest,
  InternalLogsRequest,
} from '../../../contracts/realtime-internal.js';
import {
  BroadcastPayload,
  DisconnectResponse,
  EmitResponse,
  FlushResponse,
  ForceEmitRequest,
  ForceEmitResponse,
  Namespaces,
  NotifyPayload,
  NotifyResponse,
  OnlineUsersResponse,
  PendingResponse,
  RealtimeStats,
  Rooms,
  THROTTLER_PATHS,
  ThrottlerConfig,
  ThrottlerConfigPatch,
} from '../../../contracts/realtime.js';
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

/** The realtime server's HTTP side: seed 003's /health and /stats, seed 004's /api, the internal API. */
export async function realtimeRoutes(app: App, d: RouteDeps): Promise<void> {
  // every POST (and the management reads) takes another service's internal token or an admin
  // session, checked on the request line: nobody else gets a body parsed or validated
  const staff = requireInternalOrAdmin(d.internalToken, d.resolver);
  // seed 004 sends user ids as strings ("recipientId": "12"): digits become numbers before validation
  app.addHook('preValidation', async (request) => {
    request.body = normalizeIds(request.body);
  });

  app.get('/health', { schema: { response: { 200: RealtimeHealthBody } } }, async () => {
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
  app.get('/stats', { onRequest: staff, schema: { response: { 200: RealtimeStats, ...errorResponses } } }, async () => {
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

  app.post(
    REALTIME_EMIT_PATH,
    { onRequest: staff, schema: { body: InternalEmitRequest, response: { 202: EmitResponse, ...errorResponses } } },
    async (request, reply) => {
      let accepted = 0;
      for (const e of request.body.events) if (d.events.publishUntyped(e)) accepted += 1;
      return reply.code(202).send({ accepted, ignored: request.body.events.length - accepted });
    },
  );

  app.post(
    REALTIME_LOGS_PATH,
    {
      onRequest: staff,
      schema: {
        body: InternalLogsRequest,
        response: { 202: Type.Object({ accepted: Type.Integer() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      d.logs.ingest(request.body.lines);
      return reply.code(202).send({ accepted: request.body.lines.length });
    },
  );

  app.post(
    REALTIME_DISCONNECT_PATH,
    {
      onRequest: staff,
      schema: { body: InternalDisconnectRequest, response: { 200: DisconnectResponse, ...errorResponses } },
    },
    async (request) => {
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
    },
  );

  app.post(
    '/api/notify',
    { onRequest: staff, schema: { body: NotifyPayload, response: { 201: NotifyResponse, ...errorResponses } } },
    async (request, reply) =>
      reply
        .code(201)
        .send({ success: true as const, ...(await d.notifier.notify(request.user?.id ?? null, request.body)) }),
  );

  app.post(
    '/api/broadcast',
    { onRequest: staff, schema: { body: BroadcastPayload, response: { 201: NotifyResponse, ...errorResponses } } },
    async (request, reply) =>
      reply.code(201).send({
        success: true as const,
        ...(await d.notifier.broadcast(
          request.user?.id ?? null,
          request.body,
          request.user ? { userId: request.user.id, role: 'admin' } : undefined,
        )),
      }),
  );

  app.get(
    '/api/online-users',
    { onRequest: staff, schema: { response: { 200: OnlineUsersResponse, ...errorResponses } } },
    async () => {
      const userIds = await d.presence.online();
      return { count: userIds.length, userIds };
    },
  );

  app.get(
    THROTTLER_PATHS.pending,
    { onRequest: staff, schema: { response: { 200: PendingResponse, ...errorResponses } } },
    async () => {
      const events = await d.throttler.pendingList();
      return { count: events.length, events };
    },
  );

  app.post(
    THROTTLER_PATHS.flush,
    {
      onRequest: staff,
      schema: {
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: { 200: FlushResponse, ...errorResponses },
      },
    },
    async () => ({ flushed: await d.throttler.flushAll('manual') }),
  );

  app.post(
    THROTTLER_PATHS.forceEmit,
    { onRequest: staff, schema: { body: ForceEmitRequest, response: { 200: ForceEmitResponse, ...errorResponses } } },
    async (request) => {
      const res = await d.events.forceEmit(request.body);
      if (res.namespaces.length === 0)
        throw badRequest(`event ${request.body.event} maps to no namespace; name one`, 'UNKNOWN_EVENT');
      return { success: true, ...res };
    },
  );

  app.get(
    THROTTLER_PATHS.config,
    { onRequest: staff, schema: { response: { 200: ThrottlerConfig, ...errorResponses } } },
    async () => d.throttler.getConfig(),
  );

  app.put(
    THROTTLER_PATHS.config,
    { onRequest: staff, schema: { body: ThrottlerConfigPatch, response: { 200: ThrottlerConfig, ...errorResponses } } },
    async (request) => d.throttler.setConfig(request.body),
  );
}
