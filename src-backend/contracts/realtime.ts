import { Type, type Static } from 'typebox';
import { MultilineText, PlainText } from './text-rules.js';
import { LogLevel } from './supervisor.js';
import type { SessionUser } from './session.js';
import type { DecisionStatus, SelectionAction } from './courses.js';
import type { RegistrationBoard } from './registrar.js';

/**
 * The realtime server's public surface (issue 4): Socket.IO namespaces and their typed event
 * maps, payload schemas (checked at runtime, types are not validation), /stats and the
 * management API. Seeds 002-004 fix the names; the console and any seed-004 client use these.
 *
 * User ids (`receiverId`, `recipientId`, `senderId`, `userId`, `userIds`) are integers; seed 004
 * sends them as strings, so a string of digits is accepted too and converted before validation.
 */

export const Namespaces = {
  /** seed 004's clients connect without a namespace: chat + notifications + presence */
  root: '/',
  chat: '/chat',
  notification: '/notification',
  logs: '/logs',
  admin: '/admin',
  courses: '/courses',
} as const;
export type NamespaceName = (typeof Namespaces)[keyof typeof Namespaces];

/** Room names, shared by the server and anyone who targets a room through the internal API. */
export const Rooms = {
  user: (id: number) => `user:${id}`,
  role: (role: string) => `role:${role}`,
  group: (group: string) => `group:${group}`,
  course: (id: number) => `course:${id}`,
  /** who hears user:online / user:offline: every socket on /, /chat, /notification unless its handshake says `presence: false` */
  presence: 'presence',
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

// ---------------------------------------------------------------- chat (seed 004)

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

// ---------------------------------------------------------------- notifications (seed 004)

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
 * `notification:broadcast` and POST /api/broadcast: everyone, one role, or one student group.
 * Seed 004's `collegeId` is accepted as another name for `groupId` (both given must agree).
 */
export const BroadcastPayload = Type.Object(
  {
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

export interface PresenceEvent {
  userId: number;
  timestamp: string;
}

// ---------------------------------------------------------------- /logs (seed 003)

/** A `log` event: seed 003's `{text, level, thread_id?, timestamp}` plus the service and its sequence number. */
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

// ---------------------------------------------------------------- /admin (seed 003)

export interface AdminEvent {
  type: string;
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
 * To `user:<studentId>` when a ticket is decided, and again with status `promoted` (action
 * `join`, the join's ticket) when a waitlisted student gets the seat; `swappedFrom` is the
 * course dropped for it. A promotion is also a persisted notification (type `waitlist_promoted`).
 */
export interface SelectionOutcomeEvent {
  ticket: number;
  courseId: number;
  action: SelectionAction;
  status: DecisionStatus;
  position?: number;
  opensAt?: string | null;
  swappedFrom?: number;
}

// ---------------------------------------------------------------- typed event maps

export interface HeartbeatAck {
  timestamp: string;
}

/**
 * Served on `/` (seed 004: both domains). `/chat` serves the chat events and `/notification` the
 * notification events only (seed 002); heartbeat and user:online/offline are on all three.
 */
export interface MessagingClientToServer {
  'chat:send': (p: ChatSendPayload, ack?: AckFn<{ message: ChatMessage }>) => void;
  'chat:typing': (p: ChatTypingPayload, ack?: AckFn<object>) => void;
  'chat:markRead': (p: ChatMarkReadPayload, ack?: AckFn<{ messageIds: number[] }>) => void;
  'chat:getMessages': (p: ChatGetMessagesPayload, ack?: AckFn<{ messages: ChatMessage[] }>) => void;
  'chat:getOnlineStatus': (p: ChatGetOnlineStatusPayload, ack?: AckFn<{ statuses: Record<string, boolean> }>) => void;
  'notification:send': (p: NotifyPayload, ack?: AckFn<{ notification: Notification }>) => void;
  'notification:broadcast': (p: BroadcastPayload, ack?: AckFn<{ notification: Notification }>) => void;
  'notification:getUnread': (p: NotificationGetUnreadPayload, ack?: AckFn<{ notifications: Notification[] }>) => void;
  'notification:markRead': (p: NotificationMarkReadPayload, ack?: AckFn<{ updated: number }>) => void;
  'notification:getUnreadCount': (p: object, ack?: AckFn<{ count: number }>) => void;
  heartbeat: (p?: unknown, ack?: AckFn<HeartbeatAck>) => void;
}
export interface MessagingServerToClient {
  'chat:message': (m: ChatMessage) => void;
  'chat:typing': (e: ChatTypingEvent) => void;
  'chat:readReceipt': (e: ChatReadReceipt) => void;
  'notification:new': (n: Notification) => void;
  'user:online': (e: PresenceEvent) => void;
  'user:offline': (e: PresenceEvent) => void;
  'heartbeat:ack': (e: HeartbeatAck) => void;
}

export interface LogsClientToServer {
  'logs:backlog': (p: LogsBacklogPayload, ack?: AckFn<{ lines: LogEvent[] }>) => void;
  'logs:filter': (p: LogsFilterPayload, ack?: AckFn<object>) => void;
  heartbeat: (p?: unknown, ack?: AckFn<HeartbeatAck>) => void;
}
export interface LogsServerToClient {
  log: (e: LogEvent) => void;
  'heartbeat:ack': (e: HeartbeatAck) => void;
}

export interface AdminClientToServer {
  heartbeat: (p?: unknown, ack?: AckFn<HeartbeatAck>) => void;
}
export interface AdminServerToClient {
  admin_event: (e: AdminEvent) => void;
  /** the registration board (GET /admin/registration-board), about once a second while requests flow, every 5 s otherwise */
  'board:update': (b: RegistrationBoard) => void;
  'heartbeat:ack': (e: HeartbeatAck) => void;
}

export interface CoursesClientToServer {
  'course:watch': (p: CourseWatchPayload, ack?: AckFn<{ rooms: string[] }>) => void;
  'course:unwatch': (p: CourseWatchPayload, ack?: AckFn<{ rooms: string[] }>) => void;
  heartbeat: (p?: unknown, ack?: AckFn<HeartbeatAck>) => void;
}
export interface CoursesServerToClient {
  'course:seats': (e: CourseSeatsEvent) => void;
  'selection:outcome': (e: SelectionOutcomeEvent) => void;
  'heartbeat:ack': (e: HeartbeatAck) => void;
}

/** Between realtime instances (Redis adapter): nothing custom yet, rooms and broadcasts suffice. */
export type InterServerEvents = Record<string, never>;

/** What the server keeps on each socket after the handshake. */
export interface SocketData {
  user: SessionUser;
  token: string;
}

// ---------------------------------------------------------------- HTTP: /stats and /api

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
});
export type RealtimeStats = Static<typeof RealtimeStats>;

export const OnlineUsersResponse = Type.Object({ count: Type.Integer(), userIds: Type.Array(Type.Integer()) });
export type OnlineUsersResponse = Static<typeof OnlineUsersResponse>;

export const NotifyResponse = Type.Object({
  success: Type.Literal(true),
  notification: Notification,
  /** direct notifications: whether the recipient had a socket open when it was pushed */
  recipientOnline: Type.Optional(Type.Boolean()),
});
export type NotifyResponse = Static<typeof NotifyResponse>;

/** POST /internal/emit's answer: events for no known namespace are ignored and counted. */
export const EmitResponse = Type.Object({ accepted: Type.Integer(), ignored: Type.Integer() });
export type EmitResponse = Static<typeof EmitResponse>;

export const DisconnectResponse = Type.Object({ disconnected: Type.Integer() });

// ---------------------------------------------------------------- throttler management (seed 002)

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
