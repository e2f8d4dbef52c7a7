import { Type, type Static } from 'typebox';
import { Id } from './common.js';
import { MultilineText, PlainText } from './text-rules.js';
import { ChatMessage, Notification, NotificationBody } from './realtime.js';

/**
 * The shapes of data_node's internal messaging routes (routes/data-messaging.ts): chat messages
 * and notifications persist there so that history and unread counts survive a restart of the
 * realtime server (or of everything).
 */

export const ChatCreateRequest = Type.Object(
  { senderId: Id, receiverId: Id, message: MultilineText({ minLength: 1, maxLength: 4000 }) },
  { additionalProperties: false },
);
export type ChatCreateRequest = Static<typeof ChatCreateRequest>;

export const ChatHistoryRequest = Type.Object(
  {
    userId: Id,
    otherId: Id,
    beforeId: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
export type ChatHistoryRequest = Static<typeof ChatHistoryRequest>;
export const ChatHistoryResponse = Type.Object({ messages: Type.Array(ChatMessage) });
export type ChatHistoryResponse = Static<typeof ChatHistoryResponse>;

export const ChatReadRequest = Type.Object(
  { readerId: Id, senderId: Id, upToId: Type.Optional(Id) },
  { additionalProperties: false },
);
export type ChatReadRequest = Static<typeof ChatReadRequest>;
export const ChatReadResponse = Type.Object({ messageIds: Type.Array(Type.Integer()), readAt: Type.String() });
export type ChatReadResponse = Static<typeof ChatReadResponse>;

/** A direct notification (`recipientId`) or a broadcast (no recipient; optional role/group audience). */
export const NotificationCreateRequest = Type.Object(
  {
    senderId: Type.Union([Id, Type.Null()]),
    recipientId: Type.Optional(Id),
    role: Type.Optional(Type.Union([Type.Literal('admin'), Type.Literal('teacher'), Type.Literal('student')])),
    groupId: Type.Optional(PlainText({ minLength: 1, maxLength: 64 })),
    ...NotificationBody,
  },
  { additionalProperties: false },
);
export type NotificationCreateRequest = Static<typeof NotificationCreateRequest>;
export const NotificationBatchRequest = Type.Object(
  { notifications: Type.Array(NotificationCreateRequest, { minItems: 1, maxItems: 1000 }) },
  { additionalProperties: false },
);
export type NotificationBatchRequest = Static<typeof NotificationBatchRequest>;

/** Whose notifications: a broadcast reaches a user by role and group, so both come along. */
export const NotificationQuery = Type.Object(
  {
    userId: Id,
    role: Type.String({ minLength: 1, maxLength: 20 }),
    group: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
export type NotificationQuery = Static<typeof NotificationQuery>;
export const NotificationListResponse = Type.Object({ notifications: Type.Array(Notification) });
export type NotificationListResponse = Static<typeof NotificationListResponse>;
export const UnreadCountResponse = Type.Object({ count: Type.Integer() });
export type UnreadCountResponse = Static<typeof UnreadCountResponse>;

export const NotificationReadRequest = Type.Object(
  {
    userId: Id,
    role: Type.String({ minLength: 1, maxLength: 20 }),
    group: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
    /** absent: mark all of this user's unread notifications */
    notificationIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 500 })),
  },
  { additionalProperties: false },
);
export type NotificationReadRequest = Static<typeof NotificationReadRequest>;
export const NotificationReadResponse = Type.Object({ updated: Type.Integer() });
export type NotificationReadResponse = Static<typeof NotificationReadResponse>;

/**
 * Whose presence a student may see: users they share a course with (enrolled, or teaching it)
 * or have a conversation with. Asked for many users at once (the realtime server batches).
 */
export const PRESENCE_SCOPE_BATCH_MAX = 1000;
export const PresenceScopeRequest = Type.Object(
  { userIds: Type.Array(Id, { minItems: 1, maxItems: PRESENCE_SCOPE_BATCH_MAX }) },
  { additionalProperties: false },
);
export type PresenceScopeRequest = Static<typeof PresenceScopeRequest>;
export const PresenceScope = Type.Object({
  userId: Type.Integer(),
  /** courses the user is enrolled in or teaches */
  courseIds: Type.Array(Type.Integer()),
  /** users the user has exchanged a chat message with */
  partnerIds: Type.Array(Type.Integer()),
});
export type PresenceScope = Static<typeof PresenceScope>;
/** one scope per asked id, in order */
export const PresenceScopeResponse = Type.Object({ scopes: Type.Array(PresenceScope) });
export type PresenceScopeResponse = Static<typeof PresenceScopeResponse>;
