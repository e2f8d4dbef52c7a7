import type { Database } from 'better-sqlite3';
import { errorResponses } from '../../../contracts/errors.js';
import {
  ChatCreateRequest,
  ChatHistoryRequest,
  ChatHistoryResponse,
  ChatReadRequest,
  ChatReadResponse,
  MessagingPaths,
  NotificationBatchRequest,
  NotificationListResponse,
  NotificationQuery,
  NotificationReadRequest,
  NotificationReadResponse,
  PresenceScopeRequest,
  PresenceScopeResponse,
  UnreadCountResponse,
} from '../../../contracts/messaging.js';
import { ChatMessage } from '../../../contracts/realtime.js';
import { badRequest } from '../../../shared/app-error.js';
import type { App } from '../../../shared/create-app.js';
import { ChatRepo } from '../messaging/chat-repo.js';
import { NotificationRepo } from '../messaging/notification-repo.js';
import { PresenceScopeRepo } from '../messaging/presence-scope-repo.js';

export interface DataRouteOptions {
  readonly db: Database;
}

/** Chat and notification persistence for the realtime server (internal routes, issue 4). */
export async function messagingRoutes(app: App, opts: DataRouteOptions): Promise<void> {
  const chat = new ChatRepo(opts.db);
  const notes = new NotificationRepo(opts.db);
  const scopes = new PresenceScopeRepo(opts.db);

  app.post(
    MessagingPaths.chatMessages,
    { schema: { body: ChatCreateRequest, response: { 201: ChatMessage, ...errorResponses } } },
    async (request, reply) => {
      const { senderId, receiverId, message } = request.body;
      if (senderId === receiverId) throw badRequest('cannot send a message to yourself', 'SELF_MESSAGE');
      return reply.code(201).send(chat.create(senderId, receiverId, message));
    },
  );

  app.post(
    MessagingPaths.chatHistory,
    { schema: { body: ChatHistoryRequest, response: { 200: ChatHistoryResponse, ...errorResponses } } },
    async (request) => {
      const { userId, otherId, beforeId, limit } = request.body;
      return { messages: chat.conversation(userId, otherId, beforeId, limit ?? 50) };
    },
  );

  app.post(
    MessagingPaths.chatRead,
    { schema: { body: ChatReadRequest, response: { 200: ChatReadResponse, ...errorResponses } } },
    async (request) => chat.read(request.body.readerId, request.body.senderId, request.body.upToId),
  );

  app.post(
    MessagingPaths.notifications,
    { schema: { body: NotificationBatchRequest, response: { 201: NotificationListResponse, ...errorResponses } } },
    async (request, reply) => {
      request.body.notifications.forEach((n, i) => {
        if (n.recipientId !== undefined && (n.role !== undefined || n.groupId !== undefined)) {
          throw badRequest(`notifications[${i}]: a direct notification has no role or groupId audience`);
        }
      });
      return reply.code(201).send({ notifications: notes.createMany(request.body.notifications) });
    },
  );

  app.post(
    MessagingPaths.unread,
    { schema: { body: NotificationQuery, response: { 200: NotificationListResponse, ...errorResponses } } },
    async (request) => {
      const { limit, ...reader } = request.body;
      return { notifications: notes.listUnread(reader, limit ?? 50) };
    },
  );

  app.post(
    MessagingPaths.unreadCount,
    { schema: { body: NotificationQuery, response: { 200: UnreadCountResponse, ...errorResponses } } },
    async (request) => {
      const { limit: _limit, ...reader } = request.body;
      return { count: notes.countUnread(reader) };
    },
  );

  app.post(
    MessagingPaths.notificationsRead,
    { schema: { body: NotificationReadRequest, response: { 200: NotificationReadResponse, ...errorResponses } } },
    async (request) => {
      const { notificationIds, ...reader } = request.body;
      return { updated: notes.markRead(reader, notificationIds) };
    },
  );

  app.post(
    MessagingPaths.presenceScopes,
    { schema: { body: PresenceScopeRequest, response: { 200: PresenceScopeResponse, ...errorResponses } } },
    async (request) => ({ scopes: scopes.scopes(request.body.userIds) }),
  );
}
