import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import {
  BroadcastPayload,
  NotificationGetUnreadPayload,
  NotificationMarkReadPayload,
  NotifyPayload,
} from '../../../contracts/realtime.js';
import { forbidden } from '../../../shared/app-error.js';
import type { HandlerDeps } from './deps.js';
import { handler } from './guard.js';
import type { NotificationSocket } from './typed.js';

const V = {
  send: Compile(NotifyPayload),
  broadcast: Compile(BroadcastPayload),
  getUnread: Compile(NotificationGetUnreadPayload),
  markRead: Compile(NotificationMarkReadPayload),
  count: Compile(Type.Object({}, { additionalProperties: false })),
};

export const NOTIFICATION_EVENTS = [
  'notification:send',
  'notification:broadcast',
  'notification:getUnread',
  'notification:markRead',
  'notification:getUnreadCount',
] as const;

/** Notifications, on `/` and `/notification` alike. Sending is for staff. */
export function registerNotificationHandlers(socket: NotificationSocket, deps: HandlerDeps): void {
  const me = socket.data.user;
  const onError = (err: unknown) => deps.logger.error({ err, userId: me.id }, 'notification handler failed');

  socket.on(
    'notification:send',
    handler(
      V.send,
      async (p) => {
        if (me.role === 'student') throw forbidden('students cannot send notifications');
        return deps.notifier.notify(me.id, p);
      },
      onError,
    ),
  );

  socket.on(
    'notification:broadcast',
    handler(
      V.broadcast,
      async (p) => {
        if (me.role === 'student') throw forbidden('students cannot broadcast');
        // teachers reach the students of their own courses; everyone, roles and groups are for admins
        if (me.role === 'teacher' && p.courseId === undefined)
          throw forbidden('teachers broadcast only to the students of their own courses: give courseId');
        return deps.notifier.broadcast(me.id, p, { userId: me.id, role: me.role });
      },
      onError,
    ),
  );

  socket.on(
    'notification:getUnread',
    handler(V.getUnread, async (p) => ({ notifications: await deps.store.unread(me, p.limit) }), onError),
  );

  socket.on(
    'notification:markRead',
    handler(
      V.markRead,
      async (p) => ({ updated: await deps.store.markNotificationsRead(me, p.notificationIds) }),
      onError,
    ),
  );

  socket.on(
    'notification:getUnreadCount',
    handler(V.count, async () => ({ count: await deps.store.unreadCount(me) }), onError),
  );
}
