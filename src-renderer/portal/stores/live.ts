import { acceptHMRUpdate, defineStore } from 'pinia';
import { reactive } from 'vue';
import type { Socket } from 'socket.io-client';
import type { CourseSeatsEvent } from '@contracts/realtime';
import { openNamespace } from '../../src/api/realtime';
import { useAccountStore } from './account';

export type PortalNamespace = '/' | '/courses';
export type LinkState = 'idle' | 'connecting' | 'live' | 'down';

/**
 * The portal's realtime links: `/` (chat, notifications, presence) and `/courses` (seat counts,
 * selection outcomes), one socket each, opened on first use with the portal session. The link
 * state is shown, so a paused feed is never mistaken for a quiet one.
 */
export const useLiveStore = defineStore('live', () => {
  const links = reactive<Record<string, LinkState>>({});
  /** connected at least once: a first connect is not news, a lost link is */
  const wasLive = reactive<Record<string, boolean>>({});
  const sockets = new Map<PortalNamespace, Socket>();
  /** run again after every (re)connect: watches and subscriptions live on the socket */
  const onConnect = new Map<PortalNamespace, Set<() => void>>();

  function socket(ns: PortalNamespace): Socket {
    const existing = sockets.get(ns);
    if (existing) return existing;
    const account = useAccountStore();
    const s = openNamespace(ns, { baseUrl: window.location.origin, token: () => account.token });
    links[ns] = 'connecting';
    s.on('connect', () => {
      links[ns] = 'live';
      wasLive[ns] = true;
      for (const fn of onConnect.get(ns) ?? []) fn();
    });
    s.on('disconnect', () => (links[ns] = 'connecting'));
    s.on('connect_error', () => (links[ns] = 'down'));
    sockets.set(ns, s);
    return s;
  }

  /** `fn` now if connected, and after every reconnect (rooms are per connection). */
  function whenConnected(ns: PortalNamespace, fn: () => void): () => void {
    const s = socket(ns);
    let set = onConnect.get(ns);
    if (!set) onConnect.set(ns, (set = new Set()));
    set.add(fn);
    if (s.connected) fn();
    return () => set.delete(fn);
  }

  /** Seat counts for these courses (at most 500, the server's cap per socket), kept across reconnects. */
  function watchCourses(ids: number[]): () => void {
    if (ids.length === 0) return () => undefined;
    const courseIds = ids.slice(0, 500);
    return whenConnected('/courses', () => socket('/courses').emit('course:watch', { courseIds }));
  }

  /** Every seat count pushed on `/courses` (checked: a payload without a course id is dropped). */
  function onSeats(fn: (e: CourseSeatsEvent) => void): void {
    socket('/courses').on('course:seats', (e: CourseSeatsEvent) => {
      if (typeof e?.courseId === 'number') fn(e);
    });
  }

  function state(ns: PortalNamespace): LinkState {
    return links[ns] ?? 'idle';
  }

  function closeAll(): void {
    for (const [ns, s] of sockets) {
      s.removeAllListeners();
      s.disconnect();
      links[ns] = 'idle';
      wasLive[ns] = false;
    }
    sockets.clear();
    onConnect.clear();
  }

  return { links, wasLive, socket, whenConnected, watchCourses, onSeats, state, closeAll };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useLiveStore, import.meta.hot));
