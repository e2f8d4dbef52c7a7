import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Ack, Notification } from '@contracts/realtime';
import { useLiveStore } from './live';

/** Emit with an ack, turning the server's `{success: false, error}` into a thrown Error. */
export function ask<T extends object>(
  ns: '/' | '/courses',
  event: string,
  payload: unknown,
  timeoutMs = 10_000,
): Promise<T> {
  const socket = useLiveStore().socket(ns);
  return new Promise<T>((resolve, reject) => {
    socket.timeout(timeoutMs).emit(event, payload, (err: Error | null, res: Ack<T>) => {
      if (err) reject(new Error('The server did not answer. Check your connection.'));
      else if (!res.success) reject(new Error(res.error));
      else resolve(res);
    });
  });
}

/**
 * Notifications for the signed-in user over `/`: the unread ones on connect, new ones live, and
 * mark-read. Ones read in this session stay listed (dimmed) until the page is left.
 */
export const useInboxStore = defineStore('inbox', () => {
  const items = ref<Notification[]>([]);
  const error = ref<string | null>(null);
  const loaded = ref(false);
  let started = false;

  const unreadCount = computed(() => items.value.filter((n) => !n.read).length);

  function upsert(n: Notification): void {
    const i = items.value.findIndex((x) => x.id === n.id);
    if (i >= 0) items.value[i] = n;
    else items.value = [n, ...items.value].sort((a, b) => b.id - a.id);
  }

  async function refresh(): Promise<void> {
    try {
      const res = await ask<{ notifications: Notification[] }>('/', 'notification:getUnread', { limit: 200 });
      const readHere = items.value.filter((n) => n.read);
      items.value = [
        ...res.notifications,
        ...readHere.filter((r) => !res.notifications.some((n) => n.id === r.id)),
      ].sort((a, b) => b.id - a.id);
      loaded.value = true;
      error.value = null;
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  function start(): void {
    if (started) return;
    started = true;
    const live = useLiveStore();
    live.socket('/').on('notification:new', (n: Notification) => {
      if (n && typeof n.id === 'number') upsert(n);
    });
    live.whenConnected('/', () => void refresh());
  }

  async function markRead(ids?: number[]): Promise<void> {
    const targets = ids ?? items.value.filter((n) => !n.read).map((n) => n.id);
    if (targets.length === 0) return;
    try {
      await ask<{ updated: number }>('/', 'notification:markRead', { notificationIds: targets });
      for (const n of items.value) if (targets.includes(n.id)) n.read = true;
      error.value = null;
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  function reset(): void {
    items.value = [];
    loaded.value = false;
    started = false;
  }

  return { items, error, loaded, unreadCount, start, refresh, markRead, reset };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useInboxStore, import.meta.hot));
