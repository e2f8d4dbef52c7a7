import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import { type AuthUser, type UserPage } from '@contracts/auth';
import { AuthPaths } from '@contracts/routes/auth';
import type { BroadcastPayload, NotifyPayload, NotifyResponse, OnlineUsersResponse } from '@contracts/realtime';
import { api } from '../api/instance';
import { withQuery } from '../api/client';
import { errorMessage } from '../api/api-error';

export type Audience =
  | { kind: 'user'; user: Pick<AuthUser, 'id' | 'username' | 'name'> }
  | { kind: 'group'; groupId: string }
  | { kind: 'role'; role: 'admin' | 'teacher' | 'student' }
  | { kind: 'everyone' };

export interface SentNotification {
  id: number;
  at: number;
  audience: Audience;
  title: string;
  type: string;
  /**
   * `live`: the recipient had a socket open and got it pushed; `stored`: offline, it waits in
   * their unread list; `broadcast`: pushed to every connected member and stored for all.
   */
  delivery: 'live' | 'stored' | 'broadcast';
}

export interface SendBody {
  type: string;
  title: string;
  message: string;
  metadata?: Record<string, unknown>;
}

export function describeAudience(a: Audience): string {
  switch (a.kind) {
    case 'user':
      return `${a.user.name} (${a.user.username})`;
    case 'group':
      return `group ${a.groupId}`;
    case 'role':
      return `all ${a.role}s`;
    case 'everyone':
      return 'everyone';
  }
}

/** Sending notifications (/api/notify and /api/broadcast) and seeing who got them. */
export const useNotificationsStore = defineStore('notifications', () => {
  const sent = ref<SentNotification[]>([]);
  const online = ref<OnlineUsersResponse | null>(null);
  const onlineError = ref<string | null>(null);
  /** sends in flight, and the last one that failed: the sent list's loading and error states */
  const sending = ref(0);
  const sendError = ref<string | null>(null);
  let lastFailed: { audience: Audience; body: SendBody } | null = null;

  async function refreshOnline(): Promise<void> {
    try {
      online.value = await api().get<OnlineUsersResponse>('realtime', '/api/online-users');
      onlineError.value = null;
    } catch (err) {
      onlineError.value = errorMessage(err);
    }
  }

  async function send(audience: Audience, body: SendBody): Promise<SentNotification> {
    sending.value++;
    try {
      const entry = await deliver(audience, body);
      sendError.value = null;
      lastFailed = null;
      return entry;
    } catch (err) {
      sendError.value = errorMessage(err);
      lastFailed = { audience, body };
      throw err;
    } finally {
      sending.value--;
    }
  }

  /** Send the last failed notification again (it was confirmed, if it needed to be, the first time). */
  async function retryLast(): Promise<SentNotification | null> {
    if (!lastFailed) return null;
    return send(lastFailed.audience, lastFailed.body);
  }

  async function deliver(audience: Audience, body: SendBody): Promise<SentNotification> {
    let res: NotifyResponse;
    if (audience.kind === 'user') {
      const payload: NotifyPayload = { recipientId: audience.user.id, ...body };
      res = await api().post<NotifyResponse>('realtime', '/api/notify', payload);
    } else {
      const payload: BroadcastPayload = {
        ...body,
        ...(audience.kind === 'group' ? { groupId: audience.groupId } : {}),
        ...(audience.kind === 'role' ? { role: audience.role } : {}),
      };
      res = await api().post<NotifyResponse>('realtime', '/api/broadcast', payload);
    }
    const entry: SentNotification = {
      id: res.notification.id,
      at: Date.now(),
      audience,
      title: res.notification.title,
      type: res.notification.type,
      delivery: audience.kind !== 'user' ? 'broadcast' : res.recipientOnline ? 'live' : 'stored',
    };
    sent.value = [entry, ...sent.value].slice(0, 100);
    return entry;
  }

  /** Find recipients by username, name or email. */
  async function findUsers(q: string): Promise<AuthUser[]> {
    const res = await api().get<UserPage>(
      'auth_node',
      withQuery(AuthPaths.users, { search: q.trim(), pageSize: 8, page: 1, sort: 'username', order: 'asc' }),
    );
    return res.items;
  }

  return { sent, online, onlineError, sending, sendError, refreshOnline, send, retryLast, findUsers };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useNotificationsStore, import.meta.hot));
