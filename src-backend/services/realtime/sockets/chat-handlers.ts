import { Compile } from 'typebox/compile';
import {
  ChatGetMessagesPayload,
  ChatGetOnlineStatusPayload,
  ChatMarkReadPayload,
  ChatSendPayload,
  ChatTypingPayload,
  Rooms,
} from '../../../contracts/realtime.js';
import { badRequest } from '../../../shared/app-error.js';
import type { HandlerDeps } from './deps.js';
import { handler } from './guard.js';
import type { ChatSocket } from './typed.js';

const V = {
  send: Compile(ChatSendPayload),
  typing: Compile(ChatTypingPayload),
  markRead: Compile(ChatMarkReadPayload),
  getMessages: Compile(ChatGetMessagesPayload),
  onlineStatus: Compile(ChatGetOnlineStatusPayload),
};

export const CHAT_EVENTS = [
  'chat:send',
  'chat:typing',
  'chat:markRead',
  'chat:getMessages',
  'chat:getOnlineStatus',
] as const;

/**
 * Chat, on `/` and `/chat` alike. Server-to-client events go through the event
 * manager, so they reach the user's sockets on every chat namespace and every instance.
 */
export function registerChatHandlers(socket: ChatSocket, deps: HandlerDeps): void {
  const me = socket.data.user;
  const onError = (err: unknown) => deps.logger.error({ err, userId: me.id }, 'chat handler failed');

  socket.on(
    'chat:send',
    handler(
      V.send,
      async (p) => {
        if (p.receiverId === me.id) throw badRequest('cannot send a message to yourself');
        await deps.users.require(p.receiverId);
        const message = await deps.store.sendChat(me.id, p.receiverId, p.message);
        deps.scopes.forget(me.id, p.receiverId); // they share a conversation now
        deps.events.publish({ event: 'chat:message', room: Rooms.user(p.receiverId), data: message, throttle: false });
        return { message };
      },
      onError,
    ),
  );

  socket.on(
    'chat:typing',
    handler(
      V.typing,
      (p) => {
        // not throttled: two senders typing to one receiver share a room, and coalescing would drop one;
        // the per-socket rate limit already bounds a chatty client
        deps.events.publish({
          event: 'chat:typing',
          room: Rooms.user(p.receiverId),
          data: { senderId: me.id, isTyping: p.isTyping ?? true },
          throttle: false,
        });
        return {};
      },
      onError,
    ),
  );

  socket.on(
    'chat:markRead',
    handler(
      V.markRead,
      async (p) => {
        const res = await deps.store.markChatRead(me.id, p.senderId, p.upToId);
        if (res.messageIds.length > 0) {
          deps.events.publish({
            event: 'chat:readReceipt',
            room: Rooms.user(p.senderId),
            data: { readerId: me.id, messageIds: res.messageIds, readAt: res.readAt },
            throttle: false,
          });
        }
        return { messageIds: res.messageIds };
      },
      onError,
    ),
  );

  socket.on(
    'chat:getMessages',
    handler(
      V.getMessages,
      async (p) => ({ messages: await deps.store.history(me.id, p.userId, p.beforeId, p.limit) }),
      onError,
    ),
  );

  socket.on(
    'chat:getOnlineStatus',
    handler(
      V.onlineStatus,
      async (p) => {
        // a student learns only about users they share a course or a conversation with
        const ids = me.role === 'student' ? [...(await deps.scopes.visibleTo(me.id, p.userIds))] : p.userIds;
        return { statuses: await deps.presence.areOnline(ids) };
      },
      onError,
    ),
  );
}
