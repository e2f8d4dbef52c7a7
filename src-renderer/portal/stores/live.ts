import { acceptHMRUpdate, defineStore } from 'pinia';
import { reactive } from 'vue';
import type { Socket } from 'socket.io-client';
import type { CourseSeatsEvent } from '@contracts/realtime';
import { openNamespace } from '../../src/api/realtime';
import { useAccountStore } from './account';

export type PortalNamespace = '/' | '/courses';
/** `closed`: the server ended the link on purpose (too many tabs, abuse); not retried, it would be ended again */
export type LinkState = 'idle' | 'connecting' | 'live' | 'down' | 'closed';

/** how long before trying again what socket.io does not retry (see `retryLater`) */
const REFUSED_RETRY_MS = 3000;

/**
 * The portal's realtime links: `/` (chat, notifications, presence) and `/courses` (seat counts,
 * selection outcomes), one socket each, opened on first use with the portal session. The link
 * state is shown, so a paused feed is never mistaken for a quiet one.
 */
export const useLiveStore = defineStore('live', () => {
  const links = reactive<Record<string, LinkState>>({});
  /** connected at least once: a first connect is not news, a lost link is */
  const wasLive = reactive<Record<string, boolean>>({});
  /** when a link that had been live stopped being live (local ms); absent while live */
  const lastLiveAt = reactive<Record<string, number>>({});
  const retryTimers = new Map<PortalNamespace, ReturnType<typeof setTimeout>>();
  /** run on every connect after the first: what was pushed while the link was down was missed */
  const onReconnect = new Map<PortalNamespace, Set<() => void>>();
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
      const again = wasLive[ns] === true;
      links[ns] = 'live';
      wasLive[ns] = true;
      delete lastLiveAt[ns];
      for (const fn of onConnect.get(ns) ?? []) fn();
      if (again) for (const fn of onReconnect.get(ns) ?? []) fn();
    });
    // socket.io retries a lost transport by itself, but not a refusal in the server's `use()`
    // (auth_node unreachable during a restart, say)
    const retryLater = () => {
      if (s.active || retryTimers.has(ns)) return;
      retryTimers.set(
        ns,
        setTimeout(() => {
          retryTimers.delete(ns);
          if (sockets.get(ns) === s && account.token && !s.connected) s.connect();
        }, REFUSED_RETRY_MS),
      );
    };
    s.on('disconnect', (reason) => {
      if (links[ns] === 'live') lastLiveAt[ns] = Date.now();
      links[ns] = reason === 'io server disconnect' ? 'closed' : 'connecting';
    });
    s.on('connect_error', () => {
      if (links[ns] === 'live') lastLiveAt[ns] = Date.now();
      links[ns] = 'down';
      retryLater();
    });
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

  /** `fn` after every reconnect (not the first connect): re-read what may have changed meanwhile. */
  function whenReconnected(ns: PortalNamespace, fn: () => void): () => void {
    socket(ns);
    let set = onReconnect.get(ns);
    if (!set) onReconnect.set(ns, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  /**
   * Whether what this link pushed may be out of date: it was live and is not now, or it cannot
   * connect at all. The first connect after page load is not counted (the page's data is fresh).
   */
  function notLive(ns: PortalNamespace): boolean {
    const st = links[ns] ?? 'idle';
    return st === 'down' || st === 'closed' || (st === 'connecting' && wasLive[ns] === true);
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
      delete lastLiveAt[ns];
    }
    for (const t of retryTimers.values()) clearTimeout(t);
    retryTimers.clear();
    sockets.clear();
    onConnect.clear();
    onReconnect.clear();
  }

  return {
    links,
    wasLive,
    lastLiveAt,
    socket,
    whenConnected,
    whenReconnected,
    notLive,
    watchCourses,
    onSeats,
    state,
    closeAll,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useLiveStore, import.meta.hot));
