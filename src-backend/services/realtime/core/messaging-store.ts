import { type ChatReadResponse, type NotificationCreateRequest } from '../../../contracts/messaging.js';
import type { ChatMessage, Notification } from '../../../contracts/realtime.js';
import type { SessionUser } from '../../../contracts/session.js';
import { MicroBatcher } from '../../../shared/micro-batcher.js';
import type { ServiceClient } from '../../../shared/service-client.js';
import { DataMessagingRoutes } from '../../../contracts/routes/data-messaging.js';

const reader = (u: SessionUser) => ({ userId: u.id, role: u.role, group: u.group });

/**
 * Chat and notifications persist in the data service. New notifications are group-committed:
 * one batch is in flight at a time and whatever arrives meanwhile forms the next one, so batches
 * grow with the commit latency (an fsync each) instead of the commit rate capping throughput.
 */
export class MessagingStore {
  private readonly notifications: MicroBatcher<NotificationCreateRequest, Notification>;

  constructor(
    private readonly client: ServiceClient,
    batchMs = 5,
    maxBatch = 1000,
  ) {
    this.notifications = new MicroBatcher({
      windowMs: batchMs,
      maxBatch,
      maxInFlight: 1,
      send: async (notifications) =>
        (await client.call(DataMessagingRoutes.createNotifications, { body: { notifications } })).notifications,
    });
  }

  sendChat(senderId: number, receiverId: number, message: string): Promise<ChatMessage> {
    return this.client.call(DataMessagingRoutes.sendChat, { body: { senderId, receiverId, message } });
  }

  async history(userId: number, otherId: number, beforeId?: number, limit?: number): Promise<ChatMessage[]> {
    const res = await this.client.call(DataMessagingRoutes.chatHistory, {
      body: {
        userId,
        otherId,
        beforeId,
        limit,
      },
    });
    return res.messages;
  }

  markChatRead(readerId: number, senderId: number, upToId?: number): Promise<ChatReadResponse> {
    return this.client.call(DataMessagingRoutes.readChat, { body: { readerId, senderId, upToId } });
  }

  createNotification(req: NotificationCreateRequest): Promise<Notification> {
    return this.notifications.submit(req);
  }

  async unread(user: SessionUser, limit?: number): Promise<Notification[]> {
    const res = await this.client.call(DataMessagingRoutes.unread, {
      body: { limit, ...reader(user) },
    });
    return res.notifications;
  }

  async unreadCount(user: SessionUser): Promise<number> {
    return (await this.client.call(DataMessagingRoutes.unreadCount, { body: reader(user) })).count;
  }

  async markNotificationsRead(user: SessionUser, notificationIds?: number[]): Promise<number> {
    const res = await this.client.call(DataMessagingRoutes.readNotifications, {
      body: { notificationIds, ...reader(user) },
    });
    return res.updated;
  }
}
