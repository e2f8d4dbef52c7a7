import { created, ok } from '../common.js';
import {
  ChatCreateRequest,
  ChatHistoryRequest,
  ChatHistoryResponse,
  ChatReadRequest,
  ChatReadResponse,
  NotificationBatchRequest,
  NotificationListResponse,
  NotificationQuery,
  NotificationReadRequest,
  NotificationReadResponse,
  PresenceScopeRequest,
  PresenceScopeResponse,
  UnreadCountResponse,
} from '../messaging.js';
import { ChatMessage } from '../realtime.js';
import { routeTable } from '../route.js';

/** data_node's messaging API: chat and notification storage for the realtime server (internal). */
export const DataMessagingRoutes = routeTable('data_node', {
  sendChat: {
    method: 'POST',
    url: '/messaging/chat/messages',
    summary: 'Store a chat message',
    access: 'internal',
    schema: { body: ChatCreateRequest, response: created(ChatMessage) },
  },
  chatHistory: {
    method: 'POST',
    url: '/messaging/chat/history',
    summary: 'A conversation between two users, newest first, paged by id',
    access: 'internal',
    schema: { body: ChatHistoryRequest, response: ok(ChatHistoryResponse) },
  },
  readChat: {
    method: 'POST',
    url: '/messaging/chat/read',
    summary: "Mark a sender's messages to a reader as read",
    access: 'internal',
    schema: { body: ChatReadRequest, response: ok(ChatReadResponse) },
  },
  createNotifications: {
    method: 'POST',
    url: '/messaging/notifications',
    summary: 'Store direct or broadcast notifications, one transaction for the batch',
    access: 'internal',
    schema: { body: NotificationBatchRequest, response: created(NotificationListResponse) },
  },
  unread: {
    method: 'POST',
    url: '/messaging/notifications/unread',
    summary: "A user's unread notifications",
    access: 'internal',
    schema: { body: NotificationQuery, response: ok(NotificationListResponse) },
  },
  unreadCount: {
    method: 'POST',
    url: '/messaging/notifications/unread-count',
    summary: 'How many notifications a user has not read',
    access: 'internal',
    schema: { body: NotificationQuery, response: ok(UnreadCountResponse) },
  },
  readNotifications: {
    method: 'POST',
    url: '/messaging/notifications/read',
    summary: "Mark some or all of a user's notifications as read",
    access: 'internal',
    schema: { body: NotificationReadRequest, response: ok(NotificationReadResponse) },
  },
  presenceScopes: {
    method: 'POST',
    url: '/messaging/presence-scopes',
    summary: 'Whose presence each user may see: their courses (enrolled or taught) and chat partners',
    access: 'internal',
    schema: { body: PresenceScopeRequest, response: ok(PresenceScopeResponse) },
  },
});
