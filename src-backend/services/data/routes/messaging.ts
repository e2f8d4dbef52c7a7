import type { Database } from 'better-sqlite3';
import { badRequest } from '../../../shared/app-error.js';
import type { App } from '../../../shared/create-app.js';
import { ChatRepo } from '../messaging/chat-repo.js';
import { NotificationRepo } from '../messaging/notification-repo.js';
import { PresenceScopeRepo } from '../messaging/presence-scope-repo.js';
import { DataMessagingRoutes as D } from '../../../contracts/routes/data-messaging.js';
import { registerRoute } from '../../../shared/register-route.js';

export interface DataRouteOptions {
  readonly db: Database;
}

/** Chat and notification persistence for the realtime server (contracts/routes/data-messaging.ts). */
export async function messagingRoutes(app: App, opts: DataRouteOptions): Promise<void> {
  const chat = new ChatRepo(opts.db);
  const notes = new NotificationRepo(opts.db);
  const scopes = new PresenceScopeRepo(opts.db);

  registerRoute(app, D.sendChat, {}, async (request, reply) => {
    const { senderId, receiverId, message } = request.body;
    if (senderId === receiverId) throw badRequest('cannot send a message to yourself', 'SELF_MESSAGE');
    return reply.code(201).send(chat.create(senderId, receiverId, message));
  });

  registerRoute(app, D.chatHistory, {}, async (request) => {
    const { userId, otherId, beforeId, limit } = request.body;
    return { messages: chat.conversation(userId, otherId, beforeId, limit ?? 50) };
  });

  registerRoute(app, D.readChat, {}, async (request) =>
    chat.read(request.body.readerId, request.body.senderId, request.body.upToId),
  );

  registerRoute(app, D.createNotifications, {}, async (request, reply) => {
    request.body.notifications.forEach((n, i) => {
      if (n.recipientId !== undefined && (n.role !== undefined || n.groupId !== undefined)) {
        throw badRequest(`notifications[${i}]: a direct notification has no role or groupId audience`);
      }
    });
    return reply.code(201).send({ notifications: notes.createMany(request.body.notifications) });
  });

  registerRoute(app, D.unread, {}, async (request) => {
    const { limit, ...reader } = request.body;
    return { notifications: notes.listUnread(reader, limit ?? 50) };
  });

  registerRoute(app, D.unreadCount, {}, async (request) => {
    const { limit: _limit, ...reader } = request.body;
    return { count: notes.countUnread(reader) };
  });

  registerRoute(app, D.readNotifications, {}, async (request) => {
    const { notificationIds, ...reader } = request.body;
    return { updated: notes.markRead(reader, notificationIds) };
  });

  registerRoute(app, D.presenceScopes, {}, async (request) => ({ scopes: scopes.scopes(request.body.userIds) }));
}
