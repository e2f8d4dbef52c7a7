import { Type } from 'typebox';
import { accepted, created, ok } from '../common.js';
import { RealtimeHealthBody } from '../health.js';
import {
  BroadcastPayload,
  DisconnectResponse,
  EmitResponse,
  FlushResponse,
  ForceEmitRequest,
  ForceEmitResponse,
  NotifyPayload,
  NotifyResponse,
  OnlineUsersResponse,
  PendingResponse,
  RealtimeStats,
  ThrottlerConfig,
  ThrottlerConfigPatch,
} from '../realtime.js';
import { InternalDisconnectRequest, InternalEmitRequest, InternalLogsRequest } from '../realtime-internal.js';
import { routeTable } from '../route.js';

/**
 * The realtime server's HTTP side. /health is open; every other route, /stats included (it tells
 * who is online), takes another service's internal token or an admin session (checked on the
 * request line), so admins reach them through the gateway too.
 */
export const RealtimeRoutes = routeTable('realtime', {
  health: {
    method: 'GET',
    url: '/health',
    summary: 'Liveness and socket counts',
    access: 'public',
    schema: { response: { 200: RealtimeHealthBody } },
  },
  stats: {
    method: 'GET',
    url: '/stats',
    summary: 'Staff: connections per namespace, rooms, online users, pending and dropped events',
    access: 'public',
    schema: { response: ok(RealtimeStats) },
  },
  emit: {
    method: 'POST',
    url: '/internal/emit',
    summary: 'Staff: publish events to their namespaces and rooms (unknown events are counted as ignored)',
    access: 'public',
    schema: { body: InternalEmitRequest, response: accepted(EmitResponse) },
  },
  logs: {
    method: 'POST',
    url: '/internal/logs',
    summary: 'Staff: log lines for the /logs namespace',
    access: 'public',
    schema: { body: InternalLogsRequest, response: accepted(Type.Object({ accepted: Type.Integer() })) },
  },
  disconnectUser: {
    method: 'POST',
    url: '/internal/users/disconnect',
    summary: 'Staff: close every socket of a user (logout, disable)',
    access: 'public',
    schema: { body: InternalDisconnectRequest, response: ok(DisconnectResponse) },
  },
  notify: {
    method: 'POST',
    url: '/api/notify',
    summary: 'Staff: a notification to one user, stored and pushed',
    access: 'public',
    schema: { body: NotifyPayload, response: created(NotifyResponse) },
  },
  broadcast: {
    method: 'POST',
    url: '/api/broadcast',
    summary: 'Staff: a notification to everyone, a role or a group',
    access: 'public',
    schema: { body: BroadcastPayload, response: created(NotifyResponse) },
  },
  onlineUsers: {
    method: 'GET',
    url: '/api/online-users',
    summary: 'Staff: who has a socket open',
    access: 'public',
    schema: { response: ok(OnlineUsersResponse) },
  },
  pending: {
    method: 'GET',
    url: '/api/throttler/pending',
    summary: 'Staff: events the throttler holds back',
    access: 'public',
    schema: { response: ok(PendingResponse) },
  },
  flush: {
    method: 'POST',
    url: '/api/throttler/flush',
    summary: 'Staff: emit every held event now (also emits admin_event throttler_flush)',
    access: 'public',
    schema: {
      body: Type.Optional(Type.Object({}, { additionalProperties: false })),
      response: ok(FlushResponse),
    },
  },
  forceEmit: {
    method: 'POST',
    url: '/api/throttler/force-emit',
    summary: 'Staff: emit one event now, bypassing (and clearing) the throttle',
    access: 'public',
    schema: { body: ForceEmitRequest, response: ok(ForceEmitResponse) },
  },
  config: {
    method: 'GET',
    url: '/api/throttler/config',
    summary: "Staff: the throttler's rules",
    access: 'public',
    schema: { response: ok(ThrottlerConfig) },
  },
  setConfig: {
    method: 'PUT',
    url: '/api/throttler/config',
    summary: "Staff: change the throttler's rules",
    access: 'public',
    schema: { body: ThrottlerConfigPatch, response: ok(ThrottlerConfig) },
  },
});

/** Paths for the console's fetch calls (src-renderer), built from the table above. */
export const THROTTLER_PATHS = {
  pending: RealtimeRoutes.pending.url,
  flush: RealtimeRoutes.flush.url,
  forceEmit: RealtimeRoutes.forceEmit.url,
  config: RealtimeRoutes.config.url,
  stats: RealtimeRoutes.stats.url,
  onlineUsers: RealtimeRoutes.onlineUsers.url,
} as const;
