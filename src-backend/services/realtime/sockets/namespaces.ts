import type { Server } from 'socket.io';
import { Compile } from 'typebox/compile';
import {
  CourseWatchPayload,
  LogsBacklogPayload,
  LogsFilterPayload,
  Namespaces,
  Rooms,
  type HeartbeatAck,
  type NamespaceName,
} from '../../../contracts/realtime.js';
import type { SessionUser } from '../../../contracts/session.js';
import { badRequest } from '../../../shared/app-error.js';
import type { SessionResolver } from '../../../shared/session-auth.js';
import { LogStream } from '../core/log-stream.js';
import type { RealtimeConfig } from '../realtime-config.js';
import { CHAT_EVENTS, registerChatHandlers } from './chat-handlers.js';
import type { HandlerDeps } from './deps.js';
import { gateSocket } from './gate.js';
import { guardNamespace, handler } from './guard.js';
import { NOTIFICATION_EVENTS, registerNotificationHandlers } from './notification-handlers.js';
import { typedNamespace, type AnySocket, type RealtimeNamespace, type RealtimeSocket } from './typed.js';

const V = {
  backlog: Compile(LogsBacklogPayload),
  filter: Compile(LogsFilterPayload),
  watch: Compile(CourseWatchPayload),
};

function heartbeat(socket: AnySocket): void {
  socket.on('heartbeat', (...args: unknown[]) => {
    const ack = args.find((a) => typeof a === 'function') as ((r: unknown) => void) | undefined;
    const res: HeartbeatAck = { timestamp: new Date().toISOString() };
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

/**
 * Where `u` hears presence from (`listen`) and who hears `u` (`audience`). Staff hear everyone;
 * a student hears the users of their courses and their conversation partners, and is heard by
 * staff and by those. If the scope cannot be read, only staff hear `u` and a student hears nobody.
 */
async function presenceRooms(u: SessionUser, deps: HandlerDeps): Promise<{ listen: string[]; audience: string[] }> {
  const staff = u.role !== 'student';
  try {
    const scope = await deps.scopes.of(u.id);
    const courseRooms = scope.courseIds.map(Rooms.presenceCourse);
    return {
      listen: staff ? [Rooms.presence] : [Rooms.presenceOf(u.id), ...courseRooms],
      audience: [Rooms.presence, ...courseRooms, ...scope.partnerIds.map(Rooms.presenceOf)],
    };
  } catch (err) {
    deps.logger.warn({ err, userId: u.id }, 'presence scope unavailable; only staff see this user');
    return { listen: staff ? [Rooms.presence] : [], audience: [Rooms.presence] };
  }
}

function trackPresence(socket: AnySocket, deps: HandlerDeps): void {
  const u = socket.data.user;
  // Presence is heard unless the handshake opts out: with N clients a connect storm
  // is N² packets, which a dashboard or a crowd of kiosks does not need.
  const listens = (socket.handshake.auth as { presence?: unknown }).presence !== false;
  const rooms = presenceRooms(u, deps);
  if (listens) void rooms.then((r) => socket.join(r.listen));
  const announce = (event: 'user:online' | 'user:offline') =>
    void rooms.then((r) =>
      deps.events.publish({
        event,
        room: r.audience,
        data: { userId: u.id, timestamp: new Date().toISOString() },
        throttle: false,
      }),
    );
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

type MessagingName = '/' | '/chat' | '/notification';

/**
 * Which domains each messaging namespace serves: `/` both, the others one each (README "Where
 * we differ from the seed documents").
 * All three carry presence (`user:online` / `user:offline`) and count a user as online.
 */
const MESSAGING: Readonly<Record<MessagingName, { readonly chat: boolean; readonly notification: boolean }>> = {
  [Namespaces.root]: { chat: true, notification: true },
  [Namespaces.chat]: { chat: true, notification: false },
  [Namespaces.notification]: { chat: false, notification: true },
};

/**
 * Wire every namespace: handshake guard, per-socket gate (unknown events, rate limit), rooms and
 * the domain handler modules. Chat is served on `/` and `/chat`, notifications on `/` and
 * `/notification`, which is exactly where the event manager delivers chat:* and notification:*.
 */
export function setupNamespaces(io: Server, deps: HandlerDeps, resolver: SessionResolver, cfg: RealtimeConfig): void {
  const guard = <N extends NamespaceName>(nsp: RealtimeNamespace<N>, roles?: Array<'admin' | 'teacher' | 'student'>) =>
    guardNamespace(nsp, {
      allowedOrigins: cfg.allowedOrigins,
      resolver,
      abuse: deps.abuse,
      ...(roles ? { roles } : {}),
    });
  const gate = (socket: AnySocket, events: readonly string[], elsewhere: ReadonlyMap<string, string> = new Map()) =>
    gateSocket(socket, {
      known: new Set([...events, 'heartbeat']),
      elsewhere,
      abuse: deps.abuse,
    });

  const messaging = <N extends MessagingName>(name: N, register: (socket: RealtimeSocket<N>) => void) => {
    const m = MESSAGING[name];
    const nsp = typedNamespace(io, name);
    const served = [...(m.chat ? CHAT_EVENTS : []), ...(m.notification ? NOTIFICATION_EVENTS : [])];
    const elsewhere = new Map<string, string>([
      ...(m.chat ? [] : CHAT_EVENTS.map((e) => [e, `${Namespaces.root} or ${Namespaces.chat}`] as const)),
      ...(m.notification
        ? []
        : NOTIFICATION_EVENTS.map((e) => [e, `${Namespaces.root} or ${Namespaces.notification}`] as const)),
    ]);
    guard(nsp);
    nsp.on('connection', (socket) => {
      gate(socket, served, elsewhere);
      joinIdentityRooms(socket, deps);
      trackPresence(socket, deps);
      heartbeat(socket);
      register(socket);
    });
  };
  messaging(Namespaces.root, (socket) => {
    registerChatHandlers(socket, deps);
    registerNotificationHandlers(socket, deps);
  });
  messaging(Namespaces.chat, (socket) => registerChatHandlers(socket, deps));
  messaging(Namespaces.notification, (socket) => registerNotificationHandlers(socket, deps));

  const logs = typedNamespace(io, Namespaces.logs);
  guard(logs, ['admin']);
  logs.on('connection', (socket) => {
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
          for (const room of socket.rooms) if (Rooms.isLogFilter(room)) await socket.leave(room);
          await socket.join(LogStream.roomsFor(p));
          return {};
        },
        onError,
      ),
    );
  });

  const admin = typedNamespace(io, Namespaces.admin);
  guard(admin, ['admin']);
  admin.on('connection', (socket) => {
    gate(socket, []);
    joinIdentityRooms(socket, deps);
    heartbeat(socket);
  });

  const courses = typedNamespace(io, Namespaces.courses);
  guard(courses);
  courses.on('connection', (socket) => {
    gate(socket, ['course:watch', 'course:unwatch']);
    joinIdentityRooms(socket, deps);
    heartbeat(socket);
    registerCourseHandlers(socket, deps, cfg.maxWatchedCourses);
  });
}

/** /courses: watch and unwatch seat counts; a socket watches at most `cap` courses (each is a room). */
function registerCourseHandlers(
  socket: RealtimeSocket<typeof Namespaces.courses>,
  deps: HandlerDeps,
  cap: number,
): void {
  const onError = (err: unknown) => deps.logger.error({ err }, 'courses handler failed');
  const watched = () => [...socket.rooms].filter(Rooms.isCourse).length;
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
