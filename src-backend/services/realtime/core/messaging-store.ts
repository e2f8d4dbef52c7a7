import {
  MessagingPaths,
  type ChatHistoryResponse,
  type ChatReadResponse,
  type NotificationCreateRequest,
  type NotificationListResponse,
  type NotificationReadResponse,
  type UnreadCountResponse,
} from '../../../contracts/messaging.js';
import type { ChatMessage, Notification } from '../../../contracts/realtime.js';
import type { SessionUser } from '../../../contracts/session.js';
import { MicroBatcher } from '../../../shared/micro-batcher.js';
import type { ServiceClient } from '../../../shared/service-client.js';

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
        (await client.post<NotificationListResponse>('data_node', MessagingPaths.notifications, { notifications }))
          .notifications,
    });
  }

  sendChat(senderId: number, receiverId: number, message: string): Promise<ChatMessage> {
    return this.client.post<ChatMessage>('data_node', MessagingPaths.chatMessages, { senderId, receiverId, message });
  }

  async history(userId: number, otherId: number, beforeId?: number, limit?: number): Promise<ChatMessage[]> {
    const res = await this.client.post<ChatHistoryResponse>('data_node', MessagingPaths.chatHistory, {
      userId,
      otherId,
      beforeId,
      limit,
    });
    return res.messages;
  }

  markChatRead(readerId: number, senderId: number, upToId?: number): Promise<ChatReadResponse> {
    return this.client.post<ChatReadResponse>('data_node', MessagingPaths.chatRead, { readerId, senderId, upToId });
  }

  createNotification(req: NotificationCreateRequest): Promise<Notification> {
    return this.notifications.submit(req);
  }

  async unread(user: SessionUser, limit?: number): Promise<Notification[]> {
    const res = await this.client.post<NotificationListResponse>('data_node', MessagingPaths.unread, {
      ...reader(user),
      limit,
    });
    return res.notifications;
  }

  async unreadCount(user: SessionUser): Promise<number> {
    return (await this.client.post<UnreadCountResponse>('data_node', MessagingPaths.unreadCount, reader(user))).count;
  }

  async markNotificationsRead(user: SessionUser, notificationIds?: number[]): Promise<number> {
    const res = await this.client.post<NotificationReadResponse>('data_node', MessagingPaths.notificationsRead, {
      ...reader(user),
      notificationIds,
    });
    return res.updated;
  }
}
