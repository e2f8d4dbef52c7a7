import { Type, type Static } from 'typebox';
import { MultilineText, PlainText } from './text-rules.js';
import type { SelectionDecided } from './courses.js';
import { LogLevel, type AdminEventType } from './supervisor.js';
import type { SessionUser } from './session.js';
import type { RegistrationBoard } from './registrar.js';

/**
 * The realtime server's public surface: Socket.IO namespaces and their typed event maps,
 * payload schemas (checked at runtime, types are not validation), /stats and the management
 * API. The console and older clients use these names.
 *
 * User ids (`receiverId`, `recipientId`, `senderId`, `userId`, `userIds`) are integers; older
 * clients send them as strings, so a string of digits is accepted too and converted before
 * validation (README "Where we differ from the seed documents").
 */

export const Namespaces = {
  /** older clients connect without a namespace: chat + notifications + presence */
  root: '/',
  chat: '/chat',
  notification: '/notification',
  logs: '/logs',
  admin: '/admin',
  courses: '/courses',
} as const;
export type NamespaceName = (typeof Namespaces)[keyof typeof Namespaces];

/**
 * Room names: the one place a room is spelled, for the server and for anyone who targets a room
 * through the internal API. Nothing else builds or parses a room name.
 */
export const Rooms = {
  user: (id: number) => `user:${id}`,
  role: (role: string) => `role:${role}`,
  group: (group: string) => `group:${group}`,
  course: (id: number) => `course:${id}`,
  isCourse: (room: string) => room.startsWith('course:'),
  /** /logs: every line at `level`, from every service */
  logLevel: (level: string) => `lvl:${level}`,
  /** /logs: one service's lines at `level` */
  logService: (service: string, level: string) => `svc:${service}:${level}`,
  isLogFilter: (room: string) => room.startsWith('lvl:') || room.startsWith('svc:'),
  /**
   * Who hears user:online / user:offline (sockets on /, /chat, /notification unless their
   * handshake says `presence: false`): staff hear everyone here; a student hears the users of
   * their courses (`presenceCourse`) and their conversation partners (`presenceOf` themselves).
   */
  presence: 'presence',
  presenceCourse: (id: number) => `presence:course:${id}`,
  presenceOf: (id: number) => `presence:user:${id}`,
} as const;

/**
 * The handshake's `auth`: `{token}` (a session token), plus `presence: false` to not receive
 * user:online / user:offline (large dashboards, benchmarks).
 */
export interface HandshakeAuth {
  token: string;
  presence?: boolean;
}

/** What every ack answers with when something is wrong (malformed payload, rate limit, ...). */
export const AckError = Type.Object({ success: Type.Literal(false), error: Type.String() });
export type AckError = Static<typeof AckError>;
export type Ack<T extends object> = ({ success: true } & T) | AckError;
export type AckFn<T extends object> = (res: Ack<T>) => void;

// ---------------------------------------------------------------- chat

export const ChatMessage = Type.Object({
  id: Type.Integer(),
  senderId: Type.Integer(),
  receiverId: Type.Integer(),
  message: Type.String(),
  createdAt: Type.String(),
  readAt: Type.Union([Type.String(), Type.Null()]),
});
export type ChatMessage = Static<typeof ChatMessage>;

export const ChatSendPayload = Type.Object(
  { receiverId: Type.Integer({ minimum: 1 }), message: MultilineText({ minLength: 1, maxLength: 4000 }) },
  { additionalProperties: false },
);
export type ChatSendPayload = Static<typeof ChatSendPayload>;

export const ChatTypingPayload = Type.Object(
  { receiverId: Type.Integer({ minimum: 1 }), isTyping: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type ChatTypingPayload = Static<typeof ChatTypingPayload>;

/** Mark the messages `senderId` sent me as read (all, or up to `upToId`). */
export const ChatMarkReadPayload = Type.Object(
  { senderId: Type.Integer({ minimum: 1 }), upToId: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);
export type ChatMarkReadPayload = Static<typeof ChatMarkReadPayload>;

/** The conversation with `userId`, newest first, paged by `beforeId`. */
export const ChatGetMessagesPayload = Type.Object(
  {
    userId: Type.Integer({ minimum: 1 }),
    beforeId: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
export type ChatGetMessagesPayload = Static<typeof ChatGetMessagesPayload>;

export const ChatGetOnlineStatusPayload = Type.Object(
  { userIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 500 }) },
  { additionalProperties: false },
);
export type ChatGetOnlineStatusPayload = Static<typeof ChatGetOnlineStatusPayload>;

export interface ChatTypingEvent {
  senderId: number;
  isTyping: boolean;
}
export interface ChatReadReceipt {
  readerId: number;
  messageIds: number[];
  readAt: string;
}

// ---------------------------------------------------------------- notifications

export const NotificationBody = {
  type: PlainText({ minLength: 1, maxLength: 50 }),
  title: PlainText({ minLength: 1, maxLength: 200 }),
  message: MultilineText({ maxLength: 4000 }),
  metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
};

export const Notification = Type.Object({
  id: Type.Integer(),
  /** null for a broadcast */
  recipientId: Type.Union([Type.Integer(), Type.Null()]),
  senderId: Type.Union([Type.Integer(), Type.Null()]),
  /** who a broadcast went to: everyone (both null), a role, or a student group */
  audience: Type.Union([
    Type.Null(),
    Type.Object({ role: Type.Union([Type.String(), Type.Null()]), groupId: Type.Union([Type.String(), Type.Null()]) }),
  ]),
  type: Type.String(),
  title: Type.String(),
  message: Type.String(),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  read: Type.Boolean(),
  createdAt: Type.String(),
});
export type Notification = Static<typeof Notification>;

/** `notification:send` and POST /api/notify. */
export const NotifyPayload = Type.Object(
  { recipientId: Type.Integer({ minimum: 1 }), ...NotificationBody },
  { additionalProperties: false },
);
export type NotifyPayload = Static<typeof NotifyPayload>;

/**
 * `notification:broadcast` and POST /api/broadcast: everyone, one role, one student group, or
 * the students of one course (`courseId`, alone). Teachers may only name a course of their own.
 * Older clients' `collegeId` is accepted as another name for `groupId` (both given must agree).
 */
export const BroadcastPayload = Type.Object(
  {
    courseId: Type.Optional(Type.Integer({ minimum: 1 })),
    groupId: Type.Optional(PlainText({ minLength: 1, maxLength: 64 })),
    collegeId: Type.Optional(PlainText({ minLength: 1, maxLength: 64 })),
    role: Type.Optional(Type.Union([Type.Literal('admin'), Type.Literal('teacher'), Type.Literal('student')])),
    ...NotificationBody,
  },
  { additionalProperties: false },
);
export type BroadcastPayload = Static<typeof BroadcastPayload>;

export const NotificationGetUnreadPayload = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) },
  { additionalProperties: false },
);
export type NotificationGetUnreadPayload = Static<typeof NotificationGetUnreadPayload>;

/** Mark some notifications read, or all of them when `notificationIds` is absent. */
export const NotificationMarkReadPayload = Type.Object(
  { notificationIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 500 })) },
  { additionalProperties: false },
);
export type NotificationMarkReadPayload = Static<typeof NotificationMarkReadPayload>;

/** A broadcast's answer: the notification, or for a course the first of one per student, and how many. */
export interface BroadcastResult {
  notification: Notification;
  recipients?: number;
}

export interface PresenceEvent {
  userId: number;
  timestamp: string;
}

// ---------------------------------------------------------------- /logs

/** A `log` event: `{text, level, thread_id?, timestamp}` plus the service and its sequence number. */
export interface LogEvent {
  seq: number;
  text: string;
  level: LogLevel;
  service: string;
  timestamp: string;
  thread_id?: string;
  /** the structured fields the service logged (courseId, userId, actor…), secrets censored */
  fields?: Record<string, unknown>;
}

/** Ask for the last `limit` lines, optionally only one service and at least `level`. */
export const LogsBacklogPayload = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    level: Type.Optional(LogLevel),
  },
  { additionalProperties: false },
);
export type LogsBacklogPayload = Static<typeof LogsBacklogPayload>;

/** Narrow the live stream of this socket; `{}` restores everything. */
export const LogsFilterPayload = Type.Object(
  { service: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })), level: Type.Optional(LogLevel) },
  { additionalProperties: false },
);
export type LogsFilterPayload = Static<typeof LogsFilterPayload>;

// ---------------------------------------------------------------- /admin

export interface AdminEvent {
  type: AdminEventType;
  data: unknown;
}

// ---------------------------------------------------------------- /courses

/** Subscribe to seat counts of these courses (rooms `course:<id>`); a socket watches at most REALTIME_MAX_WATCHED_COURSES. */
export const CourseWatchPayload = Type.Object(
  { courseIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 500 }) },
  { additionalProperties: false },
);
export type CourseWatchPayload = Static<typeof CourseWatchPayload>;

export interface CourseSeatsEvent {
  courseId: number;
  enrolled: number;
  capacity: number;
  seatsLeft: number;
}
/**
 * A decided selection, to the student's room: the same fields as the 200 answer. Sent again
 * with status `promoted` (action `join`, the join's ticket) when a waitlisted student gets the
 * seat; `swappedFrom` is the course dropped for it. A promotion is also a persisted
 * notification (type `waitlist_promoted`).
 */
export type SelectionOutcomeEvent = SelectionDecided;

// ---------------------------------------------------------------- typed event maps

export interface HeartbeatAck {
  timestamp: string;
}

/*
 * Acks: a question (`chat:getMessages`, `logs:backlog`, …) is answered through its ack, so the
 * map says it takes one; a notice (typing, watching, heartbeat) may leave it out. The server
 * checks every payload at runtime and tolerates a missing ack either way.
 */
export interface HeartbeatClientToServer {
  heartbeat: (p?: unknown, ack?: AckFn<HeartbeatAck>) => void;
}
export interface HeartbeatServerToClient {
  'heartbeat:ack': (e: HeartbeatAck) => void;
}

/** `/chat`, and `/` with the notification events. */
export interface ChatClientToServer extends HeartbeatClientToServer {
  'chat:send': (p: ChatSendPayload, ack: AckFn<{ message: ChatMessage }>) => void;
  'chat:typing': (p: ChatTypingPayload, ack?: AckFn<object>) => void;
  'chat:markRead': (p: ChatMarkReadPayload, ack: AckFn<{ messageIds: number[] }>) => void;
  'chat:getMessages': (p: ChatGetMessagesPayload, ack: AckFn<{ messages: ChatMessage[] }>) => void;
  'chat:getOnlineStatus': (p: ChatGetOnlineStatusPayload, ack: AckFn<{ statuses: Record<string, boolean> }>) => void;
}
/** `/notification`, and `/` with the chat events. */
export interface NotificationClientToServer extends HeartbeatClientToServer {
  'notification:send': (p: NotifyPayload, ack: AckFn<{ notification: Notification; recipientOnline: boolean }>) => void;
  'notification:broadcast': (p: BroadcastPayload, ack: AckFn<BroadcastResult>) => void;
  'notification:getUnread': (p: NotificationGetUnreadPayload, ack: AckFn<{ notifications: Notification[] }>) => void;
  'notification:markRead': (p: NotificationMarkReadPayload, ack: AckFn<{ updated: number }>) => void;
  'notification:getUnreadCount': (p: object, ack: AckFn<{ count: number }>) => void;
}
/** `/` serves both domains. */
export type MessagingClientToServer = ChatClientToServer & NotificationClientToServer;

/** user:online / user:offline reach `/`, `/chat` and `/notification` alike. */
export interface PresenceServerToClient extends HeartbeatServerToClient {
  'user:online': (e: PresenceEvent) => void;
  'user:offline': (e: PresenceEvent) => void;
}
export interface ChatServerToClient extends PresenceServerToClient {
  'chat:message': (m: ChatMessage) => void;
  'chat:typing': (e: ChatTypingEvent) => void;
  'chat:readReceipt': (e: ChatReadReceipt) => void;
}
export interface NotificationServerToClient extends PresenceServerToClient {
  'notification:new': (n: Notification) => void;
}
export type MessagingServerToClient = ChatServerToClient & NotificationServerToClient;

export interface LogsClientToServer extends HeartbeatClientToServer {
  'logs:backlog': (p: LogsBacklogPayload, ack: AckFn<{ lines: LogEvent[] }>) => void;
  'logs:filter': (p: LogsFilterPayload, ack: AckFn<object>) => void;
}
export interface LogsServerToClient extends HeartbeatServerToClient {
  log: (e: LogEvent) => void;
}

export type AdminClientToServer = HeartbeatClientToServer;
export interface AdminServerToClient extends HeartbeatServerToClient {
  admin_event: (e: AdminEvent) => void;
  /** the registration board (GET /admin/registration-board), about once a second while requests flow, every 5 s otherwise */
  'board:update': (b: RegistrationBoard) => void;
}

export interface CoursesClientToServer extends HeartbeatClientToServer {
  'course:watch': (p: CourseWatchPayload, ack?: AckFn<{ rooms: string[] }>) => void;
  'course:unwatch': (p: CourseWatchPayload, ack?: AckFn<{ rooms: string[] }>) => void;
}
export interface CoursesServerToClient extends HeartbeatServerToClient {
  'course:seats': (e: CourseSeatsEvent) => void;
  'selection:outcome': (e: SelectionOutcomeEvent) => void;
}

/**
 * Each namespace's event maps by its name: the server's `Namespace<…>` and the console's
 * `Socket<…>` are both built from this, so a handler, an emit and a listener that disagree
 * with the contract do not compile.
 */
export interface NamespaceEvents {
  '/': { clientToServer: MessagingClientToServer; serverToClient: MessagingServerToClient };
  '/chat': { clientToServer: ChatClientToServer; serverToClient: ChatServerToClient };
  '/notification': { clientToServer: NotificationClientToServer; serverToClient: NotificationServerToClient };
  '/logs': { clientToServer: LogsClientToServer; serverToClient: LogsServerToClient };
  '/admin': { clientToServer: AdminClientToServer; serverToClient: AdminServerToClient };
  '/courses': { clientToServer: CoursesClientToServer; serverToClient: CoursesServerToClient };
}

/** Every event the server sends, on any namespace: what services may publish. */
export type ServerToClientEvents = MessagingServerToClient &
  LogsServerToClient &
  AdminServerToClient &
  CoursesServerToClient;
export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventData<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/** Between realtime instances (Redis adapter): nothing custom yet, rooms and broadcasts suffice. */
export type InterServerEvents = Record<string, never>;

/** What the server keeps on each socket after the handshake. */
export interface SocketData {
  user: SessionUser;
  token: string;
}

// ---------------------------------------------------------------- HTTP: /stats and /api

/** What the realtime server refused since it started (abuse is dropped and counted: abuse.test.ts). */
export const RealtimeDropped = Type.Object({
  /** inbound events and handshakes over their user's rate */
  rateLimited: Type.Integer(),
  /** events whose payload is nested deeper than 32 levels */
  tooDeep: Type.Integer(),
  /** events no handler serves, from non-admins */
  unknownEvent: Type.Integer(),
  /** sockets disconnected because their user opened more than REALTIME_MAX_SOCKETS_PER_USER on a namespace */
  socketsOverCap: Type.Integer(),
});
export type RealtimeDropped = Static<typeof RealtimeDropped>;

export const RealtimeStats = Type.Object({
  service: Type.Literal('socketio'),
  instanceId: Type.String(),
  uptime: Type.Number({ description: 'seconds' }),
  adapter: Type.Union([Type.Literal('memory'), Type.Literal('redis')]),
  connections: Type.Record(Type.String(), Type.Integer(), { description: 'local sockets per namespace' }),
  totalConnections: Type.Integer(),
  rooms: Type.Integer({ description: 'rooms with at least one local socket, all namespaces' }),
  onlineUsers: Type.Integer(),
  pendingEvents: Type.Integer(),
  events: Type.Record(
    Type.String(),
    Type.Object({ received: Type.Integer(), emitted: Type.Integer(), coalesced: Type.Integer() }),
  ),
  dropped: RealtimeDropped,
});
export type RealtimeStats = Static<typeof RealtimeStats>;

export const OnlineUsersResponse = Type.Object({ count: Type.Integer(), userIds: Type.Array(Type.Integer()) });
export type OnlineUsersResponse = Static<typeof OnlineUsersResponse>;

export const NotifyResponse = Type.Object({
  success: Type.Literal(true),
  notification: Notification,
  /** direct notifications: whether the recipient had a socket open when it was pushed */
  recipientOnline: Type.Optional(Type.Boolean()),
  /** a course broadcast: how many students it went to (`notification` is the first of them) */
  recipients: Type.Optional(Type.Integer()),
});
export type NotifyResponse = Static<typeof NotifyResponse>;

/** POST /internal/emit's answer: events for no known namespace are ignored and counted. */
export const EmitResponse = Type.Object({ accepted: Type.Integer(), ignored: Type.Integer() });
export type EmitResponse = Static<typeof EmitResponse>;

export const DisconnectResponse = Type.Object({ disconnected: Type.Integer() });

// ---------------------------------------------------------------- throttler management

export const EventRule = Type.Object(
  {
    /** coalesce within this window; 0 = emit at once */
    windowMs: Type.Integer({ minimum: 0, maximum: 60_000 }),
    /** `latest` keeps the newest payload, `merge` shallow-merges object payloads */
    mode: Type.Union([Type.Literal('latest'), Type.Literal('merge')]),
  },
  { additionalProperties: false },
);
export type EventRule = Static<typeof EventRule>;

export const ThrottlerConfig = Type.Object({
  defaultWindowMs: Type.Integer({ minimum: 0, maximum: 60_000 }),
  /** per event type; an event without a rule is not throttled */
  events: Type.Record(Type.String(), EventRule),
  flushIntervalMs: Type.Integer({ minimum: 1000, maximum: 86_400_000 }),
});
export type ThrottlerConfig = Static<typeof ThrottlerConfig>;

export const ThrottlerConfigPatch = Type.Object(
  {
    defaultWindowMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000 })),
    /** a rule per event type; null removes the rule (the event is then not throttled) */
    events: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 100 }), Type.Union([EventRule, Type.Null()])),
    ),
    flushIntervalMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 86_400_000 })),
  },
  { additionalProperties: false },
);
export type ThrottlerConfigPatch = Static<typeof ThrottlerConfigPatch>;

export const PendingEvent = Type.Object({
  key: Type.String(),
  namespace: Type.String(),
  event: Type.String(),
  room: Type.Union([Type.String(), Type.Null()]),
  data: Type.Unknown(),
  /** how many events were folded into this one so far */
  count: Type.Integer(),
  firstAt: Type.String(),
  dueAt: Type.String(),
});
export type PendingEvent = Static<typeof PendingEvent>;

export const PendingResponse = Type.Object({ count: Type.Integer(), events: Type.Array(PendingEvent) });
export type PendingResponse = Static<typeof PendingResponse>;

export const FlushResponse = Type.Object({ flushed: Type.Integer() });
export type FlushResponse = Static<typeof FlushResponse>;

export const ForceEmitRequest = Type.Object(
  {
    event: Type.String({ minLength: 1, maxLength: 100 }),
    data: Type.Unknown(),
    room: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    namespace: Type.Optional(Type.String({ pattern: '^/', maxLength: 50 })),
  },
  { additionalProperties: false },
);
export type ForceEmitRequest = Static<typeof ForceEmitRequest>;

export const ForceEmitResponse = Type.Object({
  success: Type.Boolean(),
  namespaces: Type.Array(Type.String()),
  /** a pending throttled event for the same key that the force-emit replaced */
  replacedPending: Type.Boolean(),
});
export type ForceEmitResponse = Static<typeof ForceEmitResponse>;
