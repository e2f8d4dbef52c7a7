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
import type { ServiceClient } from '../../../shared/service-client.js';

interface Queued {
  readonly req: NotificationCreateRequest;
  resolve(n: Notification): void;
  reject(err: unknown): void;
}

const reader = (u: SessionUser) => ({ userId: u.id, role: u.role, group: u.group });

/**
 * Chat and notifications persist in the data service. New notifications are batched for a few
 * ms, so 5,000 a second are a few dozen transactions a second instead of 5,000 commits.
 */
export class MessagingStore {
  private queue: Queued[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly client: ServiceClient,
    private readonly batchMs = 5,
    private readonly maxBatch = 500,
  ) {}

  sendChat(senderId: number, receiverId: number, message: string): Promise<ChatMessage> {
    return this.client.post<ChatMessage>('data_node', MessagingPaths.chatMessages, { senderId, receiverId, message });
  }

  async history(userId: number, otherId: number, beforeId?: number, limit?: number): Promise<ChatMessage[]> {
    const res = await this.client.post<ChatHistoryResponse>('data_node', MessagingPaths.chatHistory, { userId, otherId, beforeId, limit });
    return res.messages;
  }

  markChatRead(readerId: number, senderId: number, upToId?: number): Promise<ChatReadResponse> {
    return this.client.post<ChatReadResponse>('data_node', MessagingPaths.chatRead, { readerId, senderId, upToId });
  }

  createNotification(req: NotificationCreateRequest): Promise<Notification> {
    return new Promise((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.batchMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue.splice(0, this.maxBatch);
    if (this.queue.length > 0) this.timer = setTimeout(() => this.flush(), 0);
    if (batch.length === 0) return;
    this.client
      .post<NotificationListResponse>('data_node', MessagingPaths.notifications, { notifications: batch.map((q) => q.req) })
      .then((res) => batch.forEach((q, i) => q.resolve(res.notifications[i]!)))
      .catch((err: unknown) => batch.forEach((q) => q.reject(err)));
  }

  async unread(user: SessionUser, limit?: number): Promise<Notification[]> {
    const res = await this.client.post<NotificationListResponse>('data_node', MessagingPaths.unread, { ...reader(user), limit });
    return res.notifications;
  }

  async unreadCount(user: SessionUser): Promise<number> {
    return (await this.client.post<UnreadCountResponse>('data_node', MessagingPaths.unreadCount, reader(user))).count;
  }

  async markNotificationsRead(user: SessionUser, notificationIds?: number[]): Promise<number> {
    const res = await this.client.post<NotificationReadResponse>('data_node', MessagingPaths.notificationsRead, { ...reader(user), notificationIds });
    return res.updated;
  }
}
