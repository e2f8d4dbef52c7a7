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
import { badRequest } from '../../../shared/app-error.js';
import type { SessionResolver } from '../../../shared/session-auth.js';
import { LogStream } from '../core/log-stream.js';
import type { RealtimeConfig } from '../realtime-config.js';
import { CHAT_EVENTS, registerChatHandlers } from './chat-handlers.js';
import type { HandlerDeps } from './deps.js';
import { gateSocket } from './gate.js';
import { guardNamespace, handler, type AnySocket } from './guard.js';
import { NOTIFICATION_EVENTS, registerNotificationHandlers } from './notification-handlers.js';

const V = {
  backlog: Compile(LogsBacklogPayload),
  filter: Compile(LogsFilterPayload),
  watch: Compile(CourseWatchPayload),
};

const PRESENCE_ROOM = Rooms.presence;

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
    deps.events.publish({
      event,
      room: PRESENCE_ROOM,
      data: { userId: u.id, timestamp: new Date().toISOString() },
      throttle: false,
    });
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
 * Which domains each messaging namespace serves: `/` both (seed 004), the others one each (seed 002).
 * All three carry presence (`user:online` / `user:offline`) and count a user as online.
 */
const MESSAGING: ReadonlyArray<{ readonly name: string; readonly chat: boolean; readonly notification: boolean }> = [
  { name: Namespaces.root, chat: true, notification: true },
  { name: Namespaces.chat, chat: true, notification: false },
  { name: Namespaces.notification, chat: false, notification: true },
];

/**
 * Wire every namespace: handshake guard, per-socket gate (unknown events, rate limit), rooms and
 * the domain handler modules. Chat is served on `/` and `/chat`, notifications on `/` and
 * `/notification`, which is exactly where the event manager delivers chat:* and notification:*.
 */
export function setupNamespaces(io: Server, deps: HandlerDeps, resolver: SessionResolver, cfg: RealtimeConfig): void {
  const guard = (nsp: Namespace, roles?: Array<'admin' | 'teacher' | 'student'>) =>
    guardNamespace(nsp, { allowedOrigins: cfg.allowedOrigins, resolver, ...(roles ? { roles } : {}) });
  const gate = (socket: AnySocket, events: readonly string[], elsewhere: ReadonlyMap<string, string> = new Map()) =>
    gateSocket(socket, {
      known: new Set([...events, 'heartbeat']),
      elsewhere,
      rate: cfg.socketRate,
      burst: cfg.socketBurst,
    });

  for (const m of MESSAGING) {
    const nsp = io.of(m.name);
    const served = [...(m.chat ? CHAT_EVENTS : []), ...(m.notification ? NOTIFICATION_EVENTS : [])];
    const elsewhere = new Map<string, string>([
      ...(m.chat ? [] : CHAT_EVENTS.map((e) => [e, `${Namespaces.root} or ${Namespaces.chat}`] as const)),
      ...(m.notification
        ? []
        : NOTIFICATION_EVENTS.map((e) => [e, `${Namespaces.root} or ${Namespaces.notification}`] as const)),
    ]);
    guard(nsp);
    nsp.on('connection', (s) => {
      const socket = s as unknown as AnySocket;
      gate(socket, served, elsewhere);
      joinIdentityRooms(socket, deps);
      trackPresence(socket, deps);
      heartbeat(socket);
      if (m.chat) registerChatHandlers(socket, deps);
      if (m.notification) registerNotificationHandlers(socket, deps);
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
    socket.on(
      'logs:backlog',
      handler(V.backlog, (p) => ({ lines: deps.logs.backlog(p) }), onError),
    );
    socket.on(
      'logs:filter',
      handler(
        V.filter,
        async (p) => {
          for (const room of socket.rooms)
            if (room.startsWith('lvl:') || room.startsWith('svc:')) await socket.leave(room);
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
    registerCourseHandlers(socket, deps, cfg.maxWatchedCourses);
  });
}

/** /courses: watch and unwatch seat counts; a socket watches at most `cap` courses (each is a room). */
function registerCourseHandlers(socket: AnySocket, deps: HandlerDeps, cap: number): void {
  const onError = (err: unknown) => deps.logger.error({ err }, 'courses handler failed');
  const watched = () => [...socket.rooms].filter((r) => r.startsWith('course:')).length;
  socket.on(
    'course:watch',
    handler(
      V.watch,
      async (p) => {
        const rooms = p.courseIds.map(Rooms.course);
        const added = new Set(rooms.filter((r) => !socket.rooms.has(r))).size;
        if (watched() + added > cap)
          throw badRequest(`at most ${cap} watched courses per connection; course:unwatch some first`);
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
}

export type { SocketData };
