import { type ChatReadResponse, type NotificationCreateRequest } from '../../../contracts/messaging.js';
import type { ChatMessage, Notification } from '../../../contracts/realtime.js';
import type { SessionUser } from '../../../contracts/session.js';
import type { ServiceClient } from '../../../shared/service-client.js';
import { DataMessagingRoutes } from '../../../contracts/routes/data-messaging.js';

interface Queued {
  readonly req: NotificationCreateRequest;
  resolve(n: Notification): void;
  reject(err: unknown): void;
}

const reader = (u: SessionUser) => ({ userId: u.id, role: u.role, group: u.group });

/**
 * Chat and notifications persist in the data service. New notifications are group-committed:
 * one batch is in flight at a time and whatever arrives meanwhile forms the next one, so batches
 * grow with the commit latency (an fsync each) instead of the commit rate capping throughput.
 */
export class MessagingStore {
  private queue: Queued[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing = false;

  constructor(
    private readonly client: ServiceClient,
    private readonly batchMs = 5,
    private readonly maxBatch = 1000,
  ) {}

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
    return new Promise((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.batchMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.writing) return; // the batch in flight picks these up when it is done
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    this.writing = true;
    this.client
      .call(DataMessagingRoutes.createNotifications, { body: { notifications: batch.map((q) => q.req) } })
      .then((res) => batch.forEach((q, i) => q.resolve(res.notifications[i]!)))
      .catch((err: unknown) => batch.forEach((q) => q.reject(err)))
      .finally(() => {
        this.writing = false;
        if (this.queue.length > 0) this.flush();
      });
  }

  async unread(user: SessionUser, limit?: number): Promise<Notification[]> {
    const res = await this.client.call(DataMessagingRoutes.unread, {
      body: {
        ...reader(user),
        limit,
      },
    });
    return res.notifications;
  }

  async unreadCount(user: SessionUser): Promise<number> {
    return (await this.client.call(DataMessagingRoutes.unreadCount, { body: reader(user) })).count;
  }

  async markNotificationsRead(user: SessionUser, notificationIds?: number[]): Promise<number> {
    const res = await this.client.call(DataMessagingRoutes.readNotifications, {
      body: {
        ...reader(user),
        notificationIds,
      },
    });
    return res.updated;
  }
}
