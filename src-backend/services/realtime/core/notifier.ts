import { Rooms, type BroadcastPayload, type Notification, type NotifyPayload } from '../../../contracts/realtime.js';
import type { EventManager } from './event-manager.js';
import { broadcastGroup } from './ids.js';
import type { MessagingStore } from './messaging-store.js';
import type { Presence } from './presence.js';
import type { UserDirectory } from './user-directory.js';

/** Notifications, from a socket or from POST /api/notify|broadcast: persist first, then push. */
export class Notifier {
  constructor(
    private readonly store: MessagingStore,
    private readonly events: EventManager,
    private readonly presence: Presence,
    private readonly users: UserDirectory,
  ) {}

  async notify(
    senderId: number | null,
    p: NotifyPayload,
  ): Promise<{ notification: Notification; recipientOnline: boolean }> {
    await this.users.require(p.recipientId);
    const notification = await this.store.createNotification({
      senderId,
      recipientId: p.recipientId,
      type: p.type,
      title: p.title,
      message: p.message,
      metadata: p.metadata ?? {},
    });
    this.events.publish({
      event: 'notification:new',
      room: Rooms.user(p.recipientId),
      data: notification,
      throttle: false,
    });
    const online = await this.presence.areOnline([p.recipientId]);
    return { notification, recipientOnline: online[String(p.recipientId)] === true };
  }

  /** Everyone, one role, or one student group (a group is students only, so it wins over a role). */
  async broadcast(senderId: number | null, p: BroadcastPayload): Promise<{ notification: Notification }> {
    const groupId = broadcastGroup(p);
    const notification = await this.store.createNotification({
      senderId,
      ...(p.role ? { role: p.role } : {}),
      ...(groupId ? { groupId } : {}),
      type: p.type,
      title: p.title,
      message: p.message,
      metadata: p.metadata ?? {},
    });
    const room = groupId ? Rooms.group(groupId) : p.role ? Rooms.role(p.role) : null;
    this.events.publish({ event: 'notification:new', room, data: notification, throttle: false });
    return { notification };
  }
}
