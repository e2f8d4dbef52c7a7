import type { Namespace, Server } from 'socket.io';
import { Compile } from 'typebox/compile';
import {
  CourseWatchPayload,
  LogsBacklogPayload,
  LogsFilterPayload,
  Namespaces,
  Rooms,
  type SocketData,
} from '../../../contracts/realtime.js';
import type { SessionResolver } from '../../../shared/session-auth.js';
import { LogStream } from '../core/log-stream.js';
import type { RealtimeConfig } from '../realtime-config.js';
import { CHAT_EVENTS, registerChatHandlers } from './chat-handlers.js';
import type { HandlerDeps } from './deps.js';
import { gateSocket, guardNamespace, handler, type AnySocket } from './guard.js';
import { NOTIFICATION_EVENTS, registerNotificationHandlers } from './notification-handlers.js';

const V = {
  backlog: Compile(LogsBacklogPayload),
  filter: Compile(LogsFilterPayload),
  watch: Compile(CourseWatchPayload),
};

const PRESENCE_ROOM = Rooms.presence;

/** Namespaces that carry presence (`user:online` / `user:offline`) and count a user as online. */
const PRESENCE_NAMESPACES: readonly string[] = [Namespaces.root, Namespaces.chat, Namespaces.notification];

function heartbeat(socket: AnySocket): void {
  socket.on('heartbeat', (...args: unknown[]) => {
    const ack = args.find((a) => typeof a === 'function') as ((r: unknown) => void) | undefined;
    const res = { timestamp: new Date().toISOString() };
    socket.emit('heartbeat:ack', res);
    ack?.({ success: true, ...res });
  });
}

/** Rooms every socket of a user sits in: its own, its role's and (students) its group's. */
function joinIdentityRooms(socket: AnySocket, deps: HandlerDeps): void {
  const u = socket.data.user;
  deps.users.remember(u.id);
  void socket.join([Rooms.user(u.id), Rooms.role(u.role), ...(u.group ? [Rooms.group(u.group)] : [])]);
}

function trackPresence(socket: AnySocket, deps: HandlerDeps): void {
  const u = socket.data.user;
  // Everyone hears user:online/offline (seed 004) unless they opt out in the handshake: with N
  // clients a connect storm is N² packets, which a dashboard or a crowd of kiosks does not need.
  if ((socket.handshake.auth as { presence?: unknown }).presence !== false) void socket.join(PRESENCE_ROOM);
  const announce = (event: 'user:online' | 'user:offline') =>
    deps.events.publish({ event, room: PRESENCE_ROOM, data: { userId: u.id, timestamp: new Date().toISOString() }, throttle: false });
  deps.presence.add(u.id, socket.id).then(
    (first) => first && announce('user:online'),
    (err: unknown) => deps.logger.warn({ err }, 'presence store failed'),
  );
  socket.on('disconnect', () => {
    deps.presence.remove(u.id, socket.id).then(
      (last) => last && announce('user:offline'),
      (err: unknown) => deps.logger.warn({ err }, 'presence store failed'),
    );
  });
}

/**
 * Wire every namespace: handshake guard, per-socket gate (unknown events, rate limit), rooms and
 * the domain handler modules. `/`, `/chat` and `/notification` share chat + notification
 * handlers (seed 004's clients connect without a namespace, seed 002's to /chat and /notification).
 */
export function setupNamespaces(io: Server, deps: HandlerDeps, resolver: SessionResolver, cfg: RealtimeConfig): void {
  const guard = (nsp: Namespace, roles?: Array<'admin' | 'teacher' | 'student'>) =>
    guardNamespace(nsp, { allowedOrigins: cfg.allowedOrigins, resolver, ...(roles ? { roles } : {}) });
  const gate = (socket: AnySocket, events: readonly string[]) => gateSocket(socket, new Set([...events, 'heartbeat']), cfg.socketRate, cfg.socketBurst);

  const messagingEvents = { [Namespaces.root]: [...CHAT_EVENTS, ...NOTIFICATION_EVENTS], [Namespaces.chat]: [...CHAT_EVENTS, ...NOTIFICATION_EVENTS], [Namespaces.notification]: [...CHAT_EVENTS, ...NOTIFICATION_EVENTS] };
  for (const name of PRESENCE_NAMESPACES) {
    const nsp = io.of(name);
    guard(nsp);
    nsp.on('connection', (s) => {
      const socket = s as unknown as AnySocket;
      gate(socket, messagingEvents[name as keyof typeof messagingEvents]);
      joinIdentityRooms(socket, deps);
      trackPresence(socket, deps);
      heartbeat(socket);
      registerChatHandlers(socket, deps);
      registerNotificationHandlers(socket, deps);
    });
  }

  const logs = io.of(Namespaces.logs);
  guard(logs, ['admin']);
  logs.on('connection', (s) => {
    const socket = s as unknown as AnySocket;
    gate(socket, ['logs:backlog', 'logs:filter']);
    joinIdentityRooms(socket, deps);
    void socket.join(LogStream.roomsFor({}));
    heartbeat(socket);
    const onError = (err: unknown) => deps.logger.error({ err }, 'logs handler failed');
    socket.on('logs:backlog', handler(V.backlog, (p) => ({ lines: deps.logs.backlog(p) }), onError));
    socket.on(
      'logs:filter',
      handler(
        V.filter,
        async (p) => {
          for (const room of socket.rooms) if (room.startsWith('lvl:') || room.startsWith('svc:')) await socket.leave(room);
          await socket.join(LogStream.roomsFor(p));
          return {};
        },
        onError,
      ),
    );
  });

  const admin = io.of(Namespaces.admin);
  guard(admin, ['admin']);
  admin.on('connection', (s) => {
    const socket = s as unknown as AnySocket;
    gate(socket, []);
    joinIdentityRooms(socket, deps);
    heartbeat(socket);
  });

  const courses = io.of(Namespaces.courses);
  guard(courses);
  courses.on('connection', (s) => {
    const socket = s as unknown as AnySocket;
    gate(socket, ['course:watch', 'course:unwatch']);
    joinIdentityRooms(socket, deps);
    heartbeat(socket);
    const onError = (err: unknown) => deps.logger.error({ err }, 'courses handler failed');
    socket.on(
      'course:watch',
      handler(
        V.watch,
        async (p) => {
          const rooms = p.courseIds.map(Rooms.course);
          await socket.join(rooms);
          return { rooms };
        },
        onError,
      ),
    );
    socket.on(
      'course:unwatch',
      handler(
        V.watch,
        async (p) => {
          const rooms = p.courseIds.map(Rooms.course);
          for (const r of rooms) await socket.leave(r);
          return { rooms };
        },
        onError,
      ),
    );
  });
}

export type { SocketData };
