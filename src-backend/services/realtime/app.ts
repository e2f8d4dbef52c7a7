import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { CourseEvents } from '../../contracts/realtime-internal.js';
import { Namespaces, type ThrottlerConfig } from '../../contracts/realtime.js';
import type { RuntimeConfig } from '../../shared/config.js';
import { createBaseApp, type App } from '../../shared/create-app.js';
import type { ServiceClient } from '../../shared/service-client.js';
import { createSessionResolver, type SessionResolver } from '../../shared/session-auth.js';
import { EventManager } from './core/event-manager.js';
import { LogStream } from './core/log-stream.js';
import { MessagingStore } from './core/messaging-store.js';
import { Notifier } from './core/notifier.js';
import { PendingStore } from './core/pending-store.js';
import { LocalPresence, RedisPresence } from './core/presence.js';
import { PresenceScopes } from './core/presence-scopes.js';
import { createAdapterClients, createRedis } from './core/redis.js';
import { Throttler } from './core/throttler.js';
import { UserDirectory } from './core/user-directory.js';
import { realtimeRoutes } from './http/routes.js';
import { loadRealtimeConfig, type RealtimeConfig } from './realtime-config.js';
import { originAllowed } from './sockets/guard.js';
import { AbuseGuard } from './sockets/abuse.js';
import { setupNamespaces } from './sockets/namespaces.js';
import { typedNamespace } from './sockets/typed.js';

export interface RealtimeAppOptions {
  readonly config: RuntimeConfig;
  readonly client: ServiceClient;
  readonly env?: NodeJS.ProcessEnv;
  readonly logger?: FastifyBaseLogger;
  /** tests hand in a resolver instead of a running auth_node */
  readonly resolver?: SessionResolver;
}

export interface RealtimeServer {
  readonly app: App;
  readonly io: Server;
  readonly events: EventManager;
  readonly throttler: Throttler;
  readonly realtimeConfig: RealtimeConfig;
  /** put Socket.IO on a listening http.Server (the TCP port and the Unix socket) */
  attach(server: http.Server, port?: number): void;
  /** shutdown, step one: emit what the throttler holds, then end every local connection */
  drain(): Promise<void>;
  /** shutdown, last step: Redis connections */
  close(): Promise<void>;
}

function throttlerDefaults(rc: RealtimeConfig): ThrottlerConfig {
  return {
    defaultWindowMs: rc.throttleWindowMs,
    flushIntervalMs: rc.flushIntervalMs,
    // seat counts are the rush: one emit per window per course, with the latest count
    events: { [CourseEvents.seats]: { windowMs: rc.throttleWindowMs, mode: 'latest' } },
  };
}

/**
 * The realtime server: a Fastify app for HTTP and a Socket.IO server that main.ts attaches to
 * the same listeners. Never listens itself, so tests can `inject()` the HTTP side.
 */
export function buildRealtime(opts: RealtimeAppOptions): RealtimeServer {
  const rc = loadRealtimeConfig(opts.env ?? process.env, opts.config.gatewayPort);
  const logger = opts.logger;
  const app = createBaseApp({
    service: 'realtime',
    logger,
    health: false,
    internalToken: opts.config.internalToken,
  });
  const resolver = opts.resolver ?? createSessionResolver(opts.client);

  const io = new Server({
    serveClient: false,
    maxHttpBufferSize: rc.maxMessageBytes,
    cors: { origin: rc.allowedOrigins.includes('*') ? true : [...rc.allowedOrigins] },
    // a foreign page is turned away at the Engine.IO handshake (403), before any session exists
    allowRequest: (req, callback) => {
      const ok = originAllowed(req.headers.origin, rc.allowedOrigins);
      callback(ok ? null : 'origin not allowed', ok);
    },
    // a short drop (wifi blip) resumes with missed events; the handshake guard still runs
    ...(rc.recoveryMs > 0
      ? { connectionStateRecovery: { maxDisconnectionDuration: rc.recoveryMs, skipMiddlewares: false } }
      : {}),
  });

  const redis: Redis = createRedis(rc.redisUrl, rc.redisPrefix);
  const adapterClients = rc.redisUrl ? createAdapterClients(rc.redisUrl) : null;
  if (adapterClients)
    io.adapter(createAdapter(adapterClients.pub, adapterClients.sub, { key: `${rc.redisPrefix}socket.io` }));

  const events = new EventManager(io);
  const onError = (err: unknown) => logger?.error({ err }, 'realtime store error');
  const throttler = new Throttler(
    new PendingStore(redis, rc.redisPrefix),
    events.emitNow,
    throttlerDefaults(rc),
    (flushed, reason) => {
      if (reason !== 'periodic' || flushed > 0) events.adminEvent('throttler_flush', { flushed, reason });
    },
    onError,
  );
  events.throttler = throttler;
  const instanceId = randomUUID();
  const presence = rc.redisUrl ? new RedisPresence(redis, instanceId, rc.presenceTtlMs, onError) : new LocalPresence();
  presence.start();
  const store = new MessagingStore(opts.client);
  const users = new UserDirectory(opts.client);
  const notifier = new Notifier(store, events, presence, users, opts.client);
  const logs = new LogStream(typedNamespace(io, Namespaces.logs), rc.logBacklog);
  const silent = { warn: () => {}, error: () => {} };
  const abuse = new AbuseGuard({
    rate: rc.socketRate,
    burst: rc.socketBurst,
    maxSocketsPerUser: rc.maxSocketsPerUser,
  });
  setupNamespaces(
    io,
    {
      events,
      store,
      notifier,
      presence,
      scopes: new PresenceScopes(opts.client),
      users,
      logs,
      abuse,
      logger: logger ?? silent,
    },
    resolver,
    rc,
  );

  let listeningPort = opts.config.ports.realtime;
  let attached = 0;
  void app.register(realtimeRoutes, {
    io,
    events,
    throttler,
    notifier,
    presence,
    logs,
    abuse,
    resolver,
    internalToken: opts.config.internalToken,
    adapter: rc.redisUrl ? 'redis' : 'memory',
    instanceId,
    port: () => listeningPort,
  });
  throttler.startPeriodicFlush();

  return {
    app,
    io,
    events,
    throttler,
    realtimeConfig: rc,
    attach(server, port) {
      if (port !== undefined) listeningPort = port;
      // one engine for every listener: the first attach creates it, the others share it
      if (attached === 0) io.attach(server);
      else io.engine.attach(server, { path: '/socket.io' });
      attached += 1;
    },
    async drain() {
      await throttler.close();
      // `local`: with the Redis adapter a plain disconnectSockets would end every instance's clients
      for (const name of Object.values(Namespaces)) io.of(name).local.disconnectSockets(true);
      io.engine?.close();
      // let the disconnect handlers clear presence before Redis goes away
      await new Promise((r) => setTimeout(r, 50));
    },
    async close() {
      await throttler.close();
      await presence.close().catch(onError);
      abuse.close();
      redis.disconnect();
      adapterClients?.pub.disconnect();
      adapterClients?.sub.disconnect();
    },
  };
}
